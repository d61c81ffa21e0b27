# style: torch 0.3/0.4 era script ("Learning PyTorch with examples"): Variable, .data updates
# compat: rtol=1e-5
import numpy as np
import torch
from torch.autograd import Variable

dtype = torch.FloatTensor
N, D_in, H, D_out = 64, 100, 50, 10
rng = np.random.RandomState(0)

# Variables wrap Tensors; requires_grad=False for data
x = Variable(torch.from_numpy(rng.randn(N, D_in)).type(dtype), requires_grad=False)
y = Variable(torch.from_numpy(rng.randn(N, D_out)).type(dtype), requires_grad=False)

w1 = Variable(torch.from_numpy(rng.randn(D_in, H) * 0.1).type(dtype), requires_grad=True)
w2 = Variable(torch.from_numpy(rng.randn(H, D_out) * 0.1).type(dtype), requires_grad=True)

learning_rate = 1e-4
for t in range(60):
    y_pred = x.mm(w1).clamp(min=0).mm(w2)
    loss = (y_pred - y).pow(2).sum()
    if t % 5 == 0:
        print(t, loss.item())
    loss.backward()
    w1.data -= learning_rate * w1.grad.data
    w2.data -= learning_rate * w2.grad.data
    w1.grad.data.zero_()
    w2.grad.data.zero_()

print(type(w1.data).__name__, w1.type(), w1.grad.data.sum().item())
try:
    print(loss.data[0])
except IndexError as e:
    print("IndexError:", str(e).split(".")[0])
print(torch.LongTensor([1, 2, 3]), torch.Tensor([[0], [1]]))
print(x.data.numpy().shape, isinstance(x, torch.FloatTensor))
