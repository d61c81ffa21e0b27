# style: 莫烦Python 301 regression (unsqueeze(linspace), x.pow(2) + noise, Net(n_feature, n_hidden, n_output), Variable, plt.ion/cla/scatter/text with loss.data.numpy())
# compat: rtol=1e-4
"""
View more, visit my tutorial page: https://mofanpy.com/tutorials/
My Youtube Channel: https://www.youtube.com/user/MorvanZhou

Dependencies:
torch: 0.4
matplotlib
"""
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from torch.autograd import Variable

torch.manual_seed(1)    # reproducible
np.random.seed(1)

x = torch.unsqueeze(torch.linspace(-1, 1, 100), dim=1)  # x data (tensor), shape=(100, 1)
noise = torch.rand(x.size())                             # the tutorial's noise (library RNG)
print(noise.size(), bool((noise >= 0).all()), bool((noise < 1).all()))
# same recipe as the tutorial but with NumPy's noise so both libraries see the same data
y = x.pow(2) + 0.2 * torch.from_numpy(np.random.rand(*x.size()).astype(np.float32))

# torch can only train on Variable, so convert them to Variable
x, y = Variable(x), Variable(y)
print(x.shape, y.shape, x.dtype)


class Net(torch.nn.Module):
    def __init__(self, n_feature, n_hidden, n_output):
        super(Net, self).__init__()
        self.hidden = torch.nn.Linear(n_feature, n_hidden)   # hidden layer
        self.predict = torch.nn.Linear(n_hidden, n_output)   # output layer

    def forward(self, x):
        x = F.relu(self.hidden(x))      # activation function for hidden layer
        x = self.predict(x)             # linear output
        return x


net = Net(n_feature=1, n_hidden=10, n_output=1)     # define the network
rng = np.random.RandomState(7)
for p in net.parameters():
    p.data = torch.from_numpy(rng.uniform(-0.8, 0.8, size=p.size()).astype(np.float32))
print(net)  # net architecture

optimizer = torch.optim.SGD(net.parameters(), lr=0.2)
loss_func = torch.nn.MSELoss()  # this is for regression mean squared loss

plt.ion()   # something about plotting

for t in range(200):
    prediction = net(x)     # input x and predict based on x

    loss = loss_func(prediction, y)     # must be (1. nn output, 2. target)

    optimizer.zero_grad()   # clear gradients for next train
    loss.backward()         # backpropagation, compute gradients
    optimizer.step()        # apply gradients

    if t % 20 == 0:
        # plot and show learning process
        plt.cla()
        plt.scatter(x.data.numpy(), y.data.numpy())
        plt.plot(x.data.numpy(), prediction.data.numpy(), 'r-', lw=5)
        plt.text(0.5, 0, 'Loss=%.4f' % loss.data.numpy(), fontdict={'size': 20, 'color': 'red'})
        plt.pause(0.01)
        print('step', t, 'Loss=%.4f' % loss.data.numpy(), loss.data)

plt.ioff()
plt.close('all')
print(prediction[:3])
print(net.predict.weight.data.numpy().round(4))
