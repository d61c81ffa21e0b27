# style: CIFAR-10 tutorial-style small CNN (Conv2d, MaxPool2d, view/flatten, SGD momentum)
# compat: rtol=1e-4
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn, optim

rng = np.random.default_rng(5)
n = 96
labels = rng.integers(0, 3, n)
images = rng.normal(0, 1, (n, 3, 12, 12)).astype(np.float32)
for k in range(3):  # each class has a bright stripe in its own place
    images[labels == k, k, 4:8, :] += 2.0
X = torch.from_numpy(images)
Y = torch.from_numpy(labels)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 3, padding=1)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 8, 3)
        self.fc1 = nn.Linear(8 * 2 * 2, 16)
        self.fc2 = nn.Linear(16, 3)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)  # flatten all dimensions except batch
        x = F.relu(self.fc1(x))
        x = self.fc2(x)
        return x


net = Net()
with torch.no_grad():
    for name, p in net.named_parameters():
        fan_in = p[0].numel() if p.dim() > 1 else 4
        p.copy_(torch.from_numpy(
            rng.uniform(-1, 1, tuple(p.shape)).astype(np.float32) / np.sqrt(fan_in)))
print(net)
print(sum(p.numel() for p in net.parameters()), "parameters")

criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=0.01, momentum=0.9)

for epoch in range(4):
    running_loss = 0.0
    for i in range(0, n, 16):
        inputs, targets = X[i:i + 16], Y[i:i + 16]
        optimizer.zero_grad()
        outputs = net(inputs)
        loss = criterion(outputs, targets)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
    print(f"[{epoch + 1}] loss: {running_loss / (n // 16):.5f}")
print("Finished Training")

correct = 0
total = 0
with torch.no_grad():
    outputs = net(X)
    _, predicted = torch.max(outputs.data, 1)
    total += Y.size(0)
    correct += (predicted == Y).sum().item()
print(f"Accuracy of the network: {100 * correct // total} %")
print(outputs[:2])
