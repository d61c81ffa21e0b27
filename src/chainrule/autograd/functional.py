"""``torch.autograd.functional``: jacobian and hessian by repeated reverse passes."""

from __future__ import annotations

import numpy as np

from . import function as _function

__all__ = ["jacobian", "hessian", "vjp"]


def _tuple(x):
    return tuple(x) if isinstance(x, (list, tuple)) else (x,)


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    from . import grad  # noqa: PLC0415

    ins = tuple(t.detach().requires_grad_(True) for t in _tuple(inputs))
    out = func(*ins)
    gs = grad(out, ins, v, create_graph=create_graph, allow_unused=True)
    gs = tuple(g if g is not None else _function._make(np.zeros_like(t._data), False, None)
               for g, t in zip(gs, ins))
    return out, gs if isinstance(inputs, (list, tuple)) else gs[0]


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """d func(inputs) / d inputs: shape ``out.shape + in.shape`` (per input when a tuple)."""
    from . import grad  # noqa: PLC0415
    from ..ops.rearrange import stack  # noqa: PLC0415

    is_tuple = isinstance(inputs, (list, tuple))
    ins = tuple(t.detach().requires_grad_(True) for t in _tuple(inputs))
    out = func(*ins)
    rows = [[] for _ in ins]
    flat = out.reshape(-1)
    for i in range(flat.shape[0]):
        gs = grad(flat[i], ins, retain_graph=True, create_graph=create_graph, allow_unused=True)
        for k, (g, t) in enumerate(zip(gs, ins)):
            rows[k].append(g if g is not None else
                           _function._make(np.zeros_like(t._data), False, None))
    jac = tuple(stack(r).reshape(tuple(out.shape) + tuple(t.shape)) if r else None
                for r, t in zip(rows, ins))
    return jac if is_tuple else jac[0]


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    from . import grad  # noqa: PLC0415

    def first(x):
        y = func(x)
        return grad(y, x, create_graph=True)[0]

    return jacobian(first, inputs, create_graph=create_graph)
