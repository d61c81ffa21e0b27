# style: d2l-zh 7.6 残差网络 ResNet (Residual with use_1x1conv/strides, nn.Sequential b1..b5 built with *resnet_block(...), AdaptiveAvgPool2d((1, 1)), shape walk, net.apply(init_weights) with nn.init.xavier_uniform_, torch.save(net.state_dict(), 'mlp.params') / clone.load_state_dict(torch.load('mlp.params')), clone.eval())
# compat: rtol=5e-4
import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


class Residual(nn.Module):  # @save
    def __init__(self, input_channels, num_channels,
                 use_1x1conv=False, strides=1):
        super().__init__()
        self.conv1 = nn.Conv2d(input_channels, num_channels,
                               kernel_size=3, padding=1, stride=strides)
        self.conv2 = nn.Conv2d(num_channels, num_channels,
                               kernel_size=3, padding=1)
        if use_1x1conv:
            self.conv3 = nn.Conv2d(input_channels, num_channels,
                                   kernel_size=1, stride=strides)
        else:
            self.conv3 = None
        self.bn1 = nn.BatchNorm2d(num_channels)
        self.bn2 = nn.BatchNorm2d(num_channels)

    def forward(self, X):
        Y = F.relu(self.bn1(self.conv1(X)))
        Y = self.bn2(self.conv2(Y))
        if self.conv3:
            X = self.conv3(X)
        Y += X
        return F.relu(Y)


blk = Residual(3, 3)
X = torch.rand(4, 3, 6, 6)
Y = blk(X)
print(Y.shape)
blk = Residual(3, 6, use_1x1conv=True, strides=2)
print(blk(X).shape)

b1 = nn.Sequential(nn.Conv2d(1, 8, kernel_size=7, stride=2, padding=3),
                   nn.BatchNorm2d(8), nn.ReLU(),
                   nn.MaxPool2d(kernel_size=3, stride=2, padding=1))


def resnet_block(input_channels, num_channels, num_residuals,
                 first_block=False):
    blk = []
    for i in range(num_residuals):
        if i == 0 and not first_block:
            blk.append(Residual(input_channels, num_channels,
                                use_1x1conv=True, strides=2))
        else:
            blk.append(Residual(num_channels, num_channels))
    return blk


b2 = nn.Sequential(*resnet_block(8, 8, 2, first_block=True))
b3 = nn.Sequential(*resnet_block(8, 16, 2))
b4 = nn.Sequential(*resnet_block(16, 24, 1))

net = nn.Sequential(b1, b2, b3, b4,
                    nn.AdaptiveAvgPool2d((1, 1)),
                    nn.Flatten(), nn.Linear(24, 10))

X = torch.rand(size=(1, 1, 32, 32))
for layer in net:
    X = layer(X)
    print(layer.__class__.__name__, 'output shape:\t', X.shape)
for m in net.modules():  # the shape walk above ran torch.rand data through the BatchNorms
    if isinstance(m, nn.BatchNorm2d):
        m.reset_running_stats()


def init_weights(m):
    if type(m) == nn.Linear or type(m) == nn.Conv2d:
        nn.init.xavier_uniform_(m.weight)


net.apply(init_weights)
w = net[0][0].weight
bound = (6 / (w.shape[1] * 49 + w.shape[0] * 49)) ** 0.5
print('xavier bound ok:', bool(w.abs().max() <= bound), round(bound, 6))
# the same weights in both libraries: a NumPy draw in the xavier range
rs = np.random.RandomState(0)
with torch.no_grad():
    for name, p in net.named_parameters():
        if p.dim() > 1:
            fan_in, fan_out = p.shape[1] * p[0, 0].numel(), p.shape[0] * p[0, 0].numel()
            b = (6 / (fan_in + fan_out)) ** 0.5
            p.copy_(torch.from_numpy(rs.uniform(-b, b, p.shape).astype(np.float32)))
        elif 'bias' in name:
            p.zero_()
print(sum(p.numel() for p in net.parameters()), len(list(net.modules())), len(net.state_dict()))

labels = rs.randint(0, 10, 48)
images = rs.rand(48, 1, 32, 32).astype(np.float32)
for k in range(10):
    images[labels == k, 0, 3 * k:3 * k + 6, 4:28] += 1.5
X_all, y_all = torch.from_numpy(images), torch.from_numpy(labels)

loss = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.05)
for epoch in range(3):
    net.train()
    total, correct = 0.0, 0
    for i in range(0, 48, 16):
        X, y = X_all[i:i + 16], y_all[i:i + 16]
        optimizer.zero_grad()
        y_hat = net(X)
        l = loss(y_hat, y)
        l.backward()
        optimizer.step()
        with torch.no_grad():
            total += l * X.shape[0]
            correct += (y_hat.argmax(dim=1) == y).sum()
    print(f'epoch {epoch + 1}, loss {total / 48:.4f}, train acc {int(correct) / 48:.3f}')

print(net[1][0].bn1.running_mean[:4], net[1][0].bn1.num_batches_tracked)
torch.save(net.state_dict(), 'mlp.params')
clone = nn.Sequential(nn.Sequential(nn.Conv2d(1, 8, kernel_size=7, stride=2, padding=3),
                                    nn.BatchNorm2d(8), nn.ReLU(),
                                    nn.MaxPool2d(kernel_size=3, stride=2, padding=1)),
                      nn.Sequential(*resnet_block(8, 8, 2, first_block=True)),
                      nn.Sequential(*resnet_block(8, 16, 2)),
                      nn.Sequential(*resnet_block(16, 24, 1)),
                      nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(24, 10))
clone.load_state_dict(torch.load('mlp.params'))
print(clone.eval() is clone, clone.training, net.training)
net.eval()
with torch.no_grad():
    Y_clone = clone(X_all[:4])
    print(Y_clone == net(X_all[:4]))
    print(Y_clone[0])
