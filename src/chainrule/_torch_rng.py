"""torch's CPU random stream, draw for draw: ``torch.manual_seed(0); torch.rand(3)`` gives the
same numbers here as in torch, and so do the default initializations of layers, dropout masks,
``randperm`` shuffles and ``multinomial`` samples built on it.

torch's CPU generator is a 32-bit Mersenne Twister (``mt19937``) seeded with the low 32 bits
of the seed (the standard ``init_genrand``; NumPy's ``MT19937`` legacy seeding is the same).
Its two primitive draws are ``random()`` (one 32-bit output) and ``random64()`` (two outputs,
the first in the high half). Each sampler then follows torch's kernel:

* uniform on ``[a, b)``: ``(bits & (2^d - 1)) * 2^-d * (b - a) + a`` in double, with ``d`` the
  mantissa width (24 bits of ``random()`` for float32, 53 of ``random64()`` for float64);
* normal: tensors of 16+ elements fill with uniforms and transform them 16 at a time by
  Box-Muller (``u1 = 1 - x[j]``, ``u2 = x[j + 8]``; an incomplete last block is redrawn as the
  last 16 elements); smaller ones draw per element from ``normal_distribution<double>``, which
  makes two values per pair of uniforms and keeps the second for the next call;
* integers in ``[lo, hi)``: ``random() % range + lo`` (``random64()`` when the range needs
  more than 32 bits); ``randperm``: Fisher-Yates swaps with ``random() % (n - i)``;
* Bernoulli with a number ``p``: ``uniform_double < p`` (dropout); with a float tensor of
  probabilities: ``uniform_float < p``;
* exponential: ``-log1p(-u) / lambd`` with ``u`` a double uniform;
* multinomial with replacement: a double uniform per sample, looked up in the row's float
  cumulative sum (normalized, last bucket forced to 1); without replacement (or one sample):
  ``argmax / topk`` of ``p / q`` with ``q`` exponential (torch's Gumbel trick).

Normals of 16+ float32 values follow torch's x86-64 AVX2 kernel (avx_mathfun's log and sincos
with its FMAs), checked bit for bit; torch builds without it (e.g. ARM) compute them with libm
and can differ in the last bit, as can float64 normals of 16+ values (NumPy's log/cos).
``get_state`` / ``set_state`` use torch's
5056-byte CPUGeneratorImplState layout, so ``get_rng_state()`` bytes equal torch's and states
move between the two libraries.
"""

from __future__ import annotations

import math
import struct

import numpy as np

__all__ = ["TorchStream"]

_U64_MASK53 = np.uint64((1 << 53) - 1)
_DEFAULT_SEED = 67280421310721  # torch's default_generator seed before any manual_seed


