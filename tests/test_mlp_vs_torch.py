"""The training stack end to end: a 784-256-256-10 MLP trained with Adam on the same random
data, from the same weights, follows torch's loss curve (float64) for 100 steps."""

from __future__ import annotations

import numpy as np
import torch

import chainrule


def _mlp(lib):
    nn = lib.nn
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                         nn.Linear(256, 10))


def test_mlp_adam_loss_curve_matches_torch() -> None:
    torch.manual_seed(0)
    t_model = _mlp(torch).double()
    c_model = _mlp(chainrule).double()
    c_model.load_state_dict({k: v.detach().numpy() for k, v in t_model.state_dict().items()})
    assert list(c_model.state_dict()) == list(t_model.state_dict())
    t_opt = torch.optim.Adam(t_model.parameters(), lr=1e-3, weight_decay=1e-4)
    c_opt = chainrule.optim.Adam(c_model.parameters(), lr=1e-3, weight_decay=1e-4)
    t_loss_fn, c_loss_fn = torch.nn.CrossEntropyLoss(), chainrule.nn.CrossEntropyLoss()
    rng = np.random.default_rng(0)
    batches = [(rng.standard_normal((32, 784)), rng.integers(0, 10, 32)) for _ in range(4)]
    t_losses, c_losses = [], []
    for step in range(100):
        x, y = batches[step % 4]
        for model, opt, loss_fn, lib, out in (
            (t_model, t_opt, t_loss_fn, torch, t_losses),
            (c_model, c_opt, c_loss_fn, chainrule, c_losses),
        ):
            opt.zero_grad()
            loss = loss_fn(model(lib.tensor(x)), lib.tensor(y))
            loss.backward()
            opt.step()
            out.append(loss.item())
    np.testing.assert_allclose(c_losses, t_losses, rtol=1e-5, atol=0)
    assert c_losses[-1] < 0.1 * c_losses[0]  # it learned (4 batches of random labels, memorized)
    for (name, t_p), c_p in zip(t_model.named_parameters(), c_model.parameters()):
        np.testing.assert_allclose(c_p.detach().numpy(), t_p.detach().numpy(), rtol=1e-6,
                                   atol=1e-9, err_msg=name)
