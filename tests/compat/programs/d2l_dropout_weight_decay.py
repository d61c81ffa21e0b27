# style: d2l-zh 4.5 权重衰减 + 4.6 暂退法 (init_params with torch.normal(0, 1, size=(num_inputs, 1), requires_grad=True), l2_penalty torch.sum(w.pow(2)) / 2, d2l.sgd, torch.norm(w).item(), weight_decay in param groups [{"params": net[0].weight, 'weight_decay': wd}, {"params": net[0].bias}], dropout_layer with (torch.rand(X.shape) > dropout).float(), nn.Dropout in train/eval)
# compat: rtol=2e-4
import numpy as np
import torch
from torch import nn
from torch.utils import data

# 4.5 高维线性回归：n_train = 20, num_inputs = 200
n_train, n_test, num_inputs, batch_size = 20, 100, 200, 5
true_w, true_b = torch.ones((num_inputs, 1)) * 0.01, 0.05


def synthetic_data(w, b, num_examples, rs):  # @save
    """生成y=Xw+b+噪声 (d2l draws X with torch.normal; NumPy keeps both libraries equal)"""
    X = torch.from_numpy(rs.normal(0, 1, (num_examples, len(w))).astype(np.float32))
    y = torch.matmul(X, w) + b
    y += torch.from_numpy(rs.normal(0, 0.01, y.shape).astype(np.float32))
    return X, y.reshape((-1, 1))


def load_array(data_arrays, batch_size, is_train=True):  # @save
    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train)


rs = np.random.RandomState(0)
train_data = synthetic_data(true_w, true_b, n_train, rs)
train_iter = load_array(train_data, batch_size, is_train=False)
test_data = synthetic_data(true_w, true_b, n_test, rs)
test_iter = load_array(test_data, batch_size, is_train=False)


def init_params():
    w = torch.normal(0, 1, size=(num_inputs, 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    with torch.no_grad():
        w.copy_(torch.from_numpy(np.random.RandomState(1).normal(0, 1, (num_inputs, 1))))
    return [w, b]


def l2_penalty(w):
    return torch.sum(w.pow(2)) / 2


def linreg(X, w, b):  # @save
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):  # @save
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):  # @save
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def evaluate_loss(net, data_iter, loss):  # @save
    metric = [0.0, 0.0]
    for X, y in data_iter:
        out = net(X)
        y = y.reshape(out.shape)
        l = loss(out, y)
        metric[0] += l.sum()
        metric[1] += l.numel()
    return metric[0] / metric[1]


def train(lambd):
    w, b = init_params()
    net, loss = lambda X: linreg(X, w, b), squared_loss
    num_epochs, lr = 50, 0.003
    for epoch in range(num_epochs):
        for X, y in train_iter:
            # 增加了L2范数惩罚项，
            # 广播机制使l2_penalty(w)成为一个长度为batch_size的向量
            l = loss(net(X), y) + lambd * l2_penalty(w)
            l.sum().backward()
            sgd([w, b], lr, batch_size)
        if (epoch + 1) % 10 == 0:
            print(epoch + 1, float(evaluate_loss(net, train_iter, loss)), float(evaluate_loss(net, test_iter, loss)))
    print('w的L2范数是：', torch.norm(w).item())


train(lambd=0)
train(lambd=3)


def train_concise(wd):
    net = nn.Sequential(nn.Linear(num_inputs, 1))
    for param in net.parameters():
        param.data.normal_()
    with torch.no_grad():
        net[0].weight.copy_(torch.from_numpy(np.random.RandomState(1).normal(0, 1, (1, num_inputs))))
        net[0].bias.zero_()
    loss = nn.MSELoss(reduction='none')
    num_epochs, lr = 50, 0.003
    # 偏置参数没有衰减
    trainer = torch.optim.SGD([
        {"params": net[0].weight, 'weight_decay': wd},
        {"params": net[0].bias}], lr=lr)
    for epoch in range(num_epochs):
        for X, y in train_iter:
            trainer.zero_grad()
            l = loss(net(X), y)
            l.mean().backward()
            trainer.step()
        if (epoch + 1) % 25 == 0:
            print(epoch + 1, evaluate_loss(net, train_iter, loss).item(), evaluate_loss(net, test_iter, loss).item())
    print('w的L2范数：', net[0].weight.norm().item())
    print(trainer.param_groups[0]['weight_decay'], trainer.param_groups[1]['weight_decay'])


train_concise(0)
train_concise(3)


# 4.6 暂退法（Dropout）
def dropout_layer(X, dropout):
    assert 0 <= dropout <= 1
    # 在本情况中，所有元素都被丢弃
    if dropout == 1:
        return torch.zeros_like(X)
    # 在本情况中，所有元素都被保留
    if dropout == 0:
        return X
    mask = (torch.rand(X.shape) > dropout).float()
    return mask * X / (1.0 - dropout)


X = torch.arange(16, dtype=torch.float32).reshape((2, 8))
print(X)
print(dropout_layer(X, 0.))
print(dropout_layer(X, 1.))
half = dropout_layer(X, 0.5)
print(half.shape, half.dtype, bool(((half == 0) | (half == 2 * X)).all()))

drop = nn.Dropout(0.5)
torch.manual_seed(0)
out = drop(torch.ones(1000))
print(drop, out.dtype, bool(((out == 0) | (out == 2)).all()), 400 < int((out == 0).sum()) < 600)
drop.eval()
print(drop.training, torch.equal(drop(X), X))
net = nn.Sequential(nn.Flatten(), nn.Linear(8, 4), nn.ReLU(), nn.Dropout(0.2), nn.Linear(4, 2))
net.eval()
with torch.no_grad():
    for p in net.parameters():
        p.copy_(torch.linspace(-0.5, 0.5, p.numel()).reshape(p.shape))
print(net(X), net.training, net[3].training)
net.train()
print(net[3].training, net(X).shape)
