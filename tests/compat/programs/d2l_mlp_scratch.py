# style: d2l-zh 4.2-4.3 多层感知机从零开始/简洁实现 (nn.Parameter(torch.randn(num_inputs, num_hiddens, requires_grad=True) * 0.01), relu via torch.max(X, a) with a = torch.zeros_like(X), X.reshape((-1, num_inputs)), Accumulator, evaluate_accuracy with y_hat.argmax(axis=1) and cmp.type(y.dtype), CrossEntropyLoss(reduction='none'), net.apply(init_weights) with nn.init.normal_)
# compat: rtol=2e-4
import numpy as np
import torch
from torch import nn
from torch.utils import data

torch.manual_seed(0)


def load_array(data_arrays, batch_size, is_train=True):  # @save
    """构造一个PyTorch数据迭代器"""
    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train)


# a small Fashion-MNIST stand-in: 10 classes of 1x6x6 "images"
rs = np.random.RandomState(42)
centers = rs.rand(10, 1, 6, 6).astype(np.float32)
y_np = rs.randint(0, 10, 600)
X_np = (centers[y_np] + 0.25 * rs.randn(600, 1, 6, 6)).astype(np.float32)
train_iter = load_array((torch.from_numpy(X_np[:500]), torch.from_numpy(y_np[:500])), 50, is_train=False)
test_iter = load_array((torch.from_numpy(X_np[500:]), torch.from_numpy(y_np[500:])), 50, is_train=False)

num_inputs, num_outputs, num_hiddens = 36, 10, 32

W1 = nn.Parameter(torch.randn(
    num_inputs, num_hiddens, requires_grad=True) * 0.01)
b1 = nn.Parameter(torch.zeros(num_hiddens, requires_grad=True))
W2 = nn.Parameter(torch.randn(
    num_hiddens, num_outputs, requires_grad=True) * 0.01)
b2 = nn.Parameter(torch.zeros(num_outputs, requires_grad=True))

params = [W1, b1, W2, b2]
print([(type(p).__name__, tuple(p.shape), p.requires_grad, p.is_leaf, p.grad_fn) for p in params])
# torch.randn differs between libraries: the same initial values from NumPy
with torch.no_grad():
    W1.copy_(torch.from_numpy(rs.randn(num_inputs, num_hiddens).astype(np.float32) * 0.1))
    W2.copy_(torch.from_numpy(rs.randn(num_hiddens, num_outputs).astype(np.float32) * 0.1))


def relu(X):
    a = torch.zeros_like(X)
    return torch.max(X, a)


def net(X):
    X = X.reshape((-1, num_inputs))
    H = relu(X @ W1 + b1)  # 这里“@”代表矩阵乘法
    return (H @ W2 + b2)


loss = nn.CrossEntropyLoss(reduction='none')


class Accumulator:  # @save
    """在n个变量上累加"""
    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def reset(self):
        self.data = [0.0] * len(self.data)

    def __getitem__(self, idx):
        return self.data[idx]


def accuracy(y_hat, y):  # @save
    """计算预测正确的数量"""
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


def evaluate_accuracy(net, data_iter):  # @save
    """计算在指定数据集上模型的精度"""
    if isinstance(net, torch.nn.Module):
        net.eval()  # 将模型设置为评估模式
    metric = Accumulator(2)  # 正确预测数、预测总数
    with torch.no_grad():
        for X, y in data_iter:
            metric.add(accuracy(net(X), y), y.numel())
    return metric[0] / metric[1]


def train_epoch_ch3(net, train_iter, loss, updater):  # @save
    """训练模型一个迭代周期（定义见第3章）"""
    # 将模型设置为训练模式
    if isinstance(net, torch.nn.Module):
        net.train()
    # 训练损失总和、训练准确度总和、样本数
    metric = Accumulator(3)
    for X, y in train_iter:
        # 计算梯度并更新参数
        y_hat = net(X)
        l = loss(y_hat, y)
        if isinstance(updater, torch.optim.Optimizer):
            # 使用PyTorch内置的优化器和损失函数
            updater.zero_grad()
            l.mean().backward()
            updater.step()
        else:
            # 使用定制的优化器和损失函数
            l.sum().backward()
            updater(X.shape[0])
        metric.add(float(l.sum()), accuracy(y_hat, y), y.numel())
    # 返回训练损失和训练精度
    return metric[0] / metric[2], metric[1] / metric[2]


def train_ch3(net, train_iter, test_iter, loss, num_epochs, updater):  # @save
    for epoch in range(num_epochs):
        train_metrics = train_epoch_ch3(net, train_iter, loss, updater)
        test_acc = evaluate_accuracy(net, test_iter)
        train_loss, train_acc = train_metrics
        print(f'epoch {epoch + 1}, loss {train_loss:.5f}, train acc {train_acc:.3f}, test acc {test_acc:.3f}')
    assert train_loss < 2.5, train_loss
    return train_loss, train_acc, test_acc


num_epochs, lr = 6, 0.1
updater = torch.optim.SGD(params, lr=lr)
print(train_ch3(net, train_iter, test_iter, loss, num_epochs, updater))
print(W1.grad.shape, b2.grad)

# 4.3 简洁实现
net = nn.Sequential(nn.Flatten(),
                    nn.Linear(36, 32),
                    nn.ReLU(),
                    nn.Linear(32, 10))


def init_weights(m):
    if type(m) == nn.Linear:
        nn.init.normal_(m.weight, std=0.01)


net.apply(init_weights)
print(net, float(net[1].weight.std()) < 0.02)
with torch.no_grad():  # the same draws in both libraries
    net[1].weight.copy_(W1.T)
    net[3].weight.copy_(torch.from_numpy(rs.randn(10, 32).astype(np.float32) * 0.1))
    net[1].bias.zero_()
    net[3].bias.data = torch.zeros(size=(10,))
batch_size, lr, num_epochs = 50, 0.1, 4
loss = nn.CrossEntropyLoss(reduction='none')
trainer = torch.optim.SGD(net.parameters(), lr=lr)
print(train_ch3(net, train_iter, test_iter, loss, num_epochs, trainer))
