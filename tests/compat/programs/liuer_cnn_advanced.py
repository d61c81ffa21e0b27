# style: 刘二大人 lectures 10-11 CNN基础/高级篇 (in_size = x.size(0), x.view(in_size, -1), InceptionA with branch1x1/5x5/3x3dbl/pool, F.avg_pool2d(x, kernel_size=3, stride=1, padding=1), torch.cat(outputs, dim=1), ResidualBlock F.relu(x + y), a conv layer shape walk-through)
# compat: rtol=2e-4
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# 第10讲：卷积层的输入输出形状
in_channels, out_channels = 5, 10
width, height = 12, 12
kernel_size = 3
batch_size = 1
rs = np.random.RandomState(0)
input = torch.from_numpy(rs.randn(batch_size, in_channels, width, height).astype(np.float32))
conv_layer = torch.nn.Conv2d(in_channels, out_channels, kernel_size=kernel_size)
output = conv_layer(input)
print(input.shape)
print(output.shape)
print(conv_layer.weight.shape)

input = [3, 4, 6, 5, 7,
         2, 4, 6, 8, 2,
         1, 6, 7, 8, 4,
         9, 7, 4, 6, 2,
         3, 7, 5, 4, 1]
input = torch.Tensor(input).view(1, 1, 5, 5)
conv_layer = torch.nn.Conv2d(1, 1, kernel_size=3, padding=1, bias=False)
kernel = torch.Tensor([1, 2, 3, 4, 5, 6, 7, 8, 9]).view(1, 1, 3, 3)
conv_layer.weight.data = kernel.data
print(conv_layer(input))
conv_layer = torch.nn.Conv2d(1, 1, kernel_size=3, stride=2, bias=False)
conv_layer.weight.data = kernel.data
print(conv_layer(input))
maxpooling_layer = torch.nn.MaxPool2d(kernel_size=2)
print(maxpooling_layer(torch.Tensor([3, 4, 6, 5, 2, 4, 6, 8, 1, 6, 7, 8, 9, 7, 4, 6]).view(1, 1, 4, 4)))


# 第11讲：GoogLeNet Inception 模块与残差块
class InceptionA(nn.Module):
    def __init__(self, in_channels):
        super(InceptionA, self).__init__()
        self.branch1x1 = nn.Conv2d(in_channels, 4, kernel_size=1)

        self.branch5x5_1 = nn.Conv2d(in_channels, 4, kernel_size=1)
        self.branch5x5_2 = nn.Conv2d(4, 6, kernel_size=5, padding=2)

        self.branch3x3_1 = nn.Conv2d(in_channels, 4, kernel_size=1)
        self.branch3x3_2 = nn.Conv2d(4, 6, kernel_size=3, padding=1)
        self.branch3x3_3 = nn.Conv2d(6, 6, kernel_size=3, padding=1)

        self.branch_pool = nn.Conv2d(in_channels, 6, kernel_size=1)

    def forward(self, x):
        branch1x1 = self.branch1x1(x)

        branch5x5 = self.branch5x5_1(x)
        branch5x5 = self.branch5x5_2(branch5x5)

        branch3x3 = self.branch3x3_1(x)
        branch3x3 = self.branch3x3_2(branch3x3)
        branch3x3 = self.branch3x3_3(branch3x3)

        branch_pool = F.avg_pool2d(x, kernel_size=3, stride=1, padding=1)
        branch_pool = self.branch_pool(branch_pool)

        outputs = [branch1x1, branch5x5, branch3x3, branch_pool]
        return torch.cat(outputs, dim=1)  # b,c,w,h  c对应的是dim=1


class ResidualBlock(nn.Module):
    def __init__(self, channels):
        super(ResidualBlock, self).__init__()
        self.channels = channels
        self.conv1 = nn.Conv2d(channels, channels, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(channels, channels, kernel_size=3, padding=1)

    def forward(self, x):
        y = F.relu(self.conv1(x))
        y = self.conv2(y)
        return F.relu(x + y)


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 8, kernel_size=3)
        self.conv2 = nn.Conv2d(22, 12, kernel_size=3)  # 22 = 4 + 6 + 6 + 6

        self.incep1 = InceptionA(in_channels=8)
        self.rblock = ResidualBlock(12)

        self.mp = nn.MaxPool2d(2)
        self.fc = nn.Linear(12 * 2 * 2, 10)

    def forward(self, x):
        in_size = x.size(0)
        x = F.relu(self.mp(self.conv1(x)))
        x = self.incep1(x)
        x = F.relu(self.mp(self.conv2(x)))
        x = self.rblock(x)
        x = x.view(in_size, -1)
        x = self.fc(x)
        return x


model = Net()
init = np.random.RandomState(4)
for name, p in model.named_parameters():
    fan_in = p[0].numel() if p.dim() > 1 else 9
    p.data.copy_(torch.from_numpy(init.uniform(-1, 1, p.shape).astype(np.float32) / np.sqrt(fan_in)))
print(model)
print(sum(p.numel() for p in model.parameters() if p.requires_grad))

# 14x14 images, 10 classes, each class has a bright block in its own place
images = rs.rand(64, 1, 14, 14).astype(np.float32) * 0.5
targets = rs.randint(0, 10, 64)
for k in range(10):
    images[targets == k, 0, k:k + 4, 2:6] += 1.0
x, y = torch.from_numpy(images), torch.from_numpy(targets)
print(model.incep1(torch.zeros(1, 8, 6, 6)).shape)

criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.5)
for epoch in range(8):
    running_loss = 0.0
    for batch_idx in range(4):
        inputs, target = x[batch_idx * 16:(batch_idx + 1) * 16], y[batch_idx * 16:(batch_idx + 1) * 16]
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = criterion(outputs, target)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
    print('[%d] loss: %.4f' % (epoch + 1, running_loss / 4))

with torch.no_grad():
    outputs = model(x)
    _, predicted = torch.max(outputs.data, dim=1)
    print('accuracy on train set: %d %% [%d/%d]' % (100 * (predicted == y).sum().item() / y.size(0),
                                                     (predicted == y).sum().item(), y.size(0)))
print(outputs[:2])
