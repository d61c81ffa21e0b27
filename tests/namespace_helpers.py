"""Helpers shared by the namespace tests: float64 forward/backward comparison with torch."""

from __future__ import annotations

import numpy as np
import torch

import chainrule

RNG = np.random.default_rng(1234)


def _grads_match(f_ours, f_torch, arrays, rtol=1e-9, atol=1e-11):
    """Forward and backward (random upstream gradient) agree in float64."""
    ours = [chainrule.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    out_ours, out_theirs = f_ours(*ours), f_torch(*theirs)
    assert tuple(out_ours.shape) == tuple(out_theirs.shape)
    assert str(out_ours.dtype) == str(out_theirs.dtype)
    np.testing.assert_allclose(out_ours.detach().numpy(), out_theirs.detach().numpy(),
                               rtol=rtol, atol=atol)
    upstream = RNG.standard_normal(tuple(out_theirs.shape))
    (out_ours * chainrule.tensor(upstream)).sum().backward()
    (out_theirs * torch.tensor(upstream)).sum().backward()
    for a, b in zip(ours, theirs):
        if b.grad is None:
            assert a.grad is None or not a.grad.numpy().any()
            continue
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=rtol * 100, atol=atol * 100)


def _spd(n=4, batch=(2,)):
    a = RNG.standard_normal(batch + (n, n))
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)
