"""``make_tensor``: a random tensor of a shape, dtype and value range (test inputs)."""

from __future__ import annotations

import numpy as np

from .. import _dtypes
from .._tensor import Tensor

__all__ = ["make_tensor"]


def make_tensor(*shape, dtype, device=None, low=None, high=None, requires_grad: bool = False,
                noncontiguous: bool = False, exclude_zero: bool = False,
                memory_format=None) -> Tensor:
    """Uniform values in [low, high) (defaults: [-9, 9] for floats and signed ints, [0, 10)
    for uint8, {False, True} for bool), drawn from chainrule's default generator."""
    from .._creation import _rng, tensor
    from ..ops._common import shape_arg

    size = shape_arg(shape)
    np_dtype = _dtypes.to_numpy_dtype(dtype)
    rng = _rng(None)
    if np_dtype.kind == "b":
        data = rng.integers(0, 2, size).astype(bool)
    elif np_dtype.kind in "iu":
        lo = (0 if np_dtype.kind == "u" else -9) if low is None else int(low)
        hi = 10 if high is None else int(high)
        data = rng.integers(lo, hi, size).astype(np_dtype)
        if exclude_zero:
            data[data == 0] = 1
    else:
        lo = -9.0 if low is None else float(low)
        hi = 9.0 if high is None else float(high)
        data = rng.uniform(lo, hi, size)
        if np_dtype.kind == "c":
            data = data + 1j * rng.uniform(lo, hi, size)
        data = data.astype(np_dtype)
        if exclude_zero:
            data[data == 0] = np.finfo(np_dtype).tiny if np_dtype.kind == "f" else 1
    return tensor(data, device=device, requires_grad=requires_grad)
