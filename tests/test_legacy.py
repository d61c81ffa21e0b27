"""Legacy idioms from torch 0.x-era tutorials run as they do under torch 2.13."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import chainrule


def _both(fn):
    """Runs ``fn(lib)`` for both libraries; returns comparable descriptions."""
    out = []
    for lib in (chainrule, torch):
        try:
            r = fn(lib)
            if isinstance(r, lib.Tensor):
                r = ("tensor", str(r.dtype), tuple(r.shape), r.detach().numpy().tolist(),
                     r.requires_grad)
            elif isinstance(r, (lib.Size, tuple)):
                r = ("tuple", tuple(r))
            out.append(r)
        except Exception as err:  # noqa: BLE001 - the error type is what we compare
            out.append(("error", type(err).__name__))
    return out


def _manual_sgd_with_data(lib):
    w = lib.tensor([1.0, -2.0, 0.5], requires_grad=True)
    for _ in range(3):
        loss = (w * w).sum()
        loss.backward()
        w.data = w.data - 0.1 * w.grad.data
        w.grad.data.zero_()
    return w


def _manual_sgd_no_grad(lib):
    w = lib.tensor([1.0, -2.0, 0.5], requires_grad=True)
    for _ in range(3):
        loss = (w ** 3).sum()
        loss.backward()
        with lib.no_grad():
            w.sub_(0.05 * w.grad)
            w -= 0.01 * w.grad
        w.grad = None
    return w


def _assign_grad(lib):
    w = lib.ones(3, requires_grad=True)
    w.grad = lib.full((3,), 2.0)
    (w * w).sum().backward()  # accumulates into the assigned gradient
    return w.grad


def _variable(lib):
    x = lib.autograd.Variable(lib.tensor([1.0, 2.0]), requires_grad=True)
    y = (x * x).sum()
    y.backward()
    return x.grad


IDIOMS = {
    "w.data = w.data - lr * w.grad.data; grad.data.zero_()": _manual_sgd_with_data,
    "sub_ under no_grad; x.grad = None": _manual_sgd_no_grad,
    "assigning .grad then accumulating": _assign_grad,
    "Variable(t, requires_grad=True)": _variable,
    "Variable returns a Tensor": lambda m: type(m.autograd.Variable(m.ones(1))).__name__,
    "Variable volatile ignored": lambda m: m.autograd.Variable(m.ones(2), volatile=True),
    "x.data[0]": lambda m: m.tensor([[1.0, 2.0], [3.0, 4.0]]).data[0],
    "loss.data[0] is an error": lambda m: (m.ones(2, requires_grad=True) * 2).sum().data[0],
    "loss.data.item()": lambda m: (m.ones(2, requires_grad=True) * 2).sum().data.item(),
    "x.data has no grad": lambda m: m.ones(2, requires_grad=True).data.requires_grad,
    "x.data.numpy()": lambda m: m.ones(2, requires_grad=True).data.numpy().tolist(),
    ".type(torch.FloatTensor)": lambda m: m.tensor([1, 2]).type(m.FloatTensor),
    ".type(torch.LongTensor)": lambda m: m.tensor([1.7, -2.2]).type(m.LongTensor),
    ".type('torch.DoubleTensor')": lambda m: m.tensor([1, 2]).type("torch.DoubleTensor"),
    ".type()": lambda m: m.tensor([1.0, 2.0]).type(),
    ".type() long": lambda m: m.ones(2, dtype=m.int64).type(),
    "torch.Tensor([[0], [1]])": lambda m: m.Tensor([[0], [1]]),
    "torch.Tensor(2, 3) shape": lambda m: m.Tensor(2, 3).shape,
    "torch.Tensor(np int array)": lambda m: m.Tensor(np.array([1, 2])),
    "torch.LongTensor(list)": lambda m: m.LongTensor([1, 2, 3]),
    "torch.LongTensor(size)": lambda m: m.LongTensor(2).shape,
    "torch.FloatTensor(np)": lambda m: m.FloatTensor(np.array([1, 2])),
    "torch.FloatTensor(list)": lambda m: m.FloatTensor([[1, 2]]),
    "torch.ByteTensor": lambda m: m.ByteTensor([1, 0]),
    "torch.DoubleTensor": lambda m: m.DoubleTensor([1.5]),
    "isinstance(t, FloatTensor)": lambda m: isinstance(m.ones(2), m.FloatTensor),
    "isinstance(t, LongTensor)": lambda m: isinstance(m.ones(2), m.LongTensor),
    "x.grad is None before backward": lambda m: m.ones(2, requires_grad=True).grad,
    "grad of wrong shape": lambda m: setattr(m.ones(2, requires_grad=True), "grad", m.ones(3)),
    "x.numpy() on requires_grad": lambda m: m.ones(2, requires_grad=True).numpy(),
    "new_tensor": lambda m: m.ones(2).new_tensor([1, 2]),
    "x.data.clone()": lambda m: m.ones(2, requires_grad=True).data.clone(),
    "w.data.fill_": lambda m: m.ones(2, requires_grad=True).data.fill_(3),
    "index_select(LongTensor)": lambda m: m.arange(5.0).index_select(0, m.LongTensor([0, 2])),
    "grad.data on None": lambda m: m.ones(2, requires_grad=True).grad.data,
    "requires_grad on int": lambda m: m.ones(2, dtype=m.int64).requires_grad_(),
    "backward on non-scalar": lambda m: (m.ones(2, requires_grad=True) * 2).backward(),
    "size(0) and view(-1, 1)": lambda m: m.arange(4).view(-1, 1).size(0),
}


@pytest.mark.parametrize("name", list(IDIOMS))
def test_idiom_behaves_as_torch(name):
    ours, theirs = _both(IDIOMS[name])
    assert ours == theirs


def test_data_assignment_keeps_parameter_identity():
    w = chainrule.ones(2, requires_grad=True)
    before = id(w)
    w.data = chainrule.zeros(2)
    assert id(w) == before and w.requires_grad and w.is_leaf
    np.testing.assert_array_equal(w.detach().numpy(), [0.0, 0.0])
    # changes through .data are invisible to autograd, as in torch
    y = w * 2
    w.data.add_(1.0)
    y.sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), [2.0, 2.0])


def test_loss_data_index_message_points_to_item():
    loss = (chainrule.ones(2, requires_grad=True) * 2).sum()
    with pytest.raises(IndexError, match=r"tensor\.item\(\)"):
        loss.data[0]


def test_set_default_tensor_type_legacy():
    with pytest.warns(UserWarning, match="deprecated"):
        chainrule.set_default_tensor_type("torch.DoubleTensor")
    try:
        assert chainrule.tensor([1.0]).dtype == chainrule.float64
        assert chainrule.Tensor([1]).dtype == chainrule.float64
    finally:
        chainrule.set_default_dtype(chainrule.float32)
