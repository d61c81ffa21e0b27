# style: 莫烦Python 302 classification (torch.normal(2*n_data, 1), torch.cat(...).type(torch.FloatTensor/LongTensor), F.softmax without dim, torch.max(out, 1)[1], accuracy in NumPy)
# compat: rtol=1e-4
import warnings

import numpy as np
import torch
import torch.nn.functional as F

torch.manual_seed(1)    # reproducible

# make fake data
n_data = torch.ones(100, 2)
x0 = torch.normal(2 * n_data, 1)      # class0 x data (tensor), shape=(100, 2)
print(x0.shape, x0.dtype, abs(x0.mean().item() - 2) < 0.5)
# the same two clouds from NumPy so that both libraries train on identical points
rs = np.random.RandomState(3)
x0 = torch.from_numpy(rs.normal(2, 1, (100, 2)))     # float64, like many NumPy pipelines
y0 = torch.zeros(100)                 # class0 y data (tensor), shape=(100, 1)
x1 = torch.from_numpy(rs.normal(-2, 1, (100, 2)))    # class1 x data (tensor), shape=(100, 2)
y1 = torch.ones(100)                  # class1 y data (tensor), shape=(100, 1)
x = torch.cat((x0, x1), 0).type(torch.FloatTensor)  # shape (200, 2) FloatTensor = 32-bit floating
y = torch.cat((y0, y1), ).type(torch.LongTensor)    # shape (200,) LongTensor = 64-bit integer
print(x.type(), y.type(), x.dtype, y.dtype, y[:3], y[-3:])


class Net(torch.nn.Module):
    def __init__(self, n_feature, n_hidden, n_output):
        super(Net, self).__init__()
        self.hidden = torch.nn.Linear(n_feature, n_hidden)   # hidden layer
        self.out = torch.nn.Linear(n_hidden, n_output)   # output layer

    def forward(self, x):
        x = F.relu(self.hidden(x))      # activation function for hidden layer
        x = self.out(x)
        return x


net = Net(n_feature=2, n_hidden=10, n_output=2)     # define the network
state = net.state_dict()
for k in state:
    state[k] = torch.tensor(rs.uniform(-0.5, 0.5, tuple(state[k].shape)), dtype=torch.float32)
net.load_state_dict(state)
print(net)  # net architecture

optimizer = torch.optim.SGD(net.parameters(), lr=0.02)
loss_func = torch.nn.CrossEntropyLoss()  # the target label is NOT an one-hotted

for t in range(100):
    out = net(x)                 # input x and predict based on x
    loss = loss_func(out, y)     # must be (1. nn output, 2. target), the target label is NOT one-hotted

    optimizer.zero_grad()   # clear gradients for next train
    loss.backward()         # backpropagation, compute gradients
    optimizer.step()        # apply gradients

    if t % 10 == 0:
        prediction = torch.max(out, 1)[1]
        pred_y = prediction.data.numpy().squeeze()
        target_y = y.data.numpy()
        accuracy = float((pred_y == target_y).astype(int).sum()) / float(target_y.size)
        print('t=%d' % t, 'Accuracy=%.2f' % accuracy, 'loss', loss.item())

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    prob = F.softmax(out)          # old tutorials call softmax without dim
print([w.category.__name__ for w in caught])
print(str(caught[0].message) if caught else "no warning")
print(prob[:3])
print(prob.sum(1)[:3])
print(torch.max(F.softmax(out, dim=1), 1))
