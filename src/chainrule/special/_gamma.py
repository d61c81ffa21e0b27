"""log-gamma, digamma and trigamma: differentiable ops with NumPy-only kernels.

SciPy's kernels are used when SciPy is installed (exact to the last bit); otherwise the
vectorized fallbacks below: Lanczos (g = 7, 9 terms) for log|Gamma|, and for digamma and
trigamma the recurrence up to x + 10 followed by the Bernoulli asymptotic series (error below
1e-15 relative there). Reflection formulas handle x < 0.5.
"""

from __future__ import annotations

import math

import numpy as np

from ..autograd.function import Op

__all__ = ["Digamma", "Lgamma", "Polygamma1", "digamma_np", "lgamma_np", "trigamma_np"]

_LANCZOS = np.array([
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
])
_SHIFT = 10


def _lgamma_positive(x: np.ndarray) -> np.ndarray:
    """log Gamma(x) for x >= 0.5 (Lanczos)."""
    z = x - 1.0
    a = np.full_like(z, _LANCZOS[0])
    for i in range(1, 9):
        a += _LANCZOS[i] / (z + i)
    t = z + 7.5
    return 0.5 * math.log(2 * math.pi) + (z + 0.5) * np.log(t) - t + np.log(a)


def lgamma_np(x: np.ndarray) -> np.ndarray:
    """log|Gamma(x)| elementwise (inf at the poles 0, -1, -2, ...)."""
    x64 = np.asarray(x, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        right = x64 >= 0.5
        out = np.empty_like(x64)
        out[right] = _lgamma_positive(x64[right])
        left = x64[~right]
        # Gamma(x) Gamma(1 - x) = pi / sin(pi x)
        out[~right] = (math.log(math.pi) - np.log(np.abs(np.sin(math.pi * left)))
                       - _lgamma_positive(1.0 - left))
        poles = (x64 <= 0) & (x64 == np.floor(x64))
        out[poles] = np.inf
        out[np.isposinf(x64)] = np.inf
    return out


def _shifted(x64: np.ndarray, power: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What the digamma and trigamma series share: ``(reflect, y, acc)`` where ``z`` is ``x``
    (or ``1 - x`` where ``reflect``, i.e. x < 0.5), ``y = z + _SHIFT`` (large enough for the
    asymptotic series) and ``acc = sum_{k < _SHIFT} (z + k)^-power`` (the recurrence terms)."""
    reflect = x64 < 0.5
    z = np.where(reflect, 1.0 - x64, x64)
    acc = np.zeros_like(z)
    for k in range(_SHIFT):
        zk = z + k
        acc += 1.0 / zk if power == 1 else 1.0 / (zk * zk)
    return reflect, z + _SHIFT, acc


def digamma_np(x: np.ndarray) -> np.ndarray:
    """psi(x) = d/dx log Gamma(x) (nan at the poles, as torch gives -inf/nan there)."""
    x64 = np.asarray(x, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        reflect, y, acc = _shifted(x64, 1)
        y2 = 1.0 / (y * y)
        series = y2 * (1 / 12 - y2 * (1 / 120 - y2 * (1 / 252 - y2 * (
            1 / 240 - y2 * (1 / 132 - y2 * (691 / 32760 - y2 / 12))))))
        psi = np.log(y) - 0.5 / y - series - acc
        # psi(1 - x) - psi(x) = pi / tan(pi x)
        psi = np.where(reflect, psi - math.pi / np.tan(math.pi * x64), psi)
        poles = (x64 <= 0) & (x64 == np.floor(x64))
        psi = np.where(poles & (x64 == 0), -np.inf, np.where(poles, np.nan, psi))
    return psi


def trigamma_np(x: np.ndarray) -> np.ndarray:
    """psi'(x) (polygamma of order 1)."""
    x64 = np.asarray(x, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        reflect, y, acc = _shifted(x64, 2)
        y2 = 1.0 / (y * y)
        series = (1.0 / y + 0.5 * y2 + (1.0 / y) * y2 * (1 / 6 - y2 * (1 / 30 - y2 * (
            1 / 42 - y2 * (1 / 30 - y2 * (5 / 66 - y2 * (691 / 2730 - y2 * 7 / 6)))))))
        out = series + acc
        # psi1(1 - x) + psi1(x) = pi^2 / sin^2(pi x)
        out = np.where(reflect, (math.pi / np.sin(math.pi * x64)) ** 2 - out, out)
    return out


def _scipy(name: str):
    try:
        from scipy import special
    except ImportError:
        return None
    return getattr(special, name)


def _apply(fallback, scipy_name: str, x: np.ndarray) -> np.ndarray:
    fn = _scipy(scipy_name)
    if fn is None:
        out = fallback(x)
    elif scipy_name == "polygamma":
        out = fn(1, x)
    else:
        out = fn(x)
    return np.asarray(out).astype(x.dtype, copy=False)


class Lgamma(Op):
    backward_name = "LgammaBackward0"
    formula = "y = log|Gamma(x)|;  dx = dy * digamma(x)"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _apply(lgamma_np, "gammaln", x)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return dy * Digamma.apply(x)


class Digamma(Op):
    backward_name = "DigammaBackward0"
    formula = "y = digamma(x);  dx = dy * trigamma(x)"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _apply(digamma_np, "digamma", x)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return dy * Polygamma1.apply(x)


class Polygamma1(Op):
    backward_name = "PolygammaBackward0"
    formula = "y = trigamma(x) = polygamma(1, x);  (no backward: polygamma(2, x) is not built)"

    @staticmethod
    def forward(ctx, x):
        return _apply(trigamma_np, "polygamma", x)

    @staticmethod
    def backward(ctx, dy):
        raise NotImplementedError(
            "chainrule: the derivative of polygamma(1, x) (third derivative of lgamma) is not "
            "implemented"
        )
