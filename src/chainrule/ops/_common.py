"""Shared helpers for op wrappers: operand promotion, dim normalization."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .. import _dtypes
from .._tensor import Tensor, _make

__all__ = ["promote", "float_operand", "norm_dim", "norm_dims", "to_tensor", "cast", "zero_of"]

_KIND_FLOAT = "fc"


_ZEROS: dict = {}


def zero_of(np_dtype) -> np.ndarray:
    """A read-only 0-d zero of ``np_dtype``. NumPy 2 runs ``np.maximum(x, z)`` with such an
    operand ~0.2 us faster than with the Python scalar ``0`` (whose weak-scalar promotion is
    resolved on every call); the result is the same array."""
    z = _ZEROS.get(np_dtype)
    if z is None:
        z = _ZEROS[np_dtype] = np.zeros((), np_dtype)
        z.flags.writeable = False
    return z


def cast(t: Tensor, np_dtype) -> Tensor:
    """A differentiable cast of ``t`` (no-op when the dtype already matches)."""
    if t._data.dtype == np_dtype:
        return t
    from .conversion import ToDtype  # noqa: PLC0415

    return ToDtype.apply(t, np_dtype)


def promote(a, b):
    """Casts tensor operands of a binary op to torch's result dtype; scalars stay weak.

    Returns ``(a, b, result_np_dtype)``; Python scalars are left as they are because NumPy 2
    treats them as weak too once the tensor has the result dtype.
    """
    a_t = isinstance(a, Tensor)
    b_t = isinstance(b, Tensor)
    if not (a_t and b_t):
        # an ndarray operand is a dimensioned tensor in torch's promotion, not a scalar
        if type(a) is np.ndarray:
            a, a_t = _make(a, False, None), True
        if type(b) is np.ndarray:
            b, b_t = _make(b, False, None), True
    if a_t and b_t:
        da, db = a._data.dtype, b._data.dtype
        if da is db or da == db:
            return a, b, da
        result = _dtypes.result_np_dtype(a._data, b._data)
    elif a_t:
        da = a._data.dtype
        if da.kind in _KIND_FLOAT and not isinstance(b, complex):
            return a, _scalar(b), da
        result = _dtypes.result_np_dtype(a._data, _scalar(b))
    elif b_t:
        db = b._data.dtype
        if db.kind in _KIND_FLOAT and not isinstance(a, complex):
            return _scalar(a), b, db
        result = _dtypes.result_np_dtype(_scalar(a), b._data)
    else:
        raise TypeError("expected at least one Tensor operand")
    a = cast(a, result) if a_t else _scalar_as(a, result)
    b = cast(b, result) if b_t else _scalar_as(b, result)
    return a, b, result


def _scalar(x):
    if isinstance(x, np.generic):
        # before the number check: np.float64 subclasses float but is strong in NumPy;
        # torch treats every NumPy scalar as a Python number (weak); np.bool_ even counts as
        # a float (torch: int64 tensor + np.bool_(True) is float32)
        return float(x) if isinstance(x, np.bool_) else x.item()
    if isinstance(x, (bool, int, float, complex)):
        return x
    if isinstance(x, np.ndarray):
        return _make(x, False, None)
    raise TypeError(
        f"unsupported operand type for a tensor op: {type(x).__name__} (expected Tensor, "
        "number or array)"
    )


def _scalar_as(x, np_dtype):
    if isinstance(x, np.generic):
        return np_dtype.type(x).item()  # a Python number stays weak in NumPy arithmetic
    if isinstance(x, Tensor):
        return cast(x, np_dtype)
    if type(x) is int and np_dtype.kind in "iu":
        info = np.iinfo(np_dtype)
        if not info.min <= x <= info.max:
            # torch wraps an out-of-range int into the tensor's type (uint8 + 300 == 44);
            # NumPy 2 refuses it
            return int(np.array(x & 0xFFFFFFFFFFFFFFFF, dtype=np.uint64).astype(np_dtype))
    return x


def float_operand(t: Tensor) -> Tensor:
    """Integer and bool tensors become the default float dtype (exp, log, sqrt ... on ints)."""
    if t._data.dtype.kind in _KIND_FLOAT:
        return t
    return cast(t, _dtypes._default_float.np)


def to_tensor(x) -> Tensor:
    if isinstance(x, Tensor):
        return x
    if isinstance(x, np.ndarray):
        return _make(x, False, None)
    if isinstance(x, bool):
        return _make(np.array(x), False, None)
    if isinstance(x, int):
        return _make(np.array(x, dtype=np.int64), False, None)
    if isinstance(x, float):
        return _make(np.array(x, dtype=_dtypes._default_float.np), False, None)
    if isinstance(x, (list, tuple)):
        from .._creation import tensor  # noqa: PLC0415

        return tensor(x)
    if isinstance(x, np.generic):
        return _make(np.asarray(x), False, None)
    raise TypeError(f"expected a Tensor, got {type(x).__name__}")


def norm_dim(dim: int, ndim: int) -> int:
    n = max(ndim, 1)
    if not isinstance(dim, (int, np.integer)):
        raise TypeError(f"dim must be an int, got {type(dim).__name__}")
    if not -n <= dim < n:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})"
        )
    return int(dim) % n if ndim > 0 else 0


def norm_dims(dim, ndim: int) -> tuple[int, ...]:
    """``None`` -> all dims; an int or an iterable of ints -> sorted, non-negative tuple."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (int, np.integer)):
        d = norm_dim(dim, ndim)
        return (d,) if ndim else ()  # a 0-d tensor accepts dim 0 or -1 and has nothing to reduce
    dims = tuple(norm_dim(d, ndim) for d in dim)  # type: ignore[union-attr]
    if len(set(dims)) != len(dims):
        raise RuntimeError(f"dim {list(dim)} appears multiple times in the list of dims")
    if ndim == 0:
        return ()
    return tuple(sorted(dims))


def shape_arg(shape: Iterable) -> tuple[int, ...]:
    """Accepts ``f(2, 3)`` style and ``f((2, 3))`` style shapes."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = shape[0]
    elif len(shape) == 1 and isinstance(shape[0], Tensor):
        shape = shape[0].tolist()
    return tuple(int(s) for s in shape)