class TorchStream:
    """The state of one torch CPU generator: the Mersenne Twister and the cached normals."""

    __slots__ = ("_mt", "_fresh", "next_double_normal", "next_float_normal", "seed")

    def __init__(self, seed: int = _DEFAULT_SEED) -> None:
        self._mt = None
        self.manual_seed(seed)

    @property
    def _bits(self):
        """The Mersenne Twister, made on first use: ``numpy.random`` costs ~10 ms to import,
        and ``import chainrule`` makes the default generator."""
        mt = self._mt
        if mt is None:
            mt = self._mt = np.random.MT19937(0)
            mt._legacy_seeding(self.seed & 0xFFFFFFFF)
        return mt

    def manual_seed(self, seed: int) -> None:
        self.seed = int(seed) & 0xFFFFFFFFFFFFFFFF
        if self._mt is not None:
            self._mt._legacy_seeding(self.seed & 0xFFFFFFFF)
        self._fresh = True  # seeded, nothing drawn yet (torch's next = 0, not 624)
        self.next_double_normal = None
        self.next_float_normal = None

    # -- state ----------------------------------------------------------------------------
    # torch's CPUGeneratorImplState, byte for byte (5056 bytes): int64 initial seed, int32
    # left, int32 seeded, uint64 next, 624 uint64 words of state, doubles normal_x / normal_y
    # (the cached double normal) / normal_rho, int32 normal_is_valid, then float32 cached
    # float normal and its bool flag. torch's ``left``/``next`` are NumPy's ``pos`` seen from
    # the other end: ``left = 625 - pos``.
    _STATE_SIZE = 5056

    def get_state(self) -> bytes:
        state = self._bits.state["state"]
        pos = int(state["pos"])
        raw = bytearray(self._STATE_SIZE)
        left = 625 - pos
        struct.pack_into("<qiiQ", raw, 0, self.seed & 0x7FFFFFFFFFFFFFFF
                         if self.seed < 1 << 63 else self.seed - (1 << 64), left, 1,
                         0 if left == 1 and pos == 624 and self._fresh else pos)
        raw[24:24 + 624 * 8] = np.asarray(state["key"], dtype=np.uint64).tobytes()
        has_double = self.next_double_normal is not None
        struct.pack_into("<dddi", raw, 5016, 0.0, self.next_double_normal or 0.0, 0.0,
                         int(has_double))
        has_float = self.next_float_normal is not None
        struct.pack_into("<f?", raw, 5048, self.next_float_normal or 0.0, has_float)
        return bytes(raw)

    def set_state(self, raw: bytes) -> None:
        if len(raw) != self._STATE_SIZE:
            raise RuntimeError(f"Expected either a THGeneratorState of size 5048 or a "
                               f"CPUGeneratorImplState of size 5056 but found the input RNG "
                               f"state size to be {len(raw)}")
        seed, left, _seeded, _next = struct.unpack_from("<qiiQ", raw, 0)
        key = np.frombuffer(raw, dtype=np.uint64, count=624, offset=24).astype(np.uint32)
        self.seed = seed & 0xFFFFFFFFFFFFFFFF
        self._bits.state = {"bit_generator": "MT19937",
                            "state": {"key": key, "pos": 625 - left}}
        self._fresh = left == 1 and _next == 0
        _x, normal_y, _rho, valid = struct.unpack_from("<dddi", raw, 5016)
        self.next_double_normal = normal_y if valid else None
        float_normal, float_valid = struct.unpack_from("<f?", raw, 5048)
        self.next_float_normal = float(float_normal) if float_valid else None

    # -- primitive draws --------------------------------------------------------------------
    def random32(self, n: int) -> np.ndarray:
        """``n`` outputs of ``random()`` (uint64 holding 32-bit values)."""
        if n:
            self._fresh = False
        return self._bits.random_raw(int(n)).astype(np.uint64)

    def random64(self, n: int) -> np.ndarray:
        """``n`` outputs of ``random64()``: two 32-bit draws, the first in the high half."""
        raw = self.random32(2 * int(n))
        return (raw[0::2] << np.uint64(32)) | raw[1::2]

    def _unit(self, n: int, double: bool) -> np.ndarray:
        """Uniforms on [0, 1) as float64: 53 bits of random64() or 24 bits of random()."""
        if double:
            return (self.random64(n) & _U64_MASK53).astype(np.float64) * 2.0 ** -53
        return (self.random32(n) & np.uint64(0xFFFFFF)).astype(np.float64) * 2.0 ** -24

    # -- samplers ---------------------------------------------------------------------------
    def uniform(self, shape, a: float, b: float, np_dtype) -> np.ndarray:
        dt = np.dtype(np_dtype)
        n = int(np.prod(shape, dtype=np.int64))
        if dt == np.float16:
            x = (self.random32(n) & np.uint64(0x7FF)).astype(np.float64) * 2.0 ** -11
        else:
            x = self._unit(n, dt == np.float64)
        lo, hi = float(dt.type(a)), float(dt.type(b))
        return (x * (hi - lo) + lo).astype(dt).reshape(shape)

    def normal(self, shape, mean: float, std: float, np_dtype) -> np.ndarray:
        dt = np.dtype(np_dtype)
        n = int(np.prod(shape, dtype=np.int64))
        if n >= 16 and dt in (np.float32, np.float64):
            return self._normal_fill(n, mean, std, dt).reshape(shape)
        out = np.empty(n, dtype=np.float64)
        for i in range(n):
            out[i] = self._normal_double() * std + mean
        return out.astype(dt).reshape(shape)

    def _normal_double(self) -> float:
        """One sample of torch's ``normal_distribution<double>`` (Box-Muller with a cache)."""
        if self.next_double_normal is not None:
            value, self.next_double_normal = self.next_double_normal, None
            return value
        u1, u2 = self._unit(2, True)
        r = math.sqrt(-2.0 * math.log1p(-u2))
        theta = 2.0 * math.pi * u1
        self.next_double_normal = r * math.sin(theta)
        return r * math.cos(theta)

    def _normal_fill(self, n: int, mean: float, std: float, dt: np.dtype) -> np.ndarray:
        double = dt == np.float64
        data = self._unit(n, double).astype(dt)
        blocks = n // 16
        head = data[:blocks * 16].reshape(blocks, 2, 8)
        _box_muller_16(head, mean, std, dt)
        data[:blocks * 16] = head.reshape(-1)
        if n % 16:  # torch redraws the last 16 values and transforms them as one block
            tail = self._unit(16, double).astype(dt).reshape(1, 2, 8)
            _box_muller_16(tail, mean, std, dt)
            data[n - 16:] = tail.reshape(-1)
        return data

    def integers(self, shape, low: int, high: int, np_dtype=np.int64) -> np.ndarray:
        """torch's ``random_(low, high)`` / ``randint``: ``bits % range + low``."""
        n = int(np.prod(shape, dtype=np.int64))
        span = int(high) - int(low)
        if span <= 0:
            raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got "
                               f"from={low} >= to={high}")
        bits = self.random64(n) if span >= 1 << 32 else self.random32(n)
        values = (bits % np.uint64(span)).astype(np.int64) + int(low)
        return values.astype(np_dtype).reshape(shape)

    def random_full(self, shape, np_dtype) -> np.ndarray:
        """``random_()`` without bounds: ``[0, 2^mantissa]`` for floats, ``[0, max]`` for ints."""
        dt = np.dtype(np_dtype)
        n = int(np.prod(shape, dtype=np.int64))
        wide = dt in (np.float64, np.int64, np.uint64)
        if dt.kind == "f":
            span = (1 << {2: 11, 4: 24, 8: 53}[dt.itemsize]) + 1
        elif dt.kind == "b":
            span = 2
        else:
            span = int(np.iinfo(dt).max) + 1
        bits = self.random64(n) if wide else self.random32(n)
        return (bits % np.uint64(span)).astype(dt).reshape(shape)

    def randperm(self, n: int) -> np.ndarray:
        """torch's Fisher-Yates: swap ``i`` with ``i + random() % (n - i)``."""
        n = int(n)
        out = list(range(n))
        if n > 1:
            if n >= (1 << 32) // 20:
                raise NotImplementedError("randperm of 214 million or more elements")
            steps = self.random32(n - 1) % np.arange(n, 1, -1, dtype=np.uint64)
            for i, z in enumerate(steps.tolist()):
                j = i + z
                out[i], out[j] = out[j], out[i]
        return np.asarray(out, dtype=np.int64)

    def bernoulli_scalar(self, shape, p: float) -> np.ndarray:
        """``bernoulli_(p)`` with a number (dropout): a double uniform per element ``< p``."""
        n = int(np.prod(shape, dtype=np.int64))
        return (self._unit(n, True) < p).reshape(shape)

    def bernoulli_tensor(self, probs: np.ndarray) -> np.ndarray:
        """``bernoulli(p)`` with a tensor: float32 probabilities use float uniforms."""
        return self._unit(probs.size, probs.dtype == np.float64).reshape(probs.shape) < probs

    def exponential(self, shape, lambd: float, np_dtype) -> np.ndarray:
        n = int(np.prod(shape, dtype=np.int64))
        u = self._unit(n, True)
        return (-np.log1p(-u) / lambd).astype(np_dtype).reshape(shape)

    def multinomial(self, probs: np.ndarray, num_samples: int, replacement: bool) -> np.ndarray:
        """Category indices per row of ``probs`` (2-D), as torch's CPU kernel draws them."""
        rows = probs.shape[0]
        if not replacement or num_samples == 1:
            q = self.exponential(probs.shape, 1.0, probs.dtype)
            with np.errstate(divide="ignore", invalid="ignore"):
                keys = probs / q
            if num_samples == 1:
                return np.argmax(keys, axis=1)[:, None].astype(np.int64)
            # topk: largest first; stable on ties like torch's sort of equal keys
            order = np.argsort(-keys, axis=1, kind="stable")
            return order[:, :num_samples].astype(np.int64)
        dt = probs.dtype if probs.dtype in (np.float32, np.float64) else np.float32
        cum = np.cumsum(probs.astype(dt), axis=1, dtype=dt)
        total = cum[:, -1:]
        cum = np.where(total > 0, cum / total, cum).astype(dt)
        cum[:, -1] = 1
        out = np.empty((rows, num_samples), dtype=np.int64)
        for r in range(rows):
            u = self._unit(num_samples, True)
            out[r] = np.searchsorted(cum[r].astype(np.float64), u, side="left")
        return out

    def numpy_generator(self) -> np.random.Generator:
        """A NumPy generator seeded from one ``random64()`` draw, for distributions whose
        torch kernel is not reproduced here (binomial, poisson, ...): deterministic for a
        seed, not torch's numbers."""
        return np.random.default_rng(int(self.random64(1)[0]))


