"""Tensor constructors and the random number generator.

``tensor()`` infers dtypes as torch does: Python floats -> the default float dtype (float32),
Python ints -> int64, bools -> bool; NumPy arrays keep their dtype. Randomness comes from a
NumPy ``Generator`` (PCG64): deterministic for a given seed, though not bit-equal to torch's.
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
        elif arr.dtype.kind == "U" or arr.dtype.kind == "S":
            raise TypeError(f"new(): invalid data type '{arr.dtype.name[:3]}'")
        return arr
    if hasattr(data, "__array__"):
        return np.asarray(data)
    raise TypeError(
        f"Could not infer dtype of {type(data).__name__}: tensor() takes numbers, (nested) "
        "lists/tuples, NumPy arrays or tensors"
    )


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


def _size(size) -> tuple:
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


def zeros(*size, dtype=None, device=None, requires_grad=False, out=None, layout=None,
          pin_memory=False) -> Tensor:
    return _finish(np.zeros(_size(size), _dtypes.to_numpy_dtype(_float_default(dtype))), None,
                   device, requires_grad)


def ones(*size, dtype=None, device=None, requires_grad=False, out=None, layout=None,
         pin_memory=False) -> Tensor:
    return _finish(np.ones(_size(size), _dtypes.to_numpy_dtype(_float_default(dtype))), None,
                   device, requires_grad)


def empty(*size, dtype=None, device=None, requires_grad=False, out=None, layout=None,
          pin_memory=False, memory_format=None) -> Tensor:
    return _finish(np.zeros(_size(size), _dtypes.to_numpy_dtype(_float_default(dtype))), None,
                   device, requires_grad)


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
    data = np.linspace(float(start), float(end), int(steps))
    return _finish(data.astype(_dtypes.to_numpy_dtype(_float_default(dtype))), None, device,
                   requires_grad)


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


class Generator:
    """A seeded source of random numbers (``torch.Generator``), backed by NumPy's PCG64."""

    def __init__(self, device="cpu") -> None:
        self.device = parse_device(device)
        self._seed = 67280421310721
        self._rng = np.random.default_rng(self._seed)

    def manual_seed(self, seed: int) -> "Generator":
        seed = int(seed)
        if seed < 0:
            seed = seed & 0xFFFFFFFFFFFFFFFF
        self._seed = seed
        self._rng = np.random.default_rng(seed)
        return self

    def seed(self) -> int:
        s = int(np.random.SeedSequence().entropy) & 0xFFFFFFFFFFFFFFFF
        self.manual_seed(s)
        return s

    def initial_seed(self) -> int:
        return self._seed

    def get_state(self) -> Tensor:
        import json  # noqa: PLC0415

        state = json.dumps(self._rng.bit_generator.state).encode()
        return _make(np.frombuffer(state, dtype=np.uint8).copy(), False, None)

    def set_state(self, state: Tensor) -> "Generator":
        import json  # noqa: PLC0415

        raw = state._data.tobytes() if isinstance(state, Tensor) else bytes(state)
        self._rng.bit_generator.state = json.loads(raw.decode())
        return self

    def clone_state(self) -> "Generator":
        g = Generator(self.device)
        g.set_state(self.get_state())
        return g


default_generator = Generator()


def _rng(generator: Generator | None) -> np.random.Generator:
    return (generator or default_generator)._rng


def manual_seed(seed: int) -> Generator:
    """Seeds the default generator (and NumPy-free code paths that draw from it)."""
    return default_generator.manual_seed(seed)


def seed() -> int:
    return default_generator.seed()


def initial_seed() -> int:
    return default_generator.initial_seed()


def get_rng_state() -> Tensor:
    return default_generator.get_state()


def set_rng_state(new_state: Tensor) -> None:
    default_generator.set_state(new_state)


