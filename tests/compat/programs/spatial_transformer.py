# style: official "Spatial Transformer Networks Tutorial" (localization net of Conv2d/MaxPool2d/ReLU, fc_loc regressing the 2x3 theta initialized to the identity with fc_loc[2].weight.data.zero_() and bias.data.copy_(torch.tensor([1, 0, 0, 0, 1, 0], dtype=torch.float)), F.affine_grid(theta, x.size()) + F.grid_sample(x, grid), then a small classifier with F.dropout(training=self.training) and F.log_softmax)
# compat: rtol=5e-4
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

torch.manual_seed(0)


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 6, kernel_size=3)
        self.conv2 = nn.Conv2d(6, 8, kernel_size=3)
        self.conv2_drop = nn.Dropout2d()
        self.fc1 = nn.Linear(8 * 2 * 2, 16)
        self.fc2 = nn.Linear(16, 4)

        # Spatial transformer localization-network
        self.localization = nn.Sequential(
            nn.Conv2d(1, 4, kernel_size=3),
            nn.MaxPool2d(2, stride=2),
            nn.ReLU(True),
            nn.Conv2d(4, 6, kernel_size=3),
            nn.MaxPool2d(2, stride=2),
            nn.ReLU(True)
        )

        # Regressor for the 3 * 2 affine matrix
        self.fc_loc = nn.Sequential(
            nn.Linear(6 * 2 * 2, 16),
            nn.ReLU(True),
            nn.Linear(16, 3 * 2)
        )

        # Initialize the weights/bias with identity transformation
        self.fc_loc[2].weight.data.zero_()
        self.fc_loc[2].bias.data.copy_(torch.tensor([1, 0, 0, 0, 1, 0], dtype=torch.float))

    # Spatial transformer network forward function
    def stn(self, x):
        xs = self.localization(x)
        xs = xs.view(-1, 6 * 2 * 2)
        theta = self.fc_loc(xs)
        theta = theta.view(-1, 2, 3)

        grid = F.affine_grid(theta, x.size(), align_corners=False)
        x = F.grid_sample(x, grid, align_corners=False)

        return x

    def forward(self, x):
        # transform the input
        x = self.stn(x)

        # Perform the usual forward pass
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2_drop(self.conv2(x)), 2))
        x = x.view(-1, 8 * 2 * 2)
        x = F.relu(self.fc1(x))
        x = F.dropout(x, training=self.training)
        x = self.fc2(x)
        return F.log_softmax(x, dim=1)


model = Net()
optimizer = optim.SGD(model.parameters(), lr=0.05)

# 14x14 images of four shapes, randomly shifted
base = torch.zeros(4, 14, 14)
base[0, 4:10, 6:8] = 1          # vertical bar
base[1, 6:8, 4:10] = 1          # horizontal bar
base[2, 4:10, 4:10] = 1         # square
base[3, 4:10, 4:10] = 1
base[3, 6:8, 6:8] = 0           # hollow square
labels = torch.randint(0, 4, (64,))
shifts = torch.randint(-2, 3, (64, 2))
images = torch.stack([torch.roll(base[l], tuple(s.tolist()), dims=(0, 1)) for l, s in zip(labels, shifts)]).unsqueeze(1)
images = images + 0.1 * torch.randn_like(images)


def train(epoch):
    model.train()
    for batch_idx in range(4):
        data, target = images[batch_idx * 16:(batch_idx + 1) * 16], labels[batch_idx * 16:(batch_idx + 1) * 16]
        optimizer.zero_grad()
        output = model(data)
        loss = F.nll_loss(output, target)
        loss.backward()
        optimizer.step()
    print('Train Epoch: {} \tLoss: {:.6f}'.format(epoch, loss.item()))


def test():
    with torch.no_grad():
        model.eval()
        output = model(images)
        test_loss = F.nll_loss(output, labels, reduction='sum').item() / len(labels)
        pred = output.max(1, keepdim=True)[1]
        correct = pred.eq(labels.view_as(pred)).sum().item()
        print('Test set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)'.format(
            test_loss, correct, len(labels), 100. * correct / len(labels)))


for epoch in range(1, 9):
    train(epoch)
    if epoch % 4 == 0:
        test()
with torch.no_grad():
    theta = model.fc_loc(model.localization(images[:2]).view(-1, 24)).view(-1, 2, 3)
print(theta)
print(F.affine_grid(torch.tensor([[[1.0, 0, 0], [0, 1, 0]]]), (1, 1, 2, 3), align_corners=True))
print(F.grid_sample(torch.arange(9.0).view(1, 1, 3, 3), torch.tensor([[[[0.5, -0.25], [-1.0, 1.0]]]]), align_corners=True, padding_mode='border'))