def _box_muller_16(blocks: np.ndarray, mean: float, std: float, dt: np.dtype) -> None:
    """torch's ``normal_fill_16`` on ``(B, 2, 8)`` uniforms, in place: the first half becomes
    ``r cos(theta)``, the second ``r sin(theta)``, with ``r = sqrt(-2 log(1 - x[:8]))`` and
    ``theta = 2 pi x[8:]``; then ``* std + mean``."""
    if dt == np.float32:
        _box_muller_16_avx2(blocks, mean, std)
        return
    u1 = 1.0 - blocks[:, 0]
    u2 = blocks[:, 1]
    with np.errstate(divide="ignore"):
        radius = np.sqrt(-2.0 * np.log(u1))
    theta = 2.0 * math.pi * u2
    blocks[:, 0] = radius * np.cos(theta) * std + mean
    blocks[:, 1] = radius * np.sin(theta) * std + mean


# -- float32: torch's AVX2 kernel (normal_fill_16_AVX2 with avx_mathfun's log and sincos) --------
# The Cephes polynomials below run in float32; where the compiled kernel fuses a multiply and
# an add (FMA), ``_fma`` does too (the float32 product is exact in float64, one rounding
# after the add). Checked bit for bit against torch 2.13 on x86-64 with AVX2/AVX-512.

