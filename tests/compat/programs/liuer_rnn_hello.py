# style: 刘二大人 lecture 12 循环神经网络 "hello" -> "ohlol" (one_hot_lookup, RNNCell loop with loss += criterion(hidden, label), torch.nn.RNN with view(-1, hidden_size), Embedding + RNN + Linear, print(''.join([idx2char[x] for x in idx])))
# compat: rtol=1e-4
import numpy as np
import torch

input_size = 4
hidden_size = 4
batch_size = 1

idx2char = ['e', 'h', 'l', 'o']
x_data = [1, 0, 2, 2, 3]  # hello
y_data = [3, 1, 2, 3, 2]  # ohlol

one_hot_lookup = [[1, 0, 0, 0],
                  [0, 1, 0, 0],
                  [0, 0, 1, 0],
                  [0, 0, 0, 1]]
x_one_hot = [one_hot_lookup[x] for x in x_data]  # seq × input_size

inputs = torch.Tensor(x_one_hot).view(-1, batch_size, input_size)  # (seqLen, batchSize, inputSize)
labels = torch.LongTensor(y_data).view(-1, 1)  # (seqLen, 1)
print(inputs.shape, labels.shape)


def numpy_init(module, seed):
    rng = np.random.RandomState(seed)
    for p in module.parameters():
        p.data = torch.from_numpy(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32))


# 1. RNNCell
class Model(torch.nn.Module):
    def __init__(self, input_size, hidden_size, batch_size):
        super(Model, self).__init__()
        self.batch_size = batch_size
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.rnncell = torch.nn.RNNCell(input_size=self.input_size, hidden_size=self.hidden_size)

    def forward(self, input, hidden):
        hidden = self.rnncell(input, hidden)
        return hidden

    def init_hidden(self):
        return torch.zeros(self.batch_size, self.hidden_size)


net = Model(input_size, hidden_size, batch_size)
numpy_init(net, 0)
criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(net.parameters(), lr=0.1)

for epoch in range(15):
    loss = 0
    optimizer.zero_grad()
    hidden = net.init_hidden()
    print('Predicted string: ', end='')
    for input, label in zip(inputs, labels):
        hidden = net(input, hidden)
        loss += criterion(hidden, label)
        _, idx = hidden.max(dim=1)
        print(idx2char[idx.item()], end='')
    loss.backward()
    optimizer.step()
    print(', Epoch [%d/15] loss=%.4f' % (epoch + 1, loss.item()))


# 2. torch.nn.RNN
class Model2(torch.nn.Module):
    def __init__(self, input_size, hidden_size, batch_size, num_layers=1):
        super(Model2, self).__init__()
        self.num_layers = num_layers
        self.batch_size = batch_size
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.rnn = torch.nn.RNN(input_size=self.input_size, hidden_size=self.hidden_size, num_layers=num_layers)

    def forward(self, input):
        hidden = torch.zeros(self.num_layers, self.batch_size, self.hidden_size)
        out, _ = self.rnn(input, hidden)
        return out.view(-1, self.hidden_size)  # reshape to (seqLen * batchSize, hiddenSize)


net = Model2(input_size, hidden_size, batch_size, num_layers=2)
numpy_init(net, 1)
optimizer = torch.optim.Adam(net.parameters(), lr=0.05)
labels2 = torch.LongTensor(y_data)
for epoch in range(15):
    optimizer.zero_grad()
    outputs = net(inputs)
    loss = criterion(outputs, labels2)
    loss.backward()
    optimizer.step()

    _, idx = outputs.max(dim=1)
    idx = idx.data.numpy()
    print('Predicted: ', ''.join([idx2char[x] for x in idx]), end='')
    print(', Epoch [%d/15] loss = %.3f' % (epoch + 1, loss.item()))


# 3. Embedding + RNN + Linear
num_class = 4
embedding_size = 10
x_data3 = [[1, 0, 2, 2, 3]]  # (batch, seq_len)


class Model3(torch.nn.Module):
    def __init__(self):
        super(Model3, self).__init__()
        self.emb = torch.nn.Embedding(input_size, embedding_size)
        self.rnn = torch.nn.RNN(input_size=embedding_size, hidden_size=8, num_layers=2, batch_first=True)
        self.fc = torch.nn.Linear(8, num_class)

    def forward(self, x):
        hidden = torch.zeros(2, x.size(0), 8)
        x = self.emb(x)  # (batch, seqLen, embeddingSize)
        x, _ = self.rnn(x, hidden)
        x = self.fc(x)
        return x.view(-1, num_class)


net = Model3()
numpy_init(net, 2)
optimizer = torch.optim.Adam(net.parameters(), lr=0.05)
inputs3 = torch.LongTensor(x_data3)
for epoch in range(15):
    optimizer.zero_grad()
    outputs = net(inputs3)
    loss = criterion(outputs, labels2)
    loss.backward()
    optimizer.step()
    _, idx = outputs.max(dim=1)
    idx = idx.data.numpy()
    print('Predicted: ', ''.join([idx2char[x] for x in idx]), end='')
    print(', Epoch [%d/15] loss = %.3f' % (epoch + 1, loss.item()))
print(net.emb.weight.shape, net.emb.weight.grad.shape, net.rnn.weight_hh_l1.grad.norm().item())
