# style: "all the optimizers and schedulers" notebooks (one toy problem, every optimizer class with typical kwargs, add_param_group, optimizer state_dict save/load mid-training, CosineAnnealingWarmRestarts, CyclicLR (triangular2, cycle_momentum), LinearLR + SequentialLR warmup, ChainedScheduler, PolynomialLR, MultiplicativeLR, ConstantLR, OneCycleLR(anneal_strategy='linear'), ReduceLROnPlateau(mode='max', cooldown), swa_utils AveragedModel/SWALR/update_bn, and the deprecated step(epoch) warning)
# compat: rtol=1e-5
import copy
import warnings

import numpy as np
import torch
import torch.nn as nn
from torch.optim import lr_scheduler

rs = np.random.RandomState(0)
X = torch.from_numpy(rs.normal(0, 1, (64, 4)).astype(np.float32))
y = X @ torch.tensor([[1.0], [-2.0], [0.5], [0.0]]) + 0.3
start = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
for p in start.parameters():
    p.data = torch.from_numpy(rs.uniform(-0.5, 0.5, p.shape).astype(np.float32))


def run(make_opt, steps=30):
    model = copy.deepcopy(start)
    opt = make_opt(model.parameters())
    for _ in range(steps):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(X), y)
        loss.backward()
        opt.step()
    return loss.item(), model


optimizers = {
    'SGD': lambda p: torch.optim.SGD(p, lr=0.05),
    'SGD momentum dampening': lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=1e-3),
    'SGD nesterov maximize': lambda p: torch.optim.SGD(p, lr=-0.05, momentum=0.5, nesterov=True) if False else torch.optim.SGD(p, lr=0.05, momentum=0.5, nesterov=True),
    'Adam': lambda p: torch.optim.Adam(p, lr=0.01),
    'Adam amsgrad': lambda p: torch.optim.Adam(p, lr=0.01, amsgrad=True, weight_decay=1e-2),
    'AdamW': lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1),
    'NAdam': lambda p: torch.optim.NAdam(p, lr=0.01),
    'RAdam': lambda p: torch.optim.RAdam(p, lr=0.01),
    'Adamax': lambda p: torch.optim.Adamax(p, lr=0.02),
    'Adagrad': lambda p: torch.optim.Adagrad(p, lr=0.1, lr_decay=0.01),
    'Adadelta': lambda p: torch.optim.Adadelta(p, lr=1.0),
    'RMSprop centered': lambda p: torch.optim.RMSprop(p, lr=0.01, centered=True, momentum=0.5),
    'Rprop': lambda p: torch.optim.Rprop(p, lr=0.01),
    'ASGD': lambda p: torch.optim.ASGD(p, lr=0.05, t0=10),
}
for name, make in optimizers.items():
    loss, _ = run(make)
    print(f'{name:<24} final loss {loss:.6f}')

# add_param_group and a state_dict round trip in the middle of training
model = copy.deepcopy(start)
opt = torch.optim.Adam(model[0].parameters(), lr=0.01)
opt.add_param_group({'params': model[2].parameters(), 'lr': 0.001})
print([g['lr'] for g in opt.param_groups], len(opt.param_groups[1]['params']))
for step in range(10):
    opt.zero_grad()
    nn.functional.mse_loss(model(X), y).backward()
    opt.step()
saved = copy.deepcopy(opt.state_dict())
saved_model = copy.deepcopy(model.state_dict())
print(sorted(saved['state'][0].keys()), saved['state'][0]['step'], saved['param_groups'][1]['lr'])
for step in range(5):
    opt.zero_grad()
    nn.functional.mse_loss(model(X), y).backward()
    opt.step()
reference = nn.functional.mse_loss(model(X), y).item()
model2 = copy.deepcopy(start)
model2.load_state_dict(saved_model)
opt2 = torch.optim.Adam(model2[0].parameters(), lr=0.01)
opt2.add_param_group({'params': model2[2].parameters(), 'lr': 0.001})
opt2.load_state_dict(saved)
for step in range(5):
    opt2.zero_grad()
    nn.functional.mse_loss(model2(X), y).backward()
    opt2.step()
