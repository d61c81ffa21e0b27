# style: d2l-zh 3.6 softmax回归的从零开始实现 (softmax, cross_entropy by fancy indexing, updater)
# compat: rtol=1e-5
import numpy as np
import torch

rng = np.random.default_rng(1)
num_inputs, num_outputs, n = 20, 5, 600
centers = rng.normal(0, 2, (num_outputs, num_inputs))
labels_np = rng.integers(0, num_outputs, n)
feats_np = centers[labels_np] + rng.normal(0, 1.5, (n, num_inputs))
train_features = torch.tensor(feats_np[:500], dtype=torch.float32)
train_labels = torch.tensor(labels_np[:500])
test_features = torch.tensor(feats_np[500:], dtype=torch.float32)
test_labels = torch.tensor(labels_np[500:])

W = torch.tensor(rng.normal(0, 0.01, (num_inputs, num_outputs)).astype(np.float32),
                 requires_grad=True)
b = torch.zeros(num_outputs, requires_grad=True)


def softmax(X):
    X_exp = torch.exp(X)
    partition = X_exp.sum(1, keepdim=True)
    return X_exp / partition  # 这里应用了广播机制


X = torch.tensor(rng.normal(0, 1, (2, 5)).astype(np.float32))
X_prob = softmax(X)
print(X_prob, X_prob.sum(1))


def net(X):
    return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)


y = torch.tensor([0, 2])
y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
print(y_hat[[0, 1], y])


def cross_entropy(y_hat, y):
    return - torch.log(y_hat[range(len(y_hat)), y])


print(cross_entropy(y_hat, y))


def accuracy(y_hat, y):
    """计算预测正确的数量"""
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


print(accuracy(y_hat, y) / len(y))


class Accumulator:
    """在n个变量上累加"""
    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def __getitem__(self, idx):
        return self.data[idx]


def evaluate_accuracy(net, features, labels):
    metric = Accumulator(2)
    with torch.no_grad():
        for i in range(0, len(features), 50):
            X, y = features[i:i + 50], labels[i:i + 50]
            metric.add(accuracy(net(X), y), y.numel())
    return metric[0] / metric[1]


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def updater(batch_size):
    return sgd([W, b], 0.1, batch_size)


print(evaluate_accuracy(net, test_features, test_labels))
order = rng.permutation(500)
for epoch in range(5):
    metric = Accumulator(3)
    for i in range(0, 500, 25):
        idx = torch.tensor(order[i:i + 25])
        X, y = train_features[idx], train_labels[idx]
        y_hat = net(X)
        l = cross_entropy(y_hat, y)
        l.sum().backward()
        updater(X.shape[0])
        metric.add(float(l.sum()), accuracy(y_hat, y), y.numel())
    test_acc = evaluate_accuracy(net, test_features, test_labels)
    print(f'epoch {epoch + 1}: loss {metric[0] / metric[2]:.6f}, '
          f'train acc {metric[1] / metric[2]:.4f}, test acc {test_acc:.4f}')
