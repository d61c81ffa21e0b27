# style: 莫烦Python 303/304 quick build with torch.nn.Sequential, save/restore the whole net (pickle) and its params (state_dict)
# compat: rtol=1e-5
import numpy as np
import torch

torch.manual_seed(1)    # reproducible

# fake data
x = torch.unsqueeze(torch.linspace(-1, 1, 100), dim=1)  # x data (tensor), shape=(100, 1)
y = x.pow(2) + 0.2 * torch.from_numpy(np.random.RandomState(0).rand(100, 1).astype('float32'))


# method 1 (class) vs method 2 (Sequential) of 303
class Net(torch.nn.Module):
    def __init__(self, n_feature, n_hidden, n_output):
        super(Net, self).__init__()
        self.hidden = torch.nn.Linear(n_feature, n_hidden)
        self.predict = torch.nn.Linear(n_hidden, n_output)

    def forward(self, x):
        x = torch.relu(self.hidden(x))
        return self.predict(x)


net1 = Net(1, 10, 1)
net2 = torch.nn.Sequential(
    torch.nn.Linear(1, 10),
    torch.nn.ReLU(),
    torch.nn.Linear(10, 1)
)
print(net1)
print(net2)
print(list(net2.state_dict().keys()), [tuple(v.shape) for v in net2.state_dict().values()])


def save():
    # save net1
    net1 = torch.nn.Sequential(
        torch.nn.Linear(1, 10),
        torch.nn.ReLU(),
        torch.nn.Linear(10, 1)
    )
    rng = np.random.RandomState(2)
    for layer in net1:
        if isinstance(layer, torch.nn.Linear):
            layer.weight.data.copy_(torch.from_numpy(rng.uniform(-1, 1, layer.weight.shape)))
            layer.bias.data.fill_(0.1)
    optimizer = torch.optim.SGD(net1.parameters(), lr=0.5)
    loss_func = torch.nn.MSELoss()

    for t in range(100):
        prediction = net1(x)
        loss = loss_func(prediction, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print('net1 loss', loss.item())
    print('net1 prediction', prediction[:4].detach().numpy().ravel())

    # 2 ways to save the net
    torch.save(net1, 'net.pkl')  # save entire net
    torch.save(net1.state_dict(), 'net_params.pkl')   # save only the parameters
    return prediction


def restore_net():
    # restore entire net1 to net2 (pickled modules need weights_only=False since torch 2.6)
    net2 = torch.load('net.pkl', weights_only=False)
    prediction = net2(x)
    print('net2', type(net2).__name__, prediction[:4].detach().numpy().ravel())
    return prediction


def restore_params():
    # restore only the parameters in net1 to net3
    net3 = torch.nn.Sequential(
        torch.nn.Linear(1, 10),
        torch.nn.ReLU(),
        torch.nn.Linear(10, 1)
    )

    # copy net1's parameters into net3
    result = net3.load_state_dict(torch.load('net_params.pkl'))
    print(result)
    prediction = net3(x)
    print('net3', prediction[:4].detach().numpy().ravel())
    return prediction


p1 = save()
p2 = restore_net()
p3 = restore_params()
print(torch.equal(p1, p2), torch.allclose(p1, p3), torch.equal(p2, p3))
sd = torch.load('net_params.pkl')
print(type(sd).__name__, list(sd.keys()))
print(sd['2.bias'])
