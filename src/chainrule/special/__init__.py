"""``torch.special``: special functions, differentiable (composed from chainrule ops, or
primitives in ``_gamma`` for log-gamma, digamma and trigamma)."""

from __future__ import annotations

import math

import numpy as np

from .. import ops
from .._tensor import Tensor
from ..ops._common import float_operand, to_tensor
from ._gamma import Digamma, Lgamma, Polygamma1
from ._pointwise import LogNdtr, XLog1pY, XLogY

__all__ = [
    "digamma",
    "entr",
    "erf",
    "erfc",
    "erfinv",
    "exp2",
    "expit",
    "expm1",
    "gammainc",
    "gammaincc",
    "gammaln",
    "i0",
    "log1p",
    "log_ndtr",
    "log_softmax",
    "logit",
    "logsumexp",
    "multigammaln",
    "ndtr",
    "ndtri",
    "polygamma",
    "psi",
    "round",
    "sinc",
    "softmax",
    "xlog1py",
    "xlogy",
]


def _f(x) -> Tensor:
    return float_operand(to_tensor(x))


def erf(input: Tensor) -> Tensor:
    return ops.erf(_f(input))


def erfc(input: Tensor) -> Tensor:
    return ops.erfc(_f(input))


def erfinv(input: Tensor) -> Tensor:
    return ops.erfinv(_f(input))


def expit(input: Tensor) -> Tensor:
    """The logistic sigmoid 1 / (1 + exp(-x))."""
    return ops.sigmoid(_f(input))


def logit(input: Tensor, eps: float | None = None) -> Tensor:
    return ops.logit(_f(input), eps)


def exp2(input: Tensor) -> Tensor:
    return ops.exp2(_f(input))


def expm1(input: Tensor) -> Tensor:
    return ops.expm1(_f(input))


def log1p(input: Tensor) -> Tensor:
    return ops.log1p(_f(input))


def round(input: Tensor, *, decimals: int = 0) -> Tensor:
    return ops.round(input, decimals=decimals)


def _pair(x, y) -> tuple[Tensor, Tensor]:
    """Both operands as tensors of torch's result dtype (integers go to the default float)."""
    from .. import _dtypes

    dt = _dtypes.result_type(x, y)
    if not (dt.is_floating_point or dt.is_complex):
        dt = _dtypes.get_default_dtype()
    x_t = x.to(dt) if isinstance(x, Tensor) else Tensor._wrap(np.asarray(x, dtype=dt.np))
    y_t = y.to(dt) if isinstance(y, Tensor) else Tensor._wrap(np.asarray(y, dtype=dt.np))
    return x_t, y_t


def xlogy(input, other) -> Tensor:
    """x * log(y), defined as 0 where x == 0 (even for y = 0); nan where y is nan."""
    return XLogY.apply(*_pair(input, other))


def xlog1py(input, other) -> Tensor:
    """x * log1p(y), 0 where x == 0 (unless y is nan)."""
    return XLog1pY.apply(*_pair(input, other))


def entr(input: Tensor) -> Tensor:
    """-x log x for x > 0, 0 at x = 0, -inf for x < 0."""
    x = _f(input)
    positive = x > 0
    out = ops.where(positive, -x * ops.log(ops.where(positive, x, 1.0)), 0.0)
    return ops.where(x < 0, -math.inf, out)


def gammaln(input: Tensor) -> Tensor:
    """log|Gamma(x)|; d/dx = digamma(x)."""
    return Lgamma.apply(_f(input))


def digamma(input: Tensor) -> Tensor:
    """psi(x) = d/dx log Gamma(x); d/dx = polygamma(1, x)."""
    return Digamma.apply(_f(input))


psi = digamma


def polygamma(n: int, input: Tensor) -> Tensor:
    """The n-th derivative of digamma (n = 0, 1 supported)."""
    if n == 0:
        return digamma(input)
    if n == 1:
        return Polygamma1.apply(_f(input))
    raise NotImplementedError(f"chainrule: polygamma(n={n}) is only implemented for n = 0, 1")


def multigammaln(input: Tensor, p: int) -> Tensor:
    """log of the multivariate gamma function of dimension p."""
    x = _f(input)
    out = p * (p - 1) / 4 * math.log(math.pi)
    for j in range(p):
        out = gammaln(x - j / 2) + out
    return out


def softmax(input: Tensor, dim: int, *, dtype=None) -> Tensor:
    return ops.softmax(input, dim, dtype=dtype)


def log_softmax(input: Tensor, dim: int, *, dtype=None) -> Tensor:
    return ops.log_softmax(input, dim, dtype=dtype)


def logsumexp(input: Tensor, dim, keepdim: bool = False) -> Tensor:
    return ops.logsumexp(input, dim, keepdim)


def sinc(input: Tensor) -> Tensor:
    """sin(pi x) / (pi x), 1 at x = 0."""
    x = _f(input)
    zero = x == 0
    px = ops.where(zero, 1.0, x) * math.pi
    return ops.where(zero, 1.0, ops.sin(px) / px)


def ndtr(input: Tensor) -> Tensor:
    """The standard normal CDF: (1 + erf(x / sqrt 2)) / 2."""
    x = _f(input)
    return 0.5 * (1.0 + ops.erf(x * (1.0 / math.sqrt(2.0))))


def log_ndtr(input: Tensor) -> Tensor:
    """log of the standard normal CDF, accurate in the far left tail."""
    return LogNdtr.apply(_f(input))


def ndtri(input: Tensor) -> Tensor:
    """The inverse of ``ndtr``: sqrt(2) * erfinv(2p - 1)."""
    p = _f(input)
    return math.sqrt(2.0) * ops.erfinv(2.0 * p - 1.0)


def i0(input: Tensor) -> Tensor:
    """Modified Bessel function of the first kind, order 0 (not differentiable here)."""
    x = _f(input)
    if x.requires_grad:
        raise NotImplementedError("chainrule: the backward of torch.special.i0 is not "
                                  "implemented")
    return Tensor._wrap(np.i0(x._data).astype(x._data.dtype, copy=False))


def gammainc(input: Tensor, other: Tensor) -> Tensor:
    raise NotImplementedError("chainrule: torch.special.gammainc is not implemented")


def gammaincc(input: Tensor, other: Tensor) -> Tensor:
    raise NotImplementedError("chainrule: torch.special.gammaincc is not implemented")
