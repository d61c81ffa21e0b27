"""Random numbers: the Generator, sampling constructors (rand, randn, randint, randperm,
normal, bernoulli, multinomial ...) and in-place random fills (``normal_``, ``uniform_`` ...).

The Generator reproduces torch's CPU generator draw for draw (``_torch_rng.TorchStream``: the
same Mersenne Twister, seeding and per-distribution transforms), so after
``torch.manual_seed(s)`` the numbers, the default layer initializations, dropout masks and
shuffles equal torch's. Distributions whose torch kernel is not reproduced (binomial,
poisson, geometric ...) draw from a NumPy generator seeded from the stream: deterministic for
a seed, not torch's values.
"""

from __future__ import annotations

import numpy as np

from . import _dtypes
from ._backend import parse_device
from ._creation import _finish, _float_default, _size
from ._tensor import Tensor, _make
from ._torch_rng import TorchStream

__all__ = [
    "rand", "randn", "randint", "randperm", "rand_like", "randn_like", "randint_like",
    "normal", "bernoulli", "multinomial", "poisson", "manual_seed", "seed", "initial_seed",
    "Generator", "get_rng_state", "set_rng_state", "default_generator",
]


class Generator:
    """A seeded source of random numbers (``torch.Generator``), equal to torch's CPU one."""

    def __init__(self, device="cpu") -> None:
        self.device = parse_device(device)
        self._stream = TorchStream()

    @property
    def _seed(self) -> int:
        return self._stream.seed

    @property
    def _rng(self) -> np.random.Generator:
        """A NumPy generator seeded from this stream (one draw), for samplers torch's kernels
        are not reproduced for."""
        return self._stream.numpy_generator()

    def manual_seed(self, seed: int) -> Generator:
        self._stream.manual_seed(int(seed))
        return self

    def seed(self) -> int:
        s = int(np.random.SeedSequence().entropy) & 0xFFFFFFFFFFFFFFFF
        self.manual_seed(s)
        return s

    def initial_seed(self) -> int:
        return self._stream.seed

    def get_state(self) -> Tensor:
        return _make(np.frombuffer(self._stream.get_state(), dtype=np.uint8).copy(), False,
                     None)

    def set_state(self, state: Tensor) -> Generator:
        raw = state._data.tobytes() if isinstance(state, Tensor) else bytes(state)
        self._stream.set_state(raw)
        return self

    def clone_state(self) -> Generator:
        g = Generator(self.device)
        g.set_state(self.get_state())
        return g


default_generator = Generator()


def _rng(generator: Generator | None) -> np.random.Generator:
    """A NumPy generator drawn from ``generator`` (default: the global one); see
    ``Generator._rng``."""
    return (generator or default_generator)._rng


def _stream(generator: Generator | None) -> TorchStream:
    return (generator or default_generator)._stream


def _random_int64(generator: Generator | None) -> int:
    """``torch.empty((), dtype=torch.int64).random_(generator=g).item()``: the per-epoch
    seeds of DataLoader and RandomSampler."""
    return int(_stream(generator).random_full((), np.int64))


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


def _sample_float(sampler, size, dtype):
    d = _float_np(dtype)
    if d in (np.float16, np.float32, np.float64):
        return sampler(size, d)
    return sampler(size, np.float32).astype(d)


def rand(*args, size=None, generator=None, dtype=None, device=None, requires_grad=False,
         out=None, layout=None, pin_memory=False) -> Tensor:
    """Uniform on [0, 1) (torch's draws: 24 random bits per float32, 53 per float64)."""
    stream = _stream(generator)
    data = _sample_float(lambda s, d: stream.uniform(s, 0.0, 1.0, d), _size(args, size), dtype)
    return _finish(data, None, device, requires_grad)


def randn(*args, size=None, generator=None, dtype=None, device=None, requires_grad=False,
          out=None, layout=None, pin_memory=False) -> Tensor:
    """Standard normal (torch's Box-Muller on its uniform draws)."""
    stream = _stream(generator)
    data = _sample_float(lambda s, d: stream.normal(s, 0.0, 1.0, d), _size(args, size), dtype)
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
    data = _stream(generator).integers(tuple(size), int(low), int(high))
    return _finish(data, dtype, device, requires_grad)


