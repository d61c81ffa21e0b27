"""Helpers for comparing chainrule layers with torch's: same weights (via state_dict), same
float64 inputs, outputs and every gradient under a random upstream gradient."""

from __future__ import annotations

import numpy as np
import torch

import chainrule as cr

TOL = dict(rtol=1e-10, atol=1e-10)


def to_np(t) -> np.ndarray:
    return t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t.detach().numpy())


def copy_weights(t_mod: torch.nn.Module, c_mod: cr.nn.Module) -> None:
    """Loads torch's parameters and buffers into the chainrule module (keys must match)."""
    t_keys = list(t_mod.state_dict())
    c_keys = list(c_mod.state_dict())
    assert c_keys == t_keys
    for k, v in t_mod.state_dict().items():
        assert tuple(c_mod.state_dict()[k].shape) == tuple(v.shape), k
    c_mod.load_state_dict({k: v.detach().numpy().copy() for k, v in t_mod.state_dict().items()})


def leaves(*arrays, grad: bool = True):
    """The same arrays as torch and chainrule leaves (floating ones require grad)."""
    t = [torch.tensor(a, requires_grad=grad and a.dtype.kind == "f") for a in arrays]
    c = [cr.tensor(a, requires_grad=grad and a.dtype.kind == "f") for a in arrays]
    return t, c


def assert_close(c_value, t_value, tol=TOL, what: str = "") -> None:
    assert tuple(c_value.shape) == tuple(t_value.shape), (what, c_value.shape, t_value.shape)
    assert str(c_value.dtype) == str(t_value.dtype), (what, c_value.dtype, t_value.dtype)
    np.testing.assert_allclose(to_np(c_value), to_np(t_value), err_msg=what, **tol)


def backward_both(t_out, c_out, rng: np.random.Generator) -> None:
    """Backward from both outputs with the same random upstream gradient."""
    g = rng.standard_normal(tuple(t_out.shape))
    t_out.backward(torch.tensor(g, dtype=t_out.dtype))
    c_out.backward(cr.tensor(g, dtype=getattr(cr, str(t_out.dtype).split(".")[1])))


def compare_module(t_mod, c_mod, *arrays, rng=None, tol=TOL, copy: bool = True,
                   check_input_grads: bool = True):
    """Runs both modules on ``arrays``; compares outputs, input and parameter gradients."""
    rng = rng or np.random.default_rng(0)
    if copy:
        copy_weights(t_mod, c_mod)
    t_in, c_in = leaves(*arrays)
    t_out = t_mod(*t_in)
    c_out = c_mod(*c_in)
    assert_close(c_out, t_out, tol, "output")
    if not t_out.requires_grad:
        return t_out, c_out
    backward_both(t_out, c_out, rng)
    if check_input_grads:
        for i, (t, c) in enumerate(zip(t_in, c_in)):
            if t.grad is not None:
                assert_close(c.grad, t.grad, tol, f"input {i} grad")
    t_params = dict(t_mod.named_parameters())
    for name, c_p in c_mod.named_parameters():
        t_p = t_params[name]
        if t_p.grad is None:
            assert c_p.grad is None or not np.any(to_np(c_p.grad)), name
        else:
            assert_close(c_p.grad, t_p.grad, tol, f"grad of {name}")
    return t_out, c_out
