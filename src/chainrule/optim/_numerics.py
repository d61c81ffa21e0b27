"""Array kernels shared by the optimizers: torch's pointwise formulas, computed in place.

Every update runs on raw arrays with ``out=`` into a per-optimizer ``Workspace`` of scratch
buffers, so a step allocates nothing per parameter (allocating fresh parameter-sized
temporaries made NumPy steps ~2x slower). Formulas keep torch's evaluation order
(``addcmul``: ``self + value * t1 * t2`` left to right; ``lerp``: torch's two-sided form) so
results agree with torch to rounding. Hyperparameters are Python floats, which NumPy treats as
weak scalars: float32 stays float32.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from .. import _dtypes
from .._backend import array_module
from .._tensor import Tensor, _make

__all__ = [
    "Workspace", "addcdiv_", "addcmul_", "bump_step", "bump_versions", "check_dense",
    "dtype_scalars", "effective_grad", "full_state", "lerp_", "params_with_grad", "reject_complex",
    "scalar_dtype", "scalar_state", "to_float", "zeros_state",
]


_SMALL = 256  # elements: below this a scratch array is allocated, not looked up


class Workspace:
    """Reusable scratch arrays, one per (slot, dtype, array type), grown to the largest
    parameter seen. Slots 0-1 hold the effective gradient; algorithms use 2 and up."""

    __slots__ = ("buffers",)

    def __init__(self) -> None:
        self.buffers: dict[tuple, Any] = {}

    def __call__(self, like, slot: int):
        if like.size <= _SMALL and type(like) is np.ndarray:
            # a fresh small array costs less than the lookup, slice and reshape below
            return np.empty(like.shape, like.dtype)
        key = (slot, like.dtype, type(like))
        buf = self.buffers.get(key)
        if buf is None or buf.size < like.size:
            buf = array_module(like).empty(like.size, like.dtype)
            self.buffers[key] = buf
        return buf[: like.size].reshape(like.shape)


def workspace(optimizer) -> Workspace:
    """The optimizer's workspace (not part of its state: never saved, rebuilt on demand)."""
    ws = optimizer.__dict__.get("_workspace")
    if ws is None:
        ws = optimizer.__dict__["_workspace"] = Workspace()
    return ws


def scalar_dtype() -> np.dtype:
    """torch's dtype for ``step`` and other scalar state: float64 iff that is the default."""
    return np.dtype(np.float64 if _dtypes._default_float.np == np.float64 else np.float32)


def scalar_state(value: float) -> Tensor:
    """A 0-d state tensor (``step``, ``mu_product``) in torch's scalar dtype, on the CPU."""
    return _make(np.array(value, dtype=scalar_dtype()), False, None)


def zeros_state(p: Tensor) -> Tensor:
    return _make(array_module(p._data).zeros_like(p._data), False, None)


def full_state(p: Tensor, value: float) -> Tensor:
    return _make(array_module(p._data).full_like(p._data, value), False, None)


def bump_step(step_t: Tensor) -> float:
    """``step += 1`` in the state tensor's own dtype; returns the new value as a Python float."""
    step_t._data += 1
    return float(step_t._data)


def bump_versions(p: Tensor, state: dict) -> None:
    """Bumps the version counters of a parameter and of the state tensors updated with it."""
    p._vc[0] += 1
    for value in state.values():
        if isinstance(value, Tensor):
            value._vc[0] += 1


def to_float(value: Any) -> float:
    """A hyperparameter as a Python float (a weak scalar: it never upcasts float32 arrays)."""
    if type(value) is float:  # the common case, checked first: steps call this per group
        return value
    return float(value.item()) if isinstance(value, Tensor) else float(value)


def dtype_scalars(array, *values: float) -> Sequence:
    """``values`` as 0-d arrays of ``array``'s dtype when it is a NumPy float array, else as
    given (Python floats: weak scalars).

    NumPy multiplies by a 0-d array of the same dtype faster than by a Python float (about
    0.2 µs less per call, which is most of a tiny parameter's update), with the same result:
    a weak Python float is cast to the array's float dtype first. Integer and complex arrays
    keep Python floats (a 0-d int array would truncate the value).
    """
    if type(array) is np.ndarray and array.dtype.kind == "f":
        dtype = array.dtype
        return [np.array(v, dtype) for v in values]
    return values


