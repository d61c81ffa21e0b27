"""Random numbers: the Generator (NumPy's PCG64 behind torch's API), sampling constructors
(rand, randn, randint, randperm, normal, bernoulli, multinomial ...) and in-place random
fills (``normal_``, ``uniform_`` ...). Deterministic for a given seed, though not bit-equal
to torch's generator: tests that need equal numbers copy data from one library to the other.
"""

from __future__ import annotations

import numpy as np

from . import _dtypes
from ._backend import parse_device
from ._creation import _finish, _float_default, _size
from ._tensor import Tensor, _make

__all__ = [
    "rand", "randn", "randint", "randperm", "rand_like", "randn_like", "randint_like",
    "normal", "bernoulli", "multinomial", "poisson", "manual_seed", "seed", "initial_seed",
    "Generator", "get_rng_state", "set_rng_state", "default_generator",
]


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


def rand(*args, size=None, generator=None, dtype=None, device=None, requires_grad=False,
         out=None, layout=None, pin_memory=False) -> Tensor:
    """Uniform on [0, 1)."""
    rng = _rng(generator)
    data = _random_float(lambda s, d: rng.random(s, dtype=d), _size(args, size), dtype)
    return _finish(data, None, device, requires_grad)


def randn(*args, size=None, generator=None, dtype=None, device=None, requires_grad=False,
          out=None, layout=None, pin_memory=False) -> Tensor:
    """Standard normal."""
    rng = _rng(generator)
    draw = rng.standard_normal
    data = _random_float(lambda s, d: draw(s, dtype=d), _size(args, size), dtype)
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
