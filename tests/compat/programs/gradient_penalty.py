# style: WGAN-GP gradient penalty and higher-order derivatives (autograd.grad with create_graph)
# compat: rtol=1e-5
import numpy as np
import torch
from torch import nn

rng = np.random.default_rng(13)


def init(module):
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.from_numpy(rng.uniform(-0.4, 0.4, tuple(p.shape)).astype(np.float32)))
    return module


critic = init(nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1)))
real = torch.tensor(rng.normal(1, 0.3, (32, 2)).astype(np.float32))
fake = torch.tensor(rng.normal(-1, 0.3, (32, 2)).astype(np.float32))
alpha = torch.tensor(rng.uniform(0, 1, (32, 1)).astype(np.float32))


def gradient_penalty(critic, real, fake):
    interpolates = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    d_interpolates = critic(interpolates)
    gradients = torch.autograd.grad(
        outputs=d_interpolates, inputs=interpolates,
        grad_outputs=torch.ones_like(d_interpolates),
        create_graph=True, retain_graph=True, only_inputs=True)[0]
    gradients = gradients.view(gradients.size(0), -1)
    return ((gradients.norm(2, dim=1) - 1) ** 2).mean()


opt = torch.optim.Adam(critic.parameters(), lr=1e-3, betas=(0.5, 0.9))
for step in range(20):
    opt.zero_grad()
    gp = gradient_penalty(critic, real, fake)
    loss = critic(fake).mean() - critic(real).mean() + 10 * gp
    loss.backward()
    opt.step()
    if step % 4 == 0:
        print(f"step {step} loss {loss.item():.6f} gp {gp.item():.6f}")

# higher-order derivatives of a scalar function
x = torch.tensor([0.3, -1.2, 2.0], requires_grad=True)
y = (x ** 3 * torch.sin(x)).sum()
(g1,) = torch.autograd.grad(y, x, create_graph=True)
(g2,) = torch.autograd.grad(g1.sum(), x, create_graph=True)
(g3,) = torch.autograd.grad(g2.sum(), x)
print("d1", g1)
print("d2", g2)
print("d3", g3)

# Hessian-vector product and a full Hessian via torch.autograd.functional
w = torch.tensor([0.5, -0.25], requires_grad=True)
f = lambda v: (v[0] ** 2 * v[1] + torch.exp(v[1]) * v[0])
grad = torch.autograd.grad(f(w), w, create_graph=True)[0]
hvp = torch.autograd.grad(grad @ torch.tensor([1.0, 2.0]), w)[0]
print("hvp", hvp)
print("hessian", torch.autograd.functional.hessian(f, w.detach()))
print("jacobian", torch.autograd.functional.jacobian(lambda v: v.exp() * v.sum(), w.detach()))

# double backward through a network: input-gradient norm regularizer
x_in = torch.tensor(rng.normal(0, 1, (8, 2)).astype(np.float32), requires_grad=True)
out = critic(x_in).sum()
(gx,) = torch.autograd.grad(out, x_in, create_graph=True)
reg = gx.pow(2).sum()
reg.backward()
print("reg", reg.item(), "grad norm of first layer", critic[0].weight.grad.norm().item())
