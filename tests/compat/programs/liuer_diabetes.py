# style: 刘二大人 lectures 7-8 多维输入 + Dataset/DataLoader (np.loadtxt('diabetes.csv.gz', delimiter=',', dtype=np.float32), xy[:, [-1]], 8->6->4->1 sigmoid net, DiabetesDataset(__getitem__/__len__), DataLoader(shuffle=False here), enumerate(train_loader, 0))
# compat: rtol=1e-4
import gzip
import os
import tempfile

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

# the course ships diabetes.csv.gz; build an equivalent file here
rs = np.random.RandomState(0)
features = rs.uniform(-1, 1, (120, 8))
labels = (features @ rs.normal(0, 1, 8) + 0.3 * rs.normal(0, 1, 120) > 0).astype(float)
tmp = tempfile.mkdtemp()
path = os.path.join(tmp, 'diabetes.csv.gz')
with gzip.open(path, 'wt') as f:
    for row, lab in zip(features, labels):
        f.write(','.join('%.6f' % v for v in row) + ',%d\n' % lab)

xy = np.loadtxt(path, delimiter=',', dtype=np.float32)
x_data = torch.from_numpy(xy[:, :-1])  # 第一个‘：’是指读取所有行，第二个‘：’是指从第一列开始，最后一列不要
y_data = torch.from_numpy(xy[:, [-1]])  # [-1] 最后得到的是个矩阵
print(xy.shape, x_data.shape, y_data.shape, x_data.dtype)


class Model(torch.nn.Module):
    def __init__(self):
        super(Model, self).__init__()
        self.linear1 = torch.nn.Linear(8, 6)  # 输入数据x的特征是8维，x有8个特征
        self.linear2 = torch.nn.Linear(6, 4)
        self.linear3 = torch.nn.Linear(4, 1)
        self.sigmoid = torch.nn.Sigmoid()  # 将其看作是网络的一层，而不是简单的函数使用

    def forward(self, x):
        x = self.sigmoid(self.linear1(x))
        x = self.sigmoid(self.linear2(x))
        x = self.sigmoid(self.linear3(x))  # y hat
        return x


def fresh_model():
    model = Model()
    init = np.random.RandomState(5)
    for p in model.parameters():
        p.data = torch.from_numpy(init.normal(0, 0.6, p.shape).astype(np.float32))
    return model


model = fresh_model()
criterion = torch.nn.BCELoss(reduction='mean')
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)

# 第7讲：全批量训练
for epoch in range(300):
    y_pred = model(x_data)
    loss = criterion(y_pred, y_data)
    if epoch % 50 == 0:
        print(epoch, loss.item())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

# 准确率
y_pred_label = torch.where(y_pred >= 0.5, torch.tensor([1.0]), torch.tensor([0.0]))
acc = torch.eq(y_pred_label, y_data).sum().item() / y_data.size(0)
print("loss = ", loss.item(), "acc = ", acc)


# 第8讲：Dataset + DataLoader
class DiabetesDataset(Dataset):
    def __init__(self, filepath):
        xy = np.loadtxt(filepath, delimiter=',', dtype=np.float32)
        self.len = xy.shape[0]  # shape(多少行，多少列)
        self.x_data = torch.from_numpy(xy[:, :-1])
        self.y_data = torch.from_numpy(xy[:, [-1]])

    def __getitem__(self, index):
        return self.x_data[index], self.y_data[index]

    def __len__(self):
        return self.len


dataset = DiabetesDataset(path)
train_loader = DataLoader(dataset=dataset, batch_size=32, shuffle=False, num_workers=0)  # num_workers 多线程
print(len(dataset), len(train_loader))

model = fresh_model()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

if __name__ == '__main__':
    for epoch in range(20):
        for i, data in enumerate(train_loader, 0):  # train_loader 是先shuffle后mini_batch
            inputs, labels = data
            y_pred = model(inputs)
            loss = criterion(y_pred, labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        if epoch % 4 == 0:
            print(epoch, i, loss.item(), inputs.shape, labels.shape)
    print(model.linear3.weight.data, model.linear3.bias.data)