_F32 = np.float32


def _fma(a, b, c) -> np.ndarray:
    return (np.asarray(a, np.float64) * np.asarray(b, np.float64)
            + np.asarray(c, np.float64)).astype(_F32)


def _mul(a, b) -> np.ndarray:
    return (np.asarray(a, _F32) * np.asarray(b, _F32)).astype(_F32)


def _log_ps(x: np.ndarray) -> np.ndarray:
    """avx_mathfun ``log256_ps`` for x in (0, 1]."""
    bits = x.astype(_F32).view(np.uint32)
    exponent = (bits >> np.uint32(23)).astype(np.int32) - 127
    m = ((bits & np.uint32(0x807FFFFF)) | _F32(0.5).view(np.uint32)).view(_F32)
    e = (exponent.astype(_F32) + _F32(1)).astype(_F32)
    small = m < _F32(0.707106781186547524)
    x = (m - _F32(1)).astype(_F32)
    e = (e - small.astype(_F32)).astype(_F32)
    x = (x + np.where(small, m, _F32(0))).astype(_F32)
    z = _mul(x, x)
    y = np.full_like(x, _F32(7.0376836292e-2))
    for p in (-1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
              -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1):
        y = _fma(y, x, _F32(p))
    y = _mul(y, x)
    y = _fma(y, z, _mul(e, _F32(-2.12194440e-4)))
    y = (y - _mul(z, _F32(0.5))).astype(_F32)
    x = (x + y).astype(_F32)
    return (x + _mul(e, _F32(0.693359375))).astype(_F32)


def _sincos_ps(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """avx_mathfun ``sincos256_ps``."""
    negative = x < 0
    x = np.abs(x).astype(_F32)
    j = (_mul(x, _F32(1.27323954473516)).astype(np.int32) + 1) & ~1
    y = j.astype(_F32)
    swap_sin = (j & 4) != 0
    poly_is_cos = (j & 2) == 0
    for dp in (-0.78515625, -2.4187564849853515625e-4, -3.77489497744594108e-8):
        x = _fma(y, _F32(dp), x)
    sign_cos = (~(j - 2) & 4) != 0
    sign_sin = negative ^ swap_sin
    z = _mul(x, x)
    yc = np.full_like(x, _F32(2.443315711809948e-5))
    yc = _fma(yc, z, _F32(-1.388731625493765e-3))
    yc = _fma(yc, z, _F32(4.166664568298827e-2))
    yc = _mul(yc, z)
    yc = _fma(yc, z, -_mul(z, _F32(0.5)))
    yc = (yc + _F32(1)).astype(_F32)
    ys = np.full_like(x, _F32(-1.9515295891e-4))
    ys = _fma(ys, z, _F32(8.3321608736e-3))
    ys = _fma(ys, z, _F32(-1.6666654611e-1))
    ys = _mul(ys, z)
    ys = _fma(ys, x, x)
    sin = np.where(poly_is_cos, ys, yc)
    cos = np.where(poly_is_cos, yc, ys)
    return np.where(sign_sin, -sin, sin).astype(_F32), np.where(sign_cos, -cos, cos).astype(_F32)


def _box_muller_16_avx2(blocks: np.ndarray, mean: float, std: float) -> None:
    u1 = (_F32(1) - blocks[:, 0]).astype(_F32)
    u2 = blocks[:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        radius = np.sqrt(_mul(_F32(-2), _log_ps(u1))).astype(_F32)
    sin, cos = _sincos_ps(_mul(_F32(2.0 * math.pi), u2))
    blocks[:, 0] = _fma(_mul(radius, cos), _F32(std), _F32(mean))
    blocks[:, 1] = _fma(_mul(radius, sin), _F32(std), _F32(mean))
