# style: d2l-zh 6.6 LeNet (Sigmoid + AvgPool2d, shape walk with layer.__class__.__name__) and 7.5 批量规范化 (batch_norm from scratch with moving_mean/moving_var, torch.is_grad_enabled(), X.mean(dim=(0, 2, 3), keepdim=True), BatchNorm module, nn.BatchNorm2d/BatchNorm1d concise version, net[1].gamma.reshape((-1,)))
# compat: rtol=5e-4
import numpy as np
import torch
from torch import nn

net = nn.Sequential(
    nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2),
    nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2),
    nn.Flatten(),
    nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),
    nn.Linear(120, 84), nn.Sigmoid(),
    nn.Linear(84, 10))

X = torch.rand(size=(1, 1, 28, 28), dtype=torch.float32)
for layer in net:
    X = layer(X)
    print(layer.__class__.__name__, 'output shape: \t', X.shape)


def batch_norm(X, gamma, beta, moving_mean, moving_var, eps, momentum):
    # 通过is_grad_enabled来判断当前模式是训练模式还是预测模式
    if not torch.is_grad_enabled():
        # 如果是在预测模式下，直接使用传入的移动平均所得的均值和方差
        X_hat = (X - moving_mean) / torch.sqrt(moving_var + eps)
    else:
        assert len(X.shape) in (2, 4)
        if len(X.shape) == 2:
            # 使用全连接层的情况，计算特征维上的均值和方差
            mean = X.mean(dim=0)
            var = ((X - mean) ** 2).mean(dim=0)
        else:
            # 使用二维卷积层的情况，计算通道维上（axis=1）的均值和方差。
            # 这里我们需要保持X的形状以便后面可以做广播运算
            mean = X.mean(dim=(0, 2, 3), keepdim=True)
            var = ((X - mean) ** 2).mean(dim=(0, 2, 3), keepdim=True)
        # 训练模式下，用当前的均值和方差做标准化
        X_hat = (X - mean) / torch.sqrt(var + eps)
        # 更新移动平均的均值和方差
        moving_mean = momentum * moving_mean + (1.0 - momentum) * mean
        moving_var = momentum * moving_var + (1.0 - momentum) * var
    Y = gamma * X_hat + beta  # 缩放和移位
    return Y, moving_mean.data, moving_var.data


class BatchNorm(nn.Module):
    # num_features：完全连接层的输出数量或卷积层的输出通道数。
    # num_dims：2表示完全连接层，4表示卷积层
    def __init__(self, num_features, num_dims):
        super().__init__()
        if num_dims == 2:
            shape = (1, num_features)
        else:
            shape = (1, num_features, 1, 1)
        # 参与求梯度和迭代的拉伸和偏移参数，分别初始化成1和0
        self.gamma = nn.Parameter(torch.ones(shape))
        self.beta = nn.Parameter(torch.zeros(shape))
        # 非模型参数的变量初始化为0和1
        self.moving_mean = torch.zeros(shape)
        self.moving_var = torch.ones(shape)

    def forward(self, X):
        # 如果X不在内存上，将moving_mean和moving_var
        # 复制到X所在显存上
        if self.moving_mean.device != X.device:
            self.moving_mean = self.moving_mean.to(X.device)
            self.moving_var = self.moving_var.to(X.device)
        # 保存更新过的moving_mean和moving_var
        Y, self.moving_mean, self.moving_var = batch_norm(
            X, self.gamma, self.beta, self.moving_mean,
            self.moving_var, eps=1e-5, momentum=0.9)
        return Y


def lenet_bn(bn2d, bn1d):
    return nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5), bn2d(6), nn.Sigmoid(),
        nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Conv2d(6, 16, kernel_size=3), bn2d(16), nn.Sigmoid(),
        nn.AvgPool2d(kernel_size=2, stride=2), nn.Flatten(),
        nn.Linear(16 * 2 * 2, 32), bn1d(32), nn.Sigmoid(),
        nn.Linear(32, 10))


scratch = lenet_bn(lambda c: BatchNorm(c, num_dims=4), lambda c: BatchNorm(c, num_dims=2))
concise = lenet_bn(nn.BatchNorm2d, nn.BatchNorm1d)
print(concise)
print([k for k in concise.state_dict().keys() if k.startswith('1.') or k.startswith('9.')])

# identical starting weights (NumPy) for the conv/linear layers of both nets
rs = np.random.RandomState(0)
for i in (0, 4, 9, 12):
    w = rs.uniform(-0.4, 0.4, scratch[i].weight.shape).astype(np.float32)
    b = rs.uniform(-0.1, 0.1, scratch[i].bias.shape).astype(np.float32)
    for net_ in (scratch, concise):
        net_[i].weight.data = torch.from_numpy(w.copy())
        net_[i].bias.data = torch.from_numpy(b.copy())

labels = rs.randint(0, 10, 96)
images = rs.rand(96, 1, 16, 16).astype(np.float32)
for k in range(10):
    images[labels == k, 0, k // 2:k // 2 + 5, (k % 2) * 6:(k % 2) * 6 + 6] += 1.0
X_all, y_all = torch.from_numpy(images), torch.from_numpy(labels)

loss = nn.CrossEntropyLoss()
for name, net_ in (('scratch', scratch), ('concise', concise)):
    trainer = torch.optim.SGD(net_.parameters(), lr=0.5)
    net_.train()
    for epoch in range(6):
        total = 0.0
        for i in range(0, 96, 32):
            X, y = X_all[i:i + 32], y_all[i:i + 32]
            trainer.zero_grad()
            l = loss(net_(X), y)
            l.backward()
            trainer.step()
            total += l.item()
        print(name, 'epoch', epoch + 1, 'loss %.5f' % (total / 3))
    net_.eval()
    with torch.no_grad():
        acc = (net_(X_all).argmax(axis=1) == y_all).float().mean()
    print(name, f'eval accuracy {acc:.3f}')

print(scratch[1].gamma.reshape((-1,)), scratch[1].beta.reshape((-1,)))
print(concise[1].weight.reshape((-1,)), concise[1].bias.reshape((-1,)))
print(scratch[1].moving_mean.reshape(-1)[:3], concise[1].running_mean[:3])
print(scratch[1].moving_var.reshape(-1)[:3], concise[1].running_var[:3], concise[1].num_batches_tracked)