def _float_np(dtype):
    d = _dtypes.to_numpy_dtype(_float_default(dtype))
    if d.kind != "f":
        raise RuntimeError(f'"check_uniform_bounds" not implemented for \'{d.name}\'')
    return d


def _random_float(draw, size, dtype):
    d = _float_np(dtype)
    if d in (np.float32, np.float64):
        return draw(size, d)
    return draw(size, np.float32).astype(d)


def rand(*size, generator=None, dtype=None, device=None, requires_grad=False, out=None,
         layout=None, pin_memory=False) -> Tensor:
    """Uniform on [0, 1)."""
    rng = _rng(generator)
    data = _random_float(lambda s, d: rng.random(s, dtype=d), _size(size), dtype)
    return _finish(data, None, device, requires_grad)


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False, out=None,
          layout=None, pin_memory=False) -> Tensor:
    """Standard normal."""
    rng = _rng(generator)
    data = _random_float(lambda s, d: rng.standard_normal(s, dtype=d), _size(size), dtype)
    return _finish(data, None, device, requires_grad)


def randint(low, high=None, size=None, *, generator=None, dtype=None, device=None,
            requires_grad=False) -> Tensor:
    """Integers uniform on [low, high); ``randint(high, size)`` or ``randint(low, high, size)``."""
    if size is None:
        if isinstance(high, (tuple, list)):
            low, high, size = 0, low, high
        else:
            raise TypeError("randint() missing required argument 'size'")
    elif high is None:
        low, high = 0, low
    data = _rng(generator).integers(int(low), int(high), size=tuple(size))
    return _finish(data.astype(np.int64), dtype, device, requires_grad)


def randperm(n: int, *, generator=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    data = _rng(generator).permutation(int(n)).astype(np.int64)
    return _finish(data, dtype, device, requires_grad)


def rand_like(input: Tensor, *, dtype=None, device=None, requires_grad=False,
              memory_format=None) -> Tensor:
    return rand(input.shape, dtype=dtype or input.dtype, device=device,
                requires_grad=requires_grad)


def randn_like(input: Tensor, *, dtype=None, device=None, requires_grad=False,
               memory_format=None) -> Tensor:
    return randn(input.shape, dtype=dtype or input.dtype, device=device,
                 requires_grad=requires_grad)


def randint_like(input: Tensor, low=0, high=None, *, dtype=None, device=None) -> Tensor:
    if high is None:
        low, high = 0, low
    return randint(low, high, tuple(input.shape), dtype=dtype or input.dtype, device=device)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, device=None,
           requires_grad=False, out=None) -> Tensor:
    """Normal samples; ``mean``/``std`` may be tensors (elementwise) or numbers with ``size``."""
    rng = _rng(generator)
    m = mean._data if isinstance(mean, Tensor) else mean
    s = std._data if isinstance(std, Tensor) else std
    if size is None:
        shape = np.broadcast_shapes(np.shape(m), np.shape(s))
    else:
        shape = tuple(size)
    ref = mean if isinstance(mean, Tensor) else std if isinstance(std, Tensor) else None
    np_dtype = ref._data.dtype if ref is not None else _float_np(dtype)
    data = (m + s * rng.standard_normal(shape)).astype(np_dtype)
    return _finish(data, None, device, requires_grad)


def bernoulli(input: Tensor, p=None, *, generator=None) -> Tensor:
    probs = input._data if p is None else np.full(input.shape, p)
    data = (_rng(generator).random(input.shape) < probs).astype(input._data.dtype)
    return _make(data, False, None)