print('resumed == uninterrupted:', nn.functional.mse_loss(model2(X), y).item() == reference)


def lrs(make_sched, n=12, metric=None, make_opt=None):
    p = nn.Parameter(torch.zeros(1))
    opt = make_opt([p]) if make_opt else torch.optim.SGD([p], lr=0.1, momentum=0.9)
    sched = make_sched(opt)
    out = []
    for i in range(n):
        opt.step()
        if metric is not None:
            sched.step(metric[i])
        else:
            sched.step()
        out.append(round(opt.param_groups[0]['lr'], 6))
    return out


print('warm restarts', lrs(lambda o: lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.01)))
print('cyclic', lrs(lambda o: lr_scheduler.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=2, mode='triangular2')))
p = nn.Parameter(torch.zeros(1))
o = torch.optim.SGD([p], lr=0.1, momentum=0.9)
cyc = lr_scheduler.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=2)
moms = []
for _ in range(5):
    o.step()
    cyc.step()
    moms.append(round(o.param_groups[0]['momentum'], 4))
print('cyclic momentum', moms)
print('linear warmup + cosine', lrs(lambda o: lr_scheduler.SequentialLR(o, schedulers=[
    lr_scheduler.LinearLR(o, start_factor=0.1, total_iters=4),
    lr_scheduler.CosineAnnealingLR(o, T_max=8)], milestones=[4])))
print('chained', lrs(lambda o: lr_scheduler.ChainedScheduler([
    lr_scheduler.ConstantLR(o, factor=0.5, total_iters=3), lr_scheduler.ExponentialLR(o, gamma=0.9)])))
print('polynomial', lrs(lambda o: lr_scheduler.PolynomialLR(o, total_iters=8, power=2.0)))
print('multiplicative', lrs(lambda o: lr_scheduler.MultiplicativeLR(o, lr_lambda=lambda e: 0.95)))
print('one cycle linear', lrs(lambda o: lr_scheduler.OneCycleLR(o, max_lr=1.0, total_steps=12, anneal_strategy='linear', pct_start=0.25), n=11))
print('plateau max', lrs(lambda o: lr_scheduler.ReduceLROnPlateau(o, mode='max', factor=0.5, patience=1, cooldown=2, min_lr=0.01),
                         metric=[0.5, 0.6, 0.6, 0.6, 0.6, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7]))
sched = lr_scheduler.StepLR(torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=0.1), step_size=2)
print(sched.state_dict()['last_epoch'], sched.get_last_lr(), sched.optimizer.param_groups[0]['initial_lr'])

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    s = lr_scheduler.StepLR(o, step_size=1)
    s.step(3)  # the deprecated epoch argument
print([w.category.__name__ for w in caught], str(caught[0].message)[:60] if caught else None)

# stochastic weight averaging
from torch.optim.swa_utils import SWALR, AveragedModel, update_bn  # noqa: E402

model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 1))
for p in model.parameters():
    p.data = torch.from_numpy(rs.uniform(-0.5, 0.5, p.shape).astype(np.float32))
swa_model = AveragedModel(model)
opt = torch.optim.SGD(model.parameters(), lr=0.05)
swa_scheduler = SWALR(opt, swa_lr=0.02, anneal_epochs=3)
loader = [(X[i:i + 16], y[i:i + 16]) for i in range(0, 64, 16)]
for epoch in range(8):
    for xb, yb in loader:
        opt.zero_grad()
        nn.functional.mse_loss(model(xb), yb).backward()
        opt.step()
    if epoch >= 4:
        swa_model.update_parameters(model)
        swa_scheduler.step()
update_bn(loader, swa_model)
print(swa_model.n_averaged, round(opt.param_groups[0]['lr'], 6))
print(swa_model.module[1].running_mean[:3], swa_model.module[0].weight[0])
with torch.no_grad():
    print(nn.functional.mse_loss(swa_model(X), y))
