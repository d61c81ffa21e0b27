# style: 刘二大人 lecture 5 用PyTorch实现线性回归 (LinearModel(torch.nn.Module), MSELoss(size_average=False), print(epoch, loss) of a grad tensor, 'w = ' model.linear.weight.item(), y_test.data)
# compat: rtol=1e-5
import warnings

import torch

# prepare dataset
# x,y是矩阵，3行1列 也就是说总共有3个数据，每个数据只有1个特征
x_data = torch.Tensor([[1.0], [2.0], [3.0]])
y_data = torch.Tensor([[2.0], [4.0], [6.0]])


# design model using class
class LinearModel(torch.nn.Module):
    def __init__(self):
        super(LinearModel, self).__init__()
        # (1,1)是指输入x和输出y的特征维度，这里数据集中的x和y的特征都是1维的
        # 该线性层需要学习的参数是w和b  获取w/b的方式分别是~linear.weight/linear.bias
        self.linear = torch.nn.Linear(1, 1)

    def forward(self, x):
        y_pred = self.linear(x)
        return y_pred


model = LinearModel()
model.linear.weight.data = torch.Tensor([[0.3]])
model.linear.bias.data.fill_(-0.2)

# construct loss and optimizer
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    criterion = torch.nn.MSELoss(size_average=False)
print(len(caught), caught[0].category.__name__ if caught else None)
print(str(caught[0].message) if caught else None)
print(criterion.reduction)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)  # model.parameters()自动完成参数的初始化操作

# training cycle forward, backward, update
for epoch in range(100):
    y_pred = model(x_data)  # forward:predict
    loss = criterion(y_pred, y_data)  # forward: loss
    if epoch % 10 == 0:
        print(epoch, loss)  # loss是一个标量（张量），打印时会调用__str__()

    optimizer.zero_grad()  # the grad computer by .backward() will be accumulated. so before backward, remember set the grad to zero
    loss.backward()  # backward: autograd，自动计算梯度
    optimizer.step()  # update 参数，即更新w和b的值

print('w = ', model.linear.weight.item())
print('b = ', model.linear.bias.item())

x_test = torch.Tensor([[4.0]])
y_test = model(x_test)
print('y_pred = ', y_test.data)
print(model.linear.weight, model.linear.bias.grad)

# 同一模型，换不同的优化器
for name, opt_cls in [('Adagrad', torch.optim.Adagrad), ('Adam', torch.optim.Adam),
                      ('Adamax', torch.optim.Adamax), ('ASGD', torch.optim.ASGD),
                      ('RMSprop', torch.optim.RMSprop), ('Rprop', torch.optim.Rprop),
                      ('SGD', torch.optim.SGD)]:
    m = LinearModel()
    m.linear.weight.data.fill_(0.3)
    m.linear.bias.data.fill_(-0.2)
    crit = torch.nn.MSELoss(reduction='sum')
    opt = opt_cls(m.parameters(), lr=0.01)
    for epoch in range(100):
        loss = crit(m(x_data), y_data)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(name, 'loss=%.6f' % loss.item(), 'w=%.6f' % m.linear.weight.item(), 'b=%.6f' % m.linear.bias.item())
