# style: 莫烦Python 306 optimizer comparison (SGD / Momentum / RMSprop / Adam on one regression, nets in a list, losses_his, DataLoader batches)
# compat: rtol=2e-4
import numpy as np
import torch
import torch.nn.functional as F
import torch.utils.data as Data

torch.manual_seed(1)    # reproducible

LR = 0.01
BATCH_SIZE = 32
EPOCH = 4

# fake dataset
x = torch.unsqueeze(torch.linspace(-1, 1, 256), dim=1)
y = x.pow(2) + 0.1 * torch.from_numpy(np.random.RandomState(4).normal(size=x.size()).astype(np.float32))

# put dataset into torch dataset (in order: the tutorial shuffles with the library RNG)
torch_dataset = Data.TensorDataset(x, y)
loader = Data.DataLoader(dataset=torch_dataset, batch_size=BATCH_SIZE, shuffle=False, num_workers=0,)


# default network
class Net(torch.nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.hidden = torch.nn.Linear(1, 20)   # hidden layer
        self.predict = torch.nn.Linear(20, 1)   # output layer

    def forward(self, x):
        x = F.relu(self.hidden(x))      # activation function for hidden layer
        x = self.predict(x)             # linear output
        return x


if __name__ == '__main__':
    # different nets
    net_SGD = Net()
    net_Momentum = Net()
    net_RMSprop = Net()
    net_Adam = Net()
    nets = [net_SGD, net_Momentum, net_RMSprop, net_Adam]
    rng = np.random.RandomState(0)
    start = {k: torch.from_numpy(rng.uniform(-1, 1, v.shape).astype(np.float32))
             for k, v in net_SGD.state_dict().items()}
    for net in nets:
        net.load_state_dict(start)

    # different optimizers
    opt_SGD = torch.optim.SGD(net_SGD.parameters(), lr=LR)
    opt_Momentum = torch.optim.SGD(net_Momentum.parameters(), lr=LR, momentum=0.8)
    opt_RMSprop = torch.optim.RMSprop(net_RMSprop.parameters(), lr=LR, alpha=0.9)
    opt_Adam = torch.optim.Adam(net_Adam.parameters(), lr=LR, betas=(0.9, 0.99))
    optimizers = [opt_SGD, opt_Momentum, opt_RMSprop, opt_Adam]

    loss_func = torch.nn.MSELoss()
    losses_his = [[], [], [], []]   # record loss

    # training
    for epoch in range(EPOCH):
        print('Epoch: ', epoch)
        for step, (b_x, b_y) in enumerate(loader):          # for each training step
            for net, opt, l_his in zip(nets, optimizers, losses_his):
                output = net(b_x)              # get output for every net
                loss = loss_func(output, b_y)  # compute loss for every net
                opt.zero_grad()                # clear gradients for next train
                loss.backward()                # backpropagation, compute gradients
                opt.step()                     # apply gradients
                l_his.append(loss.data.numpy())     # loss recoder

    labels = ['SGD', 'Momentum', 'RMSprop', 'Adam']
    for i, l_his in enumerate(losses_his):
        print(labels[i], len(l_his), 'first %.5f' % l_his[0], 'last %.6f' % l_his[-1],
              'mean %.6f' % np.mean(l_his), l_his[-1].dtype, l_his[-1].shape)
    print(opt_Adam.state_dict()['param_groups'][0]['betas'], opt_RMSprop.defaults['alpha'])
    print(opt_Momentum)
