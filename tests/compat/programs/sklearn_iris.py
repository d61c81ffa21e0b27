# style: the ubiquitous "PyTorch on the Iris dataset" notebook (sklearn load_iris, train_test_split(random_state=42, stratify=y), StandardScaler float64 -> torch.FloatTensor(X_train) / torch.LongTensor(y_train), nn.Sequential MLP, CrossEntropyLoss, Adam, loss curve list, accuracy_score / confusion_matrix / classification_report on tensors, np.array(tensor), plt.plot(losses) with tensor losses, matplotlib Agg savefig)
# compat: rtol=5e-4
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_iris
from sklearn.metrics import accuracy_score, classification_report, confusion_matrix
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

iris = load_iris()
X, y = iris.data, iris.target
print(X.shape, X.dtype, y.dtype, iris.target_names)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42, stratify=y)
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

X_train = torch.FloatTensor(X_train)
X_test = torch.FloatTensor(X_test)
y_train = torch.LongTensor(y_train)
y_test = torch.LongTensor(y_test)
print(X_train.shape, X_train.dtype, y_train.dtype, X_train.mean(0))


class Model(nn.Module):
    def __init__(self, in_features=4, h1=8, h2=9, out_features=3):
        super().__init__()
        self.fc1 = nn.Linear(in_features, h1)
        self.fc2 = nn.Linear(h1, h2)
        self.out = nn.Linear(h2, out_features)

    def forward(self, x):
        x = torch.relu(self.fc1(x))
        x = torch.relu(self.fc2(x))
        x = self.out(x)
        return x


torch.manual_seed(41)
model = Model()
r = np.random.RandomState(41)
for p in model.parameters():
    p.data = torch.FloatTensor(r.uniform(-0.5, 0.5, p.shape))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)

epochs = 100
losses = []
for i in range(epochs):
    y_pred = model.forward(X_train)
    loss = criterion(y_pred, y_train)
    losses.append(loss)  # a tensor, as in many notebooks (plotted below)
    if i % 10 == 0:
        print(f'Epoch: {i} and loss: {loss}')
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

plt.plot(range(epochs), [l.detach().numpy() for l in losses])
plt.ylabel("loss/error")
plt.xlabel('Epoch')
plt.savefig('loss.png')
plt.close()
arr = np.array([l.item() for l in losses])
print(arr.dtype, arr[:3], np.argmin(arr))

with torch.no_grad():
    y_eval = model.forward(X_test)
    loss = criterion(y_eval, y_test)
print(loss)

correct = 0
with torch.no_grad():
    for i, data in enumerate(X_test):
        y_val = model.forward(data)
        if i < 3:
            print(f'{i + 1}.)  {str(y_val)} \t {y_test[i]} \t {y_val.argmax().item()}')
        if y_val.argmax().item() == y_test[i]:
            correct += 1
print(f'We got {correct} correct!')

preds = y_eval.argmax(dim=1)
print(accuracy_score(y_test, preds), accuracy_score(y_test.numpy(), preds.numpy()))
print(confusion_matrix(y_test, preds))
print(classification_report(y_test, preds, target_names=iris.target_names, digits=3))
new_iris = torch.tensor([5.6, 3.7, 2.2, 0.5])
with torch.no_grad():
    print(model(torch.FloatTensor(scaler.transform(new_iris.numpy()[None]))))
print(np.array(X_test[:2]), np.asarray(preds[:5]), list(preds[:5]), float(loss), int(preds[0]))
torch.save(model.state_dict(), 'my_really_awesome_iris_model.pt')
new_model = Model()
new_model.load_state_dict(torch.load('my_really_awesome_iris_model.pt'))
print(new_model.eval())