def check_dense(p: Tensor, name: str) -> None:
    if getattr(p._grad, "is_sparse", False):
        raise RuntimeError(f"{name} does not support sparse gradients")


def reject_complex(p: Tensor, name: str) -> None:
    if p._data.dtype.kind == "c":
        raise NotImplementedError(f"{name} on complex parameters is not supported by chainrule")


def effective_grad(p: Tensor, maximize: bool, weight_decay: float, ws: Workspace):
    """``(-g if maximize else g) + weight_decay * θ``; the gradient itself is never written."""
    g = p._grad._data
    if g.dtype is not p._data.dtype and g.dtype != p._data.dtype:  # `is`: builtin dtypes
        raise RuntimeError(
            f"parameter and its gradient have different dtypes ({p.dtype} vs {p._grad.dtype})"
        )
    if not maximize and weight_decay == 0:
        return g
    xp = array_module(g)
    out = ws(g, 0)
    if maximize:
        xp.negative(g, out=out)
    else:
        out[...] = g
    if weight_decay != 0:
        tmp = ws(g, 1)
        xp.multiply(p._data, weight_decay, out=tmp)
        out += tmp
    return out


def lerp_(start, end, weight: float, tmp):
    """``start.lerp_(end, weight)`` with torch's two-sided formula (exact at both ends)."""
    xp = array_module(start)
    xp.subtract(end, start, out=tmp)
    if abs(weight) < 0.5:
        tmp *= weight
        start += tmp
    else:
        tmp *= 1.0 - weight
        xp.subtract(end, tmp, out=start)
    return start


def addcmul_(target, t1, t2, value: float, tmp):
    """``target += value * t1 * t2`` evaluated left to right, as torch's addcmul kernel."""
    array_module(target).multiply(t1, value, out=tmp)
    tmp *= t2
    target += tmp
    return target


def addcdiv_(target, t1, t2, value: float, tmp):
    """``target += value * t1 / t2`` evaluated left to right, as torch's addcdiv kernel."""
    array_module(target).multiply(t1, value, out=tmp)
    tmp /= t2
    target += tmp
    return target


def params_with_grad(optimizer, group: dict, name: str, init: Callable[[Tensor, dict], None],
                     ws: Workspace, *, maximize: bool = False, weight_decay: float = 0.0,
                     decoupled: bool = False,
                     lr: float = 0.0) -> Iterator[tuple[Tensor, dict, float, Any]]:
    """The prologue every stateful step shares, yielding ``(p, state, step, grad)`` for each
    parameter of ``group`` that has a gradient.

    Rejects sparse gradients and complex parameters (naming the optimizer ``name``), fills an
    empty state with ``init(p, state)``, bumps ``state["step"]`` (``step`` is the new count)
    and computes the effective gradient (maximize, ``+ λθ``) into the workspace; with
    ``decoupled`` the parameter shrinks by ``1 - γλ`` instead (AdamW's decay, ``γ = lr``). The
    caller updates ``p._data`` and then calls ``bump_versions(p, state)``.
    """
    decoupled_decay = lr * weight_decay if decoupled else 0.0
    if decoupled:
        weight_decay = 0.0
    all_state = optimizer.state
    for p in group["params"]:
        grad = p._grad
        if grad is None:
            continue
        if grad.is_sparse:
            raise RuntimeError(f"{name} does not support sparse gradients")
        if p._data.dtype.kind == "c":
            reject_complex(p, name)
        state = all_state[p]
        if not state:
            init(p, state)
        step_t = state["step"]._data
        step_t += 1  # in the state tensor's own dtype, as torch's tensor step
        step = float(step_t)
        if decoupled_decay != 0:
            p._data *= 1 - decoupled_decay
        yield p, state, step, effective_grad(p, maximize, weight_decay, ws)
