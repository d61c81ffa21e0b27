# style: the errors learners hit and read (float64 NumPy input into a float32 Linear, shape mismatch in a Linear, backward twice, .numpy() on a grad tensor, backward of a non-scalar, float targets for CrossEntropyLoss, in-place change of a saved tensor, leaf in-place, no grad_fn, view on non-contiguous, wrong target size for MSELoss (broadcast warning), int tensor requires_grad) and their usual fixes
# compat: rtol=1e-5, prefix
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def attempt(title, fn):
    try:
        out = fn()
        print(f'{title}: ok', out if out is not None else '')
    except Exception as e:  # noqa: BLE001 - show the message a learner would read
        print(f'{title}: {type(e).__name__}: {str(e).splitlines()[0]}')


model = nn.Linear(3, 2)
with torch.no_grad():
    model.weight.copy_(torch.tensor([[0.1, 0.2, 0.3], [-0.1, 0.0, 0.5]]))
    model.bias.fill_(0.5)
x64 = np.ones((4, 3))                      # NumPy's float64

attempt('float64 input', lambda: model(torch.from_numpy(x64)))
attempt('fix with .float()', lambda: model(torch.from_numpy(x64).float()).sum().item())
attempt('fix with dtype=', lambda: model(torch.tensor(x64, dtype=torch.float32)).shape)
attempt('shape mismatch', lambda: model(torch.ones(4, 5)))
attempt('1-D input', lambda: model(torch.ones(3)))


def backward_twice():
    out = (model(torch.ones(2, 3)) ** 2).sum()
    out.backward()
    out.backward()


attempt('backward twice', backward_twice)


def backward_twice_retain():
    model.zero_grad()
    out = (model(torch.ones(2, 3)) ** 2).sum()
    out.backward(retain_graph=True)
    out.backward()
    return model.bias.grad


attempt('retain_graph=True', backward_twice_retain)
attempt('numpy of grad tensor', lambda: model(torch.ones(1, 3)).numpy())
attempt('detach().numpy()', lambda: model(torch.ones(1, 3)).detach().numpy())
attempt('non-scalar backward', lambda: model(torch.ones(2, 3)).backward())
attempt('backward(gradient=)', lambda: model(torch.ones(2, 3)).backward(torch.ones(2, 2)))

logits = torch.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 0.3]])
attempt('float class targets', lambda: F.cross_entropy(logits, torch.tensor([0.0, 2.0])))
attempt('int32 targets', lambda: F.cross_entropy(logits, torch.tensor([0, 2], dtype=torch.int32)))
attempt('targets out of range', lambda: F.cross_entropy(logits, torch.tensor([0, 3])))
attempt('one-hot float targets (probabilities)', lambda: F.cross_entropy(logits, torch.tensor([[1.0, 0, 0], [0, 0, 1.0]])).item())
attempt('2-D long targets', lambda: F.cross_entropy(logits, torch.tensor([[0], [2]])))
attempt('nll on raw ints', lambda: F.nll_loss(logits.log_softmax(1), torch.tensor([1, 1])).item())
attempt('BCE with long targets', lambda: F.binary_cross_entropy(torch.sigmoid(logits[:, 0]), torch.tensor([1, 0])))
attempt('BCE probs out of range', lambda: F.binary_cross_entropy(logits[:, 0], torch.tensor([1.0, 0.0])))


def inplace_saved():
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = a.sigmoid()
    b.mul_(2)
    b.sum().backward()


attempt('in-place on saved output', inplace_saved)


def inplace_leaf():
    w = torch.ones(2, requires_grad=True)
    w -= 0.1 * torch.ones(2)


attempt('in-place on a leaf', inplace_leaf)


def no_grad_fn():
    a = torch.ones(2)
    (a * 2).sum().backward()


attempt('no grad_fn', no_grad_fn)
attempt('int requires_grad', lambda: torch.tensor([1, 2], requires_grad=True))
attempt('is_contiguous of transposed', lambda: (torch.ones(2, 3).t().is_contiguous(), torch.ones(2, 3).t().contiguous().is_contiguous()))
attempt('reshape of transposed', lambda: torch.ones(2, 3).t().reshape(6).shape)
attempt('contiguous().view', lambda: torch.ones(2, 3).t().contiguous().view(-1).shape)
attempt('item of many', lambda: torch.ones(2).item())
attempt('bool of many', lambda: bool(torch.ones(2) > 0))
attempt('cat mismatched', lambda: torch.cat([torch.ones(2, 3), torch.ones(2, 4)]))
attempt('stack mismatched', lambda: torch.stack([torch.ones(2), torch.ones(3)]))
attempt('add mismatched', lambda: torch.ones(2, 3) + torch.ones(3, 2))
attempt('matmul mismatched', lambda: torch.ones(2, 3) @ torch.ones(2, 3))
attempt('index out of range', lambda: torch.ones(3)[5])
attempt('view bad size', lambda: torch.ones(6).view(4, -1))
attempt('long mean', lambda: torch.tensor([1, 2, 3]).mean())
attempt('long mean fixed', lambda: torch.tensor([1, 2, 3]).float().mean())
attempt('embedding index too big', lambda: nn.Embedding(5, 2)(torch.tensor([5])))
attempt('embedding float index', lambda: nn.Embedding(5, 2)(torch.tensor([1.0])))
attempt('conv 3-D batch-less', lambda: nn.Conv2d(1, 2, 3)(torch.ones(1, 5, 5)).shape)
attempt('conv wrong channels', lambda: nn.Conv2d(3, 2, 3)(torch.ones(1, 1, 5, 5)))
attempt('lstm 2-D input', lambda: nn.LSTM(4, 3)(torch.ones(5, 4))[0].shape)
attempt('optimizer empty', lambda: torch.optim.SGD([], lr=0.1))
attempt('load_state_dict wrong keys', lambda: nn.Linear(3, 2).load_state_dict({'weight': torch.ones(2, 3)}))
attempt('load_state_dict strict=False', lambda: nn.Linear(3, 2).load_state_dict({'weight': torch.ones(2, 3)}, strict=False))
attempt('load_state_dict wrong shape', lambda: nn.Linear(3, 2).load_state_dict({'weight': torch.ones(3, 2), 'bias': torch.ones(2)}))

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    loss = F.mse_loss(torch.ones(4, 1), torch.zeros(4))   # a classic: (N, 1) vs (N,)
print('mse broadcast', loss.item(), [str(w.message).split('.')[0] for w in caught])
print('mse fixed', F.mse_loss(torch.ones(4, 1).squeeze(1), torch.zeros(4)).item())
