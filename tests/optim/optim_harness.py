"""Runs one optimizer configuration in chainrule and in torch from identical weights.

Gradients come from the same NumPy function of the current weights in both libraries, so the
comparison isolates the optimizer: g(w) = A w - b + 0.1 w³ (a smooth, non-quadratic bowl).
"""

from __future__ import annotations

import numpy as np
import torch

import chainrule

SHAPES = [(3, 4), (4,), (2, 2, 3)]


def initial_arrays(seed: int = 0, dtype=np.float64) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s).astype(dtype) for s in SHAPES]


def _problem(size: int, k: int):
    rng = np.random.default_rng(100 + k)
    a = rng.standard_normal((size, size)) * 0.3
    return a @ a.T + np.eye(size), rng.standard_normal(size)


def loss_fn(w: np.ndarray, k: int) -> float:
    """f(w) = ½ wᵀAw - bᵀw + 0.025 Σ w⁴, whose gradient is ``grad_fn``."""
    a, b = _problem(w.size, k)
    flat = w.reshape(-1).astype(np.float64)
    return float(0.5 * flat @ a @ flat - b @ flat + 0.025 * np.sum(flat**4))


def grad_fn(w: np.ndarray, k: int) -> np.ndarray:
    a, b = _problem(w.size, k)
    flat = w.reshape(-1)
    g = a.astype(w.dtype) @ flat - b.astype(w.dtype) + 0.1 * flat**3
    return g.reshape(w.shape).astype(w.dtype)


def make_groups(lib, tensors, group_opts):
    if group_opts is None:
        return tensors
    return [{"params": [tensors[0], tensors[1]], **group_opts[0]},
            {"params": [tensors[2]], **group_opts[1]}]


def run(lib_name: str, cls_name: str, kwargs: dict, steps: int = 50, group_opts=None,
        dtype=np.float64, skip_grad_every: int = 0, closure_fn=None, lr_edit=None):
    """Returns (final weight arrays, optimizer) after ``steps`` steps."""
    lib = torch if lib_name == "torch" else chainrule
    arrays = initial_arrays(dtype=dtype)
    tensors = [lib.tensor(a.copy(), requires_grad=True) for a in arrays]
    opt = getattr(lib.optim, cls_name)(make_groups(lib, tensors, group_opts), **kwargs)
    for step in range(steps):
        if lr_edit is not None and step == steps // 2:
            for g in opt.param_groups:
                g["lr"] = g["lr"] * lr_edit
        for k, t in enumerate(tensors):
            if skip_grad_every and k == 1 and step % skip_grad_every == 0:
                t.grad = None
                continue
            g = grad_fn(t.detach().numpy(), k)
            if kwargs.get("maximize"):  # ascend -f, so the run converges as the descent does
                g = -g
            t.grad = lib.tensor(g)
        opt.step()
    return [t.detach().numpy().copy() for t in tensors], opt


def state_structure(sd) -> object:
    """The shape of a state dict: keys, value types/dtypes/shapes, not values."""
    def describe(v):
        if isinstance(v, (torch.Tensor, chainrule.Tensor)):
            return ("tensor", str(v.dtype).replace("torch.", ""), tuple(v.shape))
        if isinstance(v, dict):
            return {k: describe(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return (type(v).__name__, [describe(x) for x in v])
        # exact values only where they are not the result of float arithmetic
        return (type(v).__name__, v if isinstance(v, (int, bool, str)) else None)
    return describe(sd)


def run_closure(lib_name: str, cls_name: str, kwargs: dict, steps: int = 5, dtype=np.float64):
    """Closure-driven optimizer (LBFGS): the closure sets grads and returns the loss tensor."""
    lib = torch if lib_name == "torch" else chainrule
    arrays = initial_arrays(dtype=dtype)
    tensors = [lib.tensor(a.copy(), requires_grad=True) for a in arrays]
    opt = getattr(lib.optim, cls_name)(tensors, **kwargs)
    calls = [0]

    def closure():
        calls[0] += 1
        opt.zero_grad()
        total = 0.0
        for k, t in enumerate(tensors):
            w = t.detach().numpy()
            total += loss_fn(w, k)
            t.grad = lib.tensor(grad_fn(w, k))
        return lib.tensor(total, dtype=lib.float64)

    losses = [float(opt.step(closure)) for _ in range(steps)]
    return [t.detach().numpy().copy() for t in tensors], opt, losses, calls[0]
