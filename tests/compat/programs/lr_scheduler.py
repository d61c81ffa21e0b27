# style: learning-rate schedules (StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LambdaLR, OneCycleLR, ReduceLROnPlateau)
# compat: rtol=1e-6
import numpy as np
import torch
from torch import nn, optim
from torch.optim import lr_scheduler

rng = np.random.default_rng(8)
X = torch.tensor(rng.normal(0, 1, (64, 5)).astype(np.float32))
y = torch.tensor(rng.normal(0, 1, (64, 1)).astype(np.float32))


def make():
    model = nn.Linear(5, 1)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[0.1, -0.2, 0.3, -0.4, 0.5]]))
        model.bias.fill_(0.05)
    return model


def train(name, make_sched, epochs=8, opt_cls=optim.SGD, **opt_kw):
    model = make()
    opt = opt_cls(model.parameters(), lr=0.1, **opt_kw)
    sched = make_sched(opt)
    lrs = []
    for epoch in range(epochs):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(X), y)
        loss.backward()
        opt.step()
        if isinstance(sched, lr_scheduler.ReduceLROnPlateau):
            sched.step(1.0)  # a plateau: the metric never improves
        else:
            sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    print(f"{name:<12} lrs " + " ".join(f"{v:.6g}" for v in lrs))
    print(f"{name:<12} loss {loss.item():.6f} last_lr {sched.get_last_lr()[0]:.6g}"
          if hasattr(sched, "get_last_lr") else f"{name} loss {loss.item():.6f}")


train("step", lambda o: lr_scheduler.StepLR(o, step_size=3, gamma=0.5))
train("multistep", lambda o: lr_scheduler.MultiStepLR(o, milestones=[2, 5], gamma=0.1))
train("exp", lambda o: lr_scheduler.ExponentialLR(o, gamma=0.9))
train("cosine", lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=8, eta_min=0.001))
train("lambda", lambda o: lr_scheduler.LambdaLR(o, lambda epoch: 0.95 ** epoch))
train("onecycle", lambda o: lr_scheduler.OneCycleLR(o, max_lr=0.5, total_steps=8),
      momentum=0.9)
train("plateau", lambda o: lr_scheduler.ReduceLROnPlateau(o, mode="min", factor=0.5,
                                                          patience=1))
train("adam-step", lambda o: lr_scheduler.StepLR(o, step_size=2, gamma=0.7),
      opt_cls=optim.Adam)

model = make()
opt = optim.SGD(model.parameters(), lr=0.1)
sched = lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
for _ in range(3):
    opt.step()
    sched.step()
print("state_dict:", {k: v for k, v in sorted(sched.state_dict().items())
                      if k in ("base_lrs", "last_epoch", "step_size", "gamma", "_last_lr")})