def randperm(n: int, *, generator=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A random permutation of ``0 .. n-1`` (torch's Fisher-Yates draws)."""
    data = _stream(generator).randperm(int(n))
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
    """Normal samples; ``mean``/``std`` may be tensors (elementwise) or numbers with ``size``.

    As torch: with a tensor ``std`` the draws are standard normals scaled by ``std`` and
    shifted by ``mean``; with a number ``std`` they are ``N(0, std)`` shifted by ``mean``."""
    stream = _stream(generator)
    m = mean._data if isinstance(mean, Tensor) else mean
    s = std._data if isinstance(std, Tensor) else std
    if size is None:
        shape = np.broadcast_shapes(np.shape(m), np.shape(s))
    else:
        shape = tuple(size)
    ref = mean if isinstance(mean, Tensor) else std if isinstance(std, Tensor) else None
    np_dtype = ref._data.dtype if ref is not None else _float_np(dtype)
    if ref is None:
        data = stream.normal(shape, float(m), float(s), np_dtype)
    elif isinstance(std, Tensor):
        data = stream.normal(shape, 0.0, 1.0, np_dtype) * s.astype(np_dtype) + m
    else:
        data = stream.normal(shape, 0.0, float(s), np_dtype) + m
    return _finish(np.asarray(data).astype(np_dtype, copy=False), None, device, requires_grad)


def bernoulli(input: Tensor, p=None, *, generator=None) -> Tensor:
    """0/1 draws: with probabilities ``input`` (tensor path: float uniforms for float32), or
    with one number ``p`` (double uniforms, as ``bernoulli_(p)`` and dropout)."""
    stream = _stream(generator)
    if p is None:
        probs = input._data
        if probs.dtype.kind != "f":
            probs = probs.astype(np.float32)
        data = stream.bernoulli_tensor(probs)
    else:
        data = stream.bernoulli_scalar(input.shape, float(p))
    return _make(data.astype(input._data.dtype), False, None)


def poisson(input: Tensor, generator=None) -> Tensor:
    return _make(_rng(generator).poisson(input._data).astype(input._data.dtype), False, None)


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *,
                generator=None) -> Tensor:
    """Draws category indices with probabilities proportional to the rows of ``input``:
    torch's draws (with replacement, a double uniform per sample looked up in the row's
    cumulative sum; otherwise the top ``num_samples`` of ``p / q`` with ``q ~ Exp(1)``)."""
    data = input._data
    probs = data if data.dtype.kind == "f" else data.astype(np.float32)
    if probs.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if (probs < 0).any() or not np.isfinite(probs).all():
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    rows = probs.reshape(-1, probs.shape[-1])
    k = rows.shape[1]
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
    out = _stream(generator).multinomial(rows, int(num_samples), bool(replacement))
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

    def _float_dtype(self: Tensor, name: str) -> np.dtype:
        d = self._data.dtype
        if d.kind != "f":
            raise RuntimeError(f'"{name}" not implemented for \'{str(self.dtype)[6:].title()}\'')
        return d

    def _double_unit(self: Tensor, generator) -> np.ndarray:
        return _stream(generator)._unit(self._data.size, True).reshape(self.shape)

    def normal_(self, mean=0.0, std=1.0, *, generator=None):
        d = _float_dtype(self, "normal_kernel_cpu")
        return _fill(self, _stream(generator).normal(self.shape, float(mean), float(std), d))

    def uniform_(self, a=0.0, b=1.0, *, generator=None):
        d = _float_dtype(self, "check_uniform_bounds")
        return _fill(self, _stream(generator).uniform(self.shape, float(a), float(b), d))

    def bernoulli_(self, p=0.5, *, generator=None):
        stream = _stream(generator)
        if isinstance(p, Tensor):
            probs = np.broadcast_to(p._data, self.shape)
            if probs.dtype.kind != "f":
                probs = probs.astype(np.float32)
            return _fill(self, stream.bernoulli_tensor(np.ascontiguousarray(probs)))
        return _fill(self, stream.bernoulli_scalar(self.shape, float(p)))

    def random_(self, *args, to=None, generator=None):
        """``random_()``, ``random_(to)`` -> [0, to), ``random_(from, to)`` -> [from, to)
        (``to=None``: up to the dtype's largest value), as torch."""
        stream = _stream(generator)
        d = self._data.dtype
        if not args and to is None:
            return _fill(self, stream.random_full(self.shape, d))
        low, high = (0, to) if not args else (0, args[0]) if len(args) == 1 and to is None \
            else (args[0], args[1] if len(args) > 1 else to)
        if high is None:
            high = (1 << {2: 11, 4: 24, 8: 53}[d.itemsize]) + 1 if d.kind == "f" else \
                (2 if d.kind == "b" else int(np.iinfo(d).max) + 1)
        return _fill(self, stream.integers(self.shape, int(low), int(high), d))

    def exponential_(self, lambd=1.0, *, generator=None):
        d = _float_dtype(self, "exponential_cpu")
        return _fill(self, _stream(generator).exponential(self.shape, float(lambd), d))

    def geometric_(self, p, *, generator=None):
        u = _double_unit(self, generator)
        return _fill(self, np.ceil(np.log(u) / np.log1p(-p)))

    def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
        stream = _stream(generator)
        values = np.array([stream._normal_double() for _ in range(self._data.size)])
        return _fill(self, np.exp(values * std + mean).reshape(self.shape))

    def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
        u = _double_unit(self, generator)
        return _fill(self, median + sigma * np.tan(np.pi * (u - 0.5)))

    for fn in (normal_, uniform_, bernoulli_, random_, exponential_, geometric_, log_normal_,
               cauchy_):
        setattr(Tensor, fn.__name__, fn)

    def bernoulli_m(self, p=None, *, generator=None):
        return bernoulli(self, p, generator=generator)

    def multinomial_m(self, num_samples, replacement=False, *, generator=None):
        return multinomial(self, num_samples, replacement, generator=generator)

    Tensor.bernoulli = bernoulli_m
    Tensor.multinomial = multinomial_m
