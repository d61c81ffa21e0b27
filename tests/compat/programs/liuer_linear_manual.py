# style: 刘二大人 《PyTorch深度学习实践》 lectures 2-4 (forward/loss functions, exhaustive w search with np.arange, w = torch.Tensor([1.0]); w.requires_grad = True, w.data = w.data - 0.01 * w.grad.data, w.grad.data.zero_(), print("progress:", epoch, l.item()))
# compat: rtol=1e-5
import numpy as np
import torch

x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]


# 第2讲 线性模型：穷举 w
def forward0(x):
    return x * w0


def loss0(x, y):
    y_pred = forward0(x)
    return (y_pred - y) * (y_pred - y)


w_list = []
mse_list = []
for w0 in np.arange(0.0, 4.1, 0.5):
    l_sum = 0
    for x_val, y_val in zip(x_data, y_data):
        loss_val = loss0(x_val, y_val)
        l_sum += loss_val
    print('w=', w0, 'MSE=', l_sum / 3)
    w_list.append(w0)
    mse_list.append(l_sum / 3)

# 第4讲 反向传播
w = torch.Tensor([1.0])  # w的初值为1.0
w.requires_grad = True  # 需要计算梯度
print(w, w.requires_grad, w.is_leaf, w.grad)


def forward(x):
    return x * w  # w是一个Tensor


def loss(x, y):
    y_pred = forward(x)
    return (y_pred - y) ** 2


print("predict (before training)", 4, forward(4).item())

for epoch in range(100):
    for x, y in zip(x_data, y_data):
        l = loss(x, y)  # l是一个张量，tensor主要是在建立计算图 forward, compute the loss
        l.backward()  # backward,compute grad for Tensor whose requires_grad set to True
        if epoch % 20 == 0:
            print('\tgrad:', x, y, w.grad.item())
        w.data = w.data - 0.01 * w.grad.data  # 权重更新时，注意grad也是一个tensor

        w.grad.data.zero_()  # after update, remember set the grad to zero

    if epoch % 20 == 0 or epoch == 99:
        print('progress:', epoch, l.item())  # 取出loss使用l.item，不要直接使用l（l是tensor会构建计算图）

print("predict (after training)", 4, forward(4).item())
print(w, l, type(l.item()))

# 作业：y = w1 x^2 + w2 x + b
w1 = torch.Tensor([1.0])
w1.requires_grad = True
w2 = torch.Tensor([1.0])
w2.requires_grad = True
b = torch.Tensor([1.0])
b.requires_grad = True


def forward2(x):
    return w1 * x ** 2 + w2 * x + b


def loss2(x, y):
    y_pred = forward2(x)
    return (y_pred - y) ** 2


print('Predict (befortraining)', 4, forward2(4))
for epoch in range(100):
    for x, y in zip(x_data, y_data):
        l = loss2(x, y)
        l.backward()
        w1.data = w1.data - 0.01 * w1.grad.data
        w2.data = w2.data - 0.01 * w2.grad.data
        b.data = b.data - 0.01 * b.grad.data
        w1.grad.data.zero_()
        w2.grad.data.zero_()
        b.grad.data.zero_()
    if epoch % 25 == 0:
        print('Epoch:', epoch, l.item())

print('Predict(after training)', 4, forward2(4).item())
print('b=', b.item(), 'w1=', w1.item(), 'w2=', w2.item())
print(forward2(4))
