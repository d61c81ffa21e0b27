# style: 刘二大人 lecture 9 多分类 (5 Linear layers with F.relu, x.view(-1, 64), CrossEntropyLoss, SGD momentum=0.5, train(epoch)/test() functions, '[%d, %5d] loss: %.3f' and 'accuracy on test set: %d %% ')
# compat: rtol=2e-4
import numpy as np
import torch
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset

# prepare dataset: 8x8 "digits" (the course uses transforms.Normalize((0.1307,), (0.3081,)) on MNIST)
batch_size = 16
rs = np.random.RandomState(11)
protos = rs.rand(10, 1, 8, 8).astype(np.float32)
y_all = rs.randint(0, 10, 400)
x_all = protos[y_all] + 0.3 * rs.randn(400, 1, 8, 8).astype(np.float32)
x_all = (x_all - 0.1307) / 0.3081
train_dataset = TensorDataset(torch.from_numpy(x_all[:320]), torch.from_numpy(y_all[:320]))
test_dataset = TensorDataset(torch.from_numpy(x_all[320:]), torch.from_numpy(y_all[320:]))
train_loader = DataLoader(train_dataset, shuffle=False, batch_size=batch_size)
test_loader = DataLoader(test_dataset, shuffle=False, batch_size=batch_size)


# design model using class
class Net(torch.nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.l1 = torch.nn.Linear(64, 48)
        self.l2 = torch.nn.Linear(48, 32)
        self.l3 = torch.nn.Linear(32, 24)
        self.l4 = torch.nn.Linear(24, 16)
        self.l5 = torch.nn.Linear(16, 10)

    def forward(self, x):
        x = x.view(-1, 64)  # -1其实就是自动获取mini_batch
        x = F.relu(self.l1(x))
        x = F.relu(self.l2(x))
        x = F.relu(self.l3(x))
        x = F.relu(self.l4(x))
        return self.l5(x)  # 最后一层不做激活，不进行非线性变换


model = Net()
init = np.random.RandomState(0)
model.load_state_dict({k: torch.from_numpy((init.rand(*v.shape) * 2 - 1).astype(np.float32) / np.sqrt(v.shape[-1]))
                       for k, v in model.state_dict().items()})

# construct loss and optimizer
criterion = torch.nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.5)


# training cycle forward, backward, update
def train(epoch):
    running_loss = 0.0
    for batch_idx, data in enumerate(train_loader, 0):
        # 获得一个批次的数据和标签
        inputs, target = data
        optimizer.zero_grad()
        # 获得模型预测结果(16, 10)
        outputs = model(inputs)
        # 交叉熵代价函数outputs(16,10),target（16）
        loss = criterion(outputs, target)
        loss.backward()
        optimizer.step()

        running_loss += loss.item()
        if batch_idx % 10 == 9:
            print('[%d, %5d] loss: %.3f' % (epoch + 1, batch_idx + 1, running_loss / 10))
            running_loss = 0.0


def test():
    correct = 0
    total = 0
    with torch.no_grad():
        for data in test_loader:
            images, labels = data
            outputs = model(images)
            _, predicted = torch.max(outputs.data, dim=1)  # dim = 1 列是第0个维度，行是第1个维度
            total += labels.size(0)
            correct += (predicted == labels).sum().item()  # 张量之间的比较运算
    print('accuracy on test set: %d %% ' % (100 * correct / total))
    return correct / total


if __name__ == '__main__':
    for epoch in range(5):
        train(epoch)
        acc = test()
    print(acc, model(test_dataset[0][0]).argmax().item(), test_dataset[0][1].item())
