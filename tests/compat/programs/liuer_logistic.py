# style: 刘二大人 lecture 6 逻辑斯蒂回归 (torch.sigmoid / F.sigmoid, BCELoss(size_average=False) -> reduction='sum', np.linspace test grid, torch.Tensor(x).view((200, 1)), y_t.data.numpy())
# compat: rtol=1e-5
import numpy as np
import torch
import torch.nn.functional as F

# prepare dataset
x_data = torch.Tensor([[1.0], [2.0], [3.0]])
y_data = torch.Tensor([[0], [0], [1]])


# design model using class
class LogisticRegressionModel(torch.nn.Module):
    def __init__(self):
        super(LogisticRegressionModel, self).__init__()
        self.linear = torch.nn.Linear(1, 1)

    def forward(self, x):
        # y_pred = F.sigmoid(self.linear(x))
        y_pred = torch.sigmoid(self.linear(x))
        return y_pred


model = LogisticRegressionModel()
with torch.no_grad():
    model.linear.weight.copy_(torch.tensor([[0.5]]))
    model.linear.bias.zero_()

# construct loss and optimizer
# 默认情况下，loss会基于element平均，如果size_average=False的话，loss会被累加。
criterion = torch.nn.BCELoss(reduction='sum')
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

# training cycle forward, backward, update
for epoch in range(1000):
    y_pred = model(x_data)
    loss = criterion(y_pred, y_data)
    if epoch % 100 == 0:
        print(epoch, loss.item())

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

print('w = ', model.linear.weight.item())
print('b = ', model.linear.bias.item())

x_test = torch.Tensor([[4.0]])
y_test = model(x_test)
print('y_pred = ', y_test.data)

x = np.linspace(0, 10, 200)
x_t = torch.Tensor(x).view((200, 1))
y_t = model(x_t)
y = y_t.data.numpy()
print(x_t.dtype, y.shape, y.dtype, y[::40].ravel())
# 概率为0.5的位置（plt.plot([0, 10], [0.5, 0.5], c='r')）
print('crossing near', x[np.argmin(np.abs(y.ravel() - 0.5))])
print(F.binary_cross_entropy(y_pred, y_data), F.binary_cross_entropy(y_pred, y_data, reduction='none').view(-1))
print(torch.nn.BCELoss(weight=torch.tensor([[1.0], [2.0], [0.5]]))(y_pred, y_data))
