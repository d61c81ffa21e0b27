"""Regression tests for bugs the compat programs found, each checked against torch."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import chainrule


@pytest.mark.parametrize("name", ["zeros", "ones", "empty", "rand", "randn"])
def test_factories_take_size_keyword(name):
    # d2l: torch.rand(size=(1, 1, 28, 28), dtype=torch.float32)
    ours = getattr(chainrule, name)(size=(2, 3), dtype=chainrule.float64)
    theirs = getattr(torch, name)(size=(2, 3), dtype=torch.float64)
    assert tuple(ours.shape) == tuple(theirs.shape) and str(ours.dtype) == str(theirs.dtype)
    if name in ("zeros", "ones"):
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert tuple(getattr(chainrule, name)(size=[4]).shape) == (4,)
    with pytest.raises(TypeError):
        getattr(torch, name)(2, size=(2, 3))
    with pytest.raises(TypeError):
        getattr(chainrule, name)(2, size=(2, 3))


_NODE_CASES = {
    "sum()": lambda t, x: x.sum(),
    "sum(1)": lambda t, x: x.sum(1),
    "sum((0, 1))": lambda t, x: t.sum(x, (0, 1), keepdim=True),
    "mean()": lambda t, x: x.mean(),
    "mean(0)": lambda t, x: x.mean(0),
    "max()": lambda t, x: x.max(),
    "min()": lambda t, x: x.min(),
    "max(1)": lambda t, x: x.max(1).values,
    "min(1)": lambda t, x: x.min(1)[0],
    "amax(1)": lambda t, x: x.amax(1),
    "amin()": lambda t, x: x.amin(),
    "x / 2": lambda t, x: x / 2,
    "x / 3": lambda t, x: x / 3,
    "2 / x": lambda t, x: 2 / x,
    "reciprocal": lambda t, x: x.reciprocal(),
    "clamp(0, 1)": lambda t, x: x.clamp(0, 1),
    "clamp(min=0)": lambda t, x: t.clamp(x, min=0),
    "x.T": lambda t, x: x.T,
    "x.t()": lambda t, x: x.t(),
    "logsumexp(1)": lambda t, x: x.logsumexp(1),
    "logcumsumexp(1)": lambda t, x: x.logcumsumexp(1),
}


@pytest.mark.parametrize("case", list(_NODE_CASES))
def test_grad_fn_names_match_torch(case):
    # print(loss) / print(model(x)) show grad_fn=<...>: the compat outputs compare that text
    # (F.kl_div(..., reduction='none').sum(1) printed <SumBackward1> under torch)
    data = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
    ours = _NODE_CASES[case](chainrule, chainrule.tensor(data, requires_grad=True))
    theirs = _NODE_CASES[case](torch, torch.tensor(data, requires_grad=True))
    assert ours.grad_fn.name() == theirs.grad_fn.name()
    grad = np.random.default_rng(0).normal(size=tuple(theirs.shape))
    x_ours = chainrule.tensor(data, requires_grad=True)
    x_theirs = torch.tensor(data, requires_grad=True)
    _NODE_CASES[case](chainrule, x_ours).backward(chainrule.tensor(grad))
    _NODE_CASES[case](torch, x_theirs).backward(torch.tensor(grad))
    np.testing.assert_allclose(x_ours.grad.numpy(), x_theirs.grad.numpy(), rtol=1e-12)