def poisson(input: Tensor, generator=None) -> Tensor:
    return _make(_rng(generator).poisson(input._data).astype(input._data.dtype), False, None)


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *,
                generator=None) -> Tensor:
    """Draws category indices with probabilities proportional to the rows of ``input``.

    Vectorized over rows: with replacement, inverse-CDF lookups of uniform draws in the
    rows' cumulative sums (one ``searchsorted`` on the rows laid end to end); without
    replacement, the Gumbel top-k trick (the ``k`` largest ``log p + Gumbel`` keys are a draw
    of ``k`` categories without replacement, in order).
    """
    probs = np.asarray(input._data, dtype=np.float64)
    if probs.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if (probs < 0).any() or not np.isfinite(probs).all():
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    rng = _rng(generator)
    rows = probs.reshape(-1, probs.shape[-1])
    n_rows, k = rows.shape
    totals = rows.sum(axis=1)
    if (totals <= 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    if not replacement:
        if num_samples > k:
            raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                               "replacement")
        if (np.count_nonzero(rows, axis=1) < num_samples).any():
            raise RuntimeError(
                "invalid multinomial distribution (with replacement=False, not enough "
                "non-negative category to sample)"
            )
        with np.errstate(divide="ignore"):
            keys = np.log(rows) + rng.gumbel(size=rows.shape)
        out = np.argsort(-keys, axis=1, kind="stable")[:, :num_samples]
    else:
        cdf = np.cumsum(rows / totals[:, None], axis=1)
        cdf[:, -1] = 1.0
        offsets = np.arange(n_rows, dtype=np.float64)[:, None]
        u = rng.random((n_rows, num_samples))
        flat = np.searchsorted((cdf + offsets * 2.0).ravel(), (u + offsets * 2.0).ravel(),
                               side="right")
        out = flat.reshape(n_rows, num_samples) - np.arange(n_rows)[:, None] * k
        out = np.minimum(out, k - 1)
    return _make(out.astype(np.int64).reshape(probs.shape[:-1] + (num_samples,)), False, None)


def install_random_methods() -> None:
    """In-place random fills: ``normal_``, ``uniform_``, ``bernoulli_``, ``random_`` ..."""
    from .autograd.grad_mode import STATE  # noqa: PLC0415

    def _fill(self: Tensor, values: np.ndarray) -> Tensor:
        if STATE.enabled and self._rg and self.grad_fn is None:
            raise RuntimeError(
                "a leaf Variable that requires grad is being used in an in-place operation."
            )
        self._data[...] = values.astype(self._data.dtype, copy=False)
        self._vc[0] += 1
        return self

    def normal_(self, mean=0.0, std=1.0, *, generator=None):
        return _fill(self, mean + std * _rng(generator).standard_normal(self.shape))

    def uniform_(self, a=0.0, b=1.0, *, generator=None):
        return _fill(self, _rng(generator).uniform(a, b, self.shape))

    def bernoulli_(self, p=0.5, *, generator=None):
        probs = p._data if isinstance(p, Tensor) else p
        return _fill(self, _rng(generator).random(self.shape) < probs)

    def random_(self, from_=0, to=None, *, generator=None):
        if to is None:
            from_, to = 0, (2**24 if self._data.dtype.kind == "f" else 2**31)
        return _fill(self, _rng(generator).integers(from_, to, self.shape))

    def exponential_(self, lambd=1.0, *, generator=None):
        return _fill(self, _rng(generator).exponential(1.0 / lambd, self.shape))

    def geometric_(self, p, *, generator=None):
        return _fill(self, _rng(generator).geometric(p, self.shape))

    def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
        return _fill(self, _rng(generator).lognormal(mean, std, self.shape))

    def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
        return _fill(self, median + sigma * _rng(generator).standard_cauchy(self.shape))

    for fn in (normal_, uniform_, bernoulli_, random_, exponential_, geometric_, log_normal_,
               cauchy_):
        setattr(Tensor, fn.__name__, fn)

    def bernoulli_m(self, p=None, *, generator=None):
        return bernoulli(self, p, generator=generator)

    def multinomial_m(self, num_samples, replacement=False, *, generator=None):
        return multinomial(self, num_samples, replacement, generator=generator)

    Tensor.bernoulli = bernoulli_m
    Tensor.multinomial = multinomial_m
