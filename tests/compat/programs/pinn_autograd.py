# style: physics-informed NN / autograd-for-derivatives tutorials (torch.autograd.grad(u, x, grad_outputs=torch.ones_like(u), create_graph=True) twice for u_xx, requires_grad_() on collocation points, residual + boundary MSE, Adam then LBFGS, x.grad after retain_grad(), tensor.register_hook, torch.autograd.functional.jacobian/hessian, torch.func.grad/vmap, higher-order derivative of tanh)
# compat: rtol=1e-4
import numpy as np
import torch
import torch.nn as nn

torch.set_default_dtype(torch.float64)  # many PINN codes train in double precision

# solve u''(x) = -pi^2 sin(pi x) on [0, 1], u(0) = u(1) = 0 (exact: u = sin(pi x))
x_col = torch.linspace(0, 1, 32).view(-1, 1).requires_grad_()
x_bc = torch.tensor([[0.0], [1.0]])


class PINN(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 1))

    def forward(self, x):
        return self.net(x)


model = PINN()
r = np.random.RandomState(0)
for p in model.parameters():
    p.data = torch.from_numpy(r.normal(0, 0.5, p.shape))


def residual(model, x):
    u = model(x)
    u_x = torch.autograd.grad(u, x, grad_outputs=torch.ones_like(u), create_graph=True)[0]
    u_xx = torch.autograd.grad(u_x, x, grad_outputs=torch.ones_like(u_x), create_graph=True)[0]
    return u_xx + np.pi ** 2 * torch.sin(np.pi * x)


def loss_fn():
    res = residual(model, x_col)
    return (res ** 2).mean() + (model(x_bc) ** 2).mean()


optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
for it in range(150):
    optimizer.zero_grad()
    loss = loss_fn()
    loss.backward()
    optimizer.step()
    if it % 50 == 0:
        print(f'adam {it}: loss {loss.item():.6e}')

lbfgs = torch.optim.LBFGS(model.parameters(), lr=1.0, max_iter=20, line_search_fn='strong_wolfe')


def closure():
    lbfgs.zero_grad()
    loss = loss_fn()
    loss.backward()
    return loss


for it in range(3):
    loss = lbfgs.step(closure)
    print(f'lbfgs {it}: loss {loss.item():.6e}')
with torch.no_grad():
    xs = torch.tensor([[0.25], [0.5], [0.75]])
    print('u(0.25, 0.5, 0.75) =', model(xs).view(-1), 'exact', torch.sin(np.pi * xs).view(-1))

# autograd odds and ends from the same notebooks
x = torch.tensor([0.3, -1.2, 2.0], requires_grad=True)
y = torch.tanh(x)
y.retain_grad()
grads_seen = []
y.register_hook(lambda g: grads_seen.append(g.clone()))
z = (y ** 3).sum()
z.backward()
print(x.grad, y.grad, grads_seen[0], y.is_leaf, y.grad_fn.name())
d1, = torch.autograd.grad(torch.tanh(x).sum(), x, create_graph=True)
d2, = torch.autograd.grad(d1.sum(), x, create_graph=True)
d3, = torch.autograd.grad(d2.sum(), x)
print(d1.detach(), d2.detach(), d3, d1.requires_grad, d3.requires_grad)  # d1.grad_fn is TanhBackwardBackward0 in torch


def f(v):
    return torch.stack([v[0] * v[1], torch.sin(v[0]) + v[1] ** 2])


print(torch.autograd.functional.jacobian(f, torch.tensor([1.0, 2.0])))
print(torch.autograd.functional.hessian(lambda v: (v ** 3).sum() + v[0] * v[1], torch.tensor([1.0, 2.0])))
print(torch.autograd.functional.vjp(f, torch.tensor([1.0, 2.0]), torch.tensor([1.0, -1.0]))[1])
print(torch.func.grad(lambda v: (v ** 2).sum())(torch.tensor([1.0, 2.0, 3.0])))
print(torch.func.vmap(lambda v: v.dot(v))(torch.arange(6.0).reshape(3, 2)))
with torch.enable_grad():
    w = torch.ones(2, requires_grad=True)
    print((w * 2).requires_grad, torch.is_grad_enabled())
with torch.inference_mode():
    print((w * 2).requires_grad, torch.is_inference_mode_enabled())
print(torch.get_default_dtype(), x_col.dtype)
