"""Tensor constructors (the random ones live in ``_random`` and are re-exported here).

``tensor()`` infers dtypes as torch does: Python floats -> the default float dtype (float32),
Python ints -> int64, bools -> bool; NumPy arrays keep their dtype. Randomness comes from a
Generator that reproduces torch's CPU random stream (see ``_torch_rng``).
"""

from __future__ import annotations

import builtins as _builtins
import math
from typing import Any

import numpy as np

from . import _dtypes
from ._backend import parse_device, to_device_array
from ._tensor import Tensor, _make, _to_nested

__all__ = [
    "tensor", "as_tensor", "asarray", "from_numpy", "zeros", "ones", "full", "empty",
    "zeros_like", "ones_like", "full_like", "empty_like", "arange", "range", "linspace",
    "logspace", "eye", "rand", "randn", "randint", "randperm", "rand_like", "randn_like",
    "randint_like", "normal", "bernoulli", "multinomial", "poisson", "manual_seed", "seed",
    "initial_seed", "Generator", "get_rng_state", "set_rng_state", "default_generator",
    "scalar_tensor", "empty_strided", "frombuffer", "complex", "polar", "tril_indices",
    "triu_indices",
]


def _finish(data: np.ndarray, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    if dtype is not None:
        np_dtype = _dtypes.to_numpy_dtype(dtype)
        if data.dtype != np_dtype:
            data = data.astype(np_dtype)
    if device is not None:
        data = to_device_array(data, parse_device(device))
    t = _make(data, False, None)
    if requires_grad:
        t.requires_grad = True
    return t


def _infer(data: Any) -> np.ndarray:
    if isinstance(data, Tensor):
        return data._data
    if isinstance(data, np.ndarray):
        return data
    if isinstance(data, np.generic):
        return np.asarray(data)
    if isinstance(data, bool):
        return np.array(data)
    if isinstance(data, int):
        return np.array(data, dtype=np.int64)
    if isinstance(data, float):
        return np.array(data, dtype=_dtypes._default_float.np)
    if isinstance(data, _builtins.complex):
        return np.array(data, dtype=_default_complex())
    if isinstance(data, (list, tuple)):
        nested = _to_nested(data)
        arr = np.array(nested)
        if arr.dtype == object:
            raise ValueError(
                "expected sequence of equal-length lists/tensors to build a tensor; got ragged "
                "nesting (rows of different lengths)"
            )
        if arr.dtype.kind == "f" and arr.dtype != _dtypes._default_float.np and not _has_np(
            data
        ):
            arr = arr.astype(_dtypes._default_float.np)
        elif arr.dtype.kind in "iu" and arr.dtype != np.int64 and not _has_np(data):
            arr = arr.astype(np.int64)
        elif arr.dtype.kind == "c" and not _has_np(data):  # Python complex: complex64 by default
            arr = arr.astype(_default_complex())
        elif arr.dtype.kind == "U" or arr.dtype.kind == "S":
            raise TypeError(f"new(): invalid data type '{arr.dtype.name[:3]}'")
        return arr
    if hasattr(data, "__array__"):
        return np.asarray(data)
    raise TypeError(
        f"Could not infer dtype of {type(data).__name__}: tensor() takes numbers, (nested) "
        "lists/tuples, NumPy arrays or tensors"
    )


def _default_complex() -> np.dtype:
    """The complex dtype that goes with the default float (complex64 for float32)."""
    return np.dtype(np.complex128 if _dtypes._default_float.np == np.float64 else np.complex64)


def _has_np(data) -> bool:
    if isinstance(data, (list, tuple)):
        return _builtins.any(_has_np(d) for d in data)
    return isinstance(data, (np.ndarray, np.generic, Tensor))


def tensor(data: Any, *, dtype=None, device=None, requires_grad: bool = False,
           pin_memory: bool = False) -> Tensor:
    """A new leaf tensor holding a copy of ``data``.

    Example::

        >>> import chainrule as torch
        >>> torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
        tensor([[1., 2.],
                [3., 4.]], requires_grad=True)
    """
    if dtype is not None and isinstance(data, (_builtins.float, list, tuple)):
        # Build in the requested dtype directly: inferring first would round Python floats
        # to the default float32 before the cast (tensor(0.1, dtype=float64) != 0.1).
        arr = np.array(_to_nested(data), dtype=_dtypes.to_numpy_dtype(dtype))
        return _finish(arr, None, device, requires_grad)
    arr = _infer(data)
    arr = np.array(arr, copy=True)
    return _finish(arr, dtype, device, requires_grad)


def as_tensor(data: Any, dtype=None, device=None) -> Tensor:
    """Like ``tensor`` but shares memory with a NumPy array or tensor when it can."""
    if isinstance(data, Tensor):
        return data.to(dtype=dtype, device=device) if (dtype or device) else data
    return _finish(_infer(data), dtype, device)


def asarray(obj: Any, *, dtype=None, device=None, copy=None, requires_grad=False) -> Tensor:
    t = as_tensor(obj, dtype, device)
    if copy:
        t = t.clone()
    if requires_grad:
        t.requires_grad_(True)
    return t


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with ``array`` (changes show on both sides)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    _dtypes.from_numpy_dtype(array.dtype)
    return _make(array, False, None)


def frombuffer(buffer, *, dtype, count=-1, offset=0, requires_grad=False) -> Tensor:
    arr = np.frombuffer(buffer, dtype=_dtypes.to_numpy_dtype(dtype), count=count, offset=offset)
    return _finish(arr, None, None, requires_grad)


def _size(size, size_kw=None) -> tuple:
    if size_kw is not None:  # torch.zeros(size=(2, 3)) as well as zeros(2, 3) / zeros((2, 3))
        if size:
            raise TypeError("size given both positionally and as size=")
        size = (size_kw,)
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = size[0]
    if len(size) == 1 and isinstance(size[0], Tensor):
        size = size[0].tolist()
    try:
        return tuple(int(s) for s in size)
    except TypeError:
        raise TypeError(f"size must be ints or a tuple of ints, got {size!r}") from None


def _float_default(dtype):
    return dtype if dtype is not None else _dtypes._default_float


def zeros(*args, size=None, dtype=None, device=None, requires_grad=False, out=None,
          layout=None, pin_memory=False) -> Tensor:
    dtype = _dtypes.to_numpy_dtype(_float_default(dtype))
    return _finish(np.zeros(_size(args, size), dtype), None, device, requires_grad)


def ones(*args, size=None, dtype=None, device=None, requires_grad=False, out=None,
         layout=None, pin_memory=False) -> Tensor:
    dtype = _dtypes.to_numpy_dtype(_float_default(dtype))
    return _finish(np.ones(_size(args, size), dtype), None, device, requires_grad)


def empty(*args, size=None, dtype=None, device=None, requires_grad=False, out=None,
          layout=None, pin_memory=False, memory_format=None) -> Tensor:
    dtype = _dtypes.to_numpy_dtype(_float_default(dtype))
    return _finish(np.zeros(_size(args, size), dtype), None, device, requires_grad)


def empty_strided(size, stride, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    return empty(tuple(size), dtype=dtype, device=device, requires_grad=requires_grad)


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False, out=None,
         layout=None) -> Tensor:
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    if dtype is None:
        dtype = (_dtypes.bool_ if isinstance(fill_value, bool) else _dtypes.int64
                 if isinstance(fill_value, int) else _dtypes._default_float)
    size = _size((size,)) if not isinstance(size, int) else (size,)
    return _finish(np.full(size, fill_value, _dtypes.to_numpy_dtype(dtype)), None, device,
                   requires_grad)


def scalar_tensor(s, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    return full((), s, dtype=_float_default(dtype), device=device, requires_grad=requires_grad)


def _like(input: Tensor, fn, dtype, device, requires_grad):
    np_dtype = _dtypes.to_numpy_dtype(dtype) if dtype is not None else input._data.dtype
    data = fn(input._data.shape, np_dtype)
    dev = device if device is not None else input.device
    return _finish(data, None, dev if dev.type != "cpu" else None, requires_grad)


def zeros_like(input: Tensor, *, dtype=None, device=None, requires_grad=False, layout=None,
               memory_format=None) -> Tensor:
    return _like(input, np.zeros, dtype, device, requires_grad)


def ones_like(input: Tensor, *, dtype=None, device=None, requires_grad=False, layout=None,
              memory_format=None) -> Tensor:
    return _like(input, np.ones, dtype, device, requires_grad)


def empty_like(input: Tensor, *, dtype=None, device=None, requires_grad=False, layout=None,
               memory_format=None) -> Tensor:
    return _like(input, np.zeros, dtype, device, requires_grad)


def full_like(input: Tensor, fill_value, *, dtype=None, device=None, requires_grad=False,
              layout=None, memory_format=None) -> Tensor:
    return _like(input, lambda s, d: np.full(s, fill_value, d), dtype, device, requires_grad)


def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False,
           out=None, layout=None) -> Tensor:
    """``[start, end)`` in steps; int64 when all arguments are ints, else the default float."""
    vals = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    start, end, step = vals
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if dtype is None:
        is_int = all(isinstance(v, (int, np.integer)) for v in (start, end, step))
        dtype = _dtypes.int64 if is_int else _dtypes._default_float
    np_dtype = _dtypes.to_numpy_dtype(dtype)
    n = _builtins.max(0, math.ceil((end - start) / step))
    data = (start + step * np.arange(n, dtype=np.float64)) if np_dtype.kind == "f" else \
        np.arange(start, end, step)
    return _finish(data.astype(np_dtype), None, device, requires_grad)


def range(start, end, step=1, *, dtype=None, device=None, requires_grad=False) -> Tensor:  # noqa: A001
    """Deprecated torch.range: includes ``end``; float by default."""
    n = int(math.floor((end - start) / step)) + 1
    data = start + step * np.arange(n, dtype=np.float64)
    return _finish(data.astype(_dtypes.to_numpy_dtype(_float_default(dtype))), None, device,
                   requires_grad)


def linspace(start, end, steps: int, *, dtype=None, device=None, requires_grad=False,
             out=None) -> Tensor:
    np_dtype = _dtypes.to_numpy_dtype(_float_default(dtype))
    return _finish(_torch_linspace(start, end, int(steps), np_dtype), None, device, requires_grad)


def _torch_linspace(start, end, steps: int, np_dtype: np.dtype) -> np.ndarray:
    """torch's values bit for bit: the first half counts up from ``start``, the second half
    down from ``end`` (``end - step * (steps - 1 - i)``), each product-and-add rounded once
    (torch's kernel compiles to fused multiply-adds), with ``step`` computed in the dtype
    itself (in double for integer dtypes). So ``linspace(-1, 1, 11)[5]`` is -1.49e-08 as in
    torch, not 0."""
    if isinstance(start, Tensor):
        start = start.item()
    if isinstance(end, Tensor):
        end = end.item()
    if steps < 0:
        raise RuntimeError("linspace(): number of steps must be non-negative")
    np_dtype = np.dtype(np_dtype)
    if np_dtype.kind not in "fiu" or steps < 2:
        return np.linspace(start, end, steps).astype(np_dtype)
    if np_dtype == np.float16:  # torch's Half arithmetic rounds after every operation
        lo, hi = np.float16(start), np.float16(end)
        step = (hi - lo) / np.float16(steps - 1)
        k = np.arange(steps).astype(np.float16)
        half = steps // 2
        return np.concatenate([lo + step * k[:half],
                               hi - step * (np.float16(steps - 1) - k[half:])]).astype(np.float16)
    if np_dtype.kind == "f":
        lo, hi = np_dtype.type(start), np_dtype.type(end)
        step = (hi - lo) / np_dtype.type(steps - 1)  # rounded in the dtype, as torch
        wide = np.longdouble if np_dtype == np.float64 else np.float64
    else:
        lo, hi = np_dtype.type(start), np_dtype.type(end)
        # integer dtypes: torch's vectorized kernel restarts from a truncated base every
        # SIMD-width elements, so its values depend on the CPU; this is its scalar formula
        step = (float(hi) - float(lo)) / (steps - 1)
        wide = np.float64
    k = np.arange(steps, dtype=wide)
    half = steps // 2
    out = np.empty(steps, dtype=wide)
    out[:half] = wide(lo) + wide(step) * k[:half]
    out[half:] = wide(hi) - wide(step) * (steps - 1 - k[half:])
    return out.astype(np_dtype)


def logspace(start, end, steps: int, base: float = 10.0, *, dtype=None, device=None,
             requires_grad=False) -> Tensor:
    data = np.power(base, np.linspace(float(start), float(end), int(steps)))
    return _finish(data.astype(_dtypes.to_numpy_dtype(_float_default(dtype))), None, device,
                   requires_grad)


def eye(n: int, m: int | None = None, *, dtype=None, device=None, requires_grad=False,
        out=None) -> Tensor:
    data = np.eye(n, m if m is not None else n, dtype=_dtypes.to_numpy_dtype(_float_default(dtype)))
    return _finish(data, None, device, requires_grad)


def tril_indices(row: int, col: int, offset: int = 0, *, dtype=None, device=None) -> Tensor:
    return _finish(np.stack(np.tril_indices(row, offset, col)).astype(np.int64), dtype, device)


def triu_indices(row: int, col: int, offset: int = 0, *, dtype=None, device=None) -> Tensor:
    return _finish(np.stack(np.triu_indices(row, offset, col)).astype(np.int64), dtype, device)


def complex(real: Tensor, imag: Tensor) -> Tensor:  # noqa: A001
    return _make((real._data + 1j * imag._data).astype(np.complex64), False, None)


def polar(abs: Tensor, angle: Tensor) -> Tensor:  # noqa: A002
    return _make((abs._data * np.exp(1j * angle._data)).astype(np.complex64), False, None)


# -- random numbers --------------------------------------------------------------------------


# The random constructors, re-exported: chainrule.__init__ and other modules import them from
# here (``_creation._rng``, ``_creation.Generator`` ...).
from ._random import (  # noqa: E402,F401
    Generator,
    _rng,
    bernoulli,
    default_generator,
    get_rng_state,
    initial_seed,
    install_random_methods,
    manual_seed,
    multinomial,
    normal,
    poisson,
    rand,
    rand_like,
    randint,
    randint_like,
    randn,
    randn_like,
    randperm,
    seed,
    set_rng_state,
)
