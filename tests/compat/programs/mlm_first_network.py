# style: machinelearningmastery "Develop Your First Neural Network with PyTorch, Step by Step" (Pima CSV via np.loadtxt(delimiter=','), X = torch.tensor(X, dtype=torch.float32), y = torch.tensor(y, dtype=torch.float32).reshape(-1, 1), nn.Sequential(Linear, ReLU, ..., Sigmoid), BCELoss, Adam(lr=0.001), for i in range(0, len(X), batch_size), print(f'Finished epoch {epoch}, latest loss {loss}'), accuracy = (y_pred.round() == y).float().mean(), (model(X) > 0.5).int(), '%s => %d (expected %d)' % (X[i].tolist(), predictions[i], y[i]), PimaClassifier class version)
# compat: rtol=1e-3
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim

# write a pima-indians-diabetes.csv look-alike (8 features, 0/1 outcome)
rs = np.random.RandomState(7)
n = 240
features = np.column_stack([
    rs.randint(0, 12, n), rs.normal(120, 30, n).round(), rs.normal(70, 12, n).round(),
    rs.normal(20, 10, n).clip(0).round(), rs.normal(80, 60, n).clip(0).round(),
    rs.normal(32, 7, n).round(1), rs.uniform(0.08, 2.0, n).round(3), rs.randint(21, 70, n)])
score = 0.03 * (features[:, 1] - 120) + 0.1 * (features[:, 5] - 32) + 0.02 * (features[:, 7] - 40)
outcome = (score + rs.normal(0, 0.8, n) > 0).astype(int)
path = os.path.join(tempfile.mkdtemp(), 'pima-indians-diabetes.csv')
np.savetxt(path, np.column_stack([features, outcome]), delimiter=',', fmt='%g')

# load the dataset, split into input (X) and output (y) variables
dataset = np.loadtxt(path, delimiter=',')
X = dataset[:, 0:8]
y = dataset[:, 8]
# scale like the follow-up articles do (the raw features make the first loss plateau)
X = (X - X.mean(axis=0)) / X.std(axis=0)

X = torch.tensor(X, dtype=torch.float32)
y = torch.tensor(y, dtype=torch.float32).reshape(-1, 1)

# define the model
model = nn.Sequential(
    nn.Linear(8, 12),
    nn.ReLU(),
    nn.Linear(12, 8),
    nn.ReLU(),
    nn.Linear(8, 1),
    nn.Sigmoid()
)
print(model)
init = np.random.RandomState(0)
for p in model.parameters():
    p.data = torch.tensor(init.uniform(-0.4, 0.4, p.shape), dtype=torch.float32)

# train the model
loss_fn = nn.BCELoss()  # binary cross entropy
optimizer = optim.Adam(model.parameters(), lr=0.001)

n_epochs = 40
batch_size = 10

for epoch in range(n_epochs):
    for i in range(0, len(X), batch_size):
        Xbatch = X[i:i + batch_size]
        y_pred = model(Xbatch)
        ybatch = y[i:i + batch_size]
        loss = loss_fn(y_pred, ybatch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    if epoch % 10 == 0 or epoch == n_epochs - 1:
        print(f'Finished epoch {epoch}, latest loss {loss}')

# compute accuracy (no_grad is optional)
with torch.no_grad():
    y_pred = model(X)
accuracy = (y_pred.round() == y).float().mean()
print(f"Accuracy {accuracy}")

# make class predictions with the model
predictions = (model(X) > 0.5).int()
for i in range(5):
    print('%s => %d (expected %d)' % (X[i].tolist(), predictions[i], y[i]))


class PimaClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden1 = nn.Linear(8, 12)
        self.act1 = nn.ReLU()
        self.hidden2 = nn.Linear(12, 8)
        self.act2 = nn.ReLU()
        self.output = nn.Linear(8, 1)
        self.act_output = nn.Sigmoid()

    def forward(self, x):
        x = self.act1(self.hidden1(x))
        x = self.act2(self.hidden2(x))
        x = self.act_output(self.output(x))
        return x


model2 = PimaClassifier()
print(model2)
model2.load_state_dict(dict(zip(model2.state_dict().keys(), model.state_dict().values())))
print(torch.equal(model2(X[:5]), model(X[:5])), '%.4f' % model2(X[:1]), '{:.3f}'.format(float(model2(X[:1]))))
print(int(predictions.sum()), '%d' % predictions.sum(), '%5.2f%%' % (accuracy * 100))
