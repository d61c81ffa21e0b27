"""Elementwise functions of one tensor, each with its derivative beside it (trigonometric and
hyperbolic ones are in ``trig``).

Integer inputs of floating functions (exp, log, sqrt, ...) are promoted to the default float
dtype first, as torch does. Kink conventions follow torch: relu'(0) = 0, abs'(0) = 0,
clamp passes the gradient where min <= x <= max (inclusive).
"""

from __future__ import annotations

import math

import numpy as np

from .._fp import quiet_fp
from .._tensor import Tensor
from ..autograd.function import Op
from . import _special
from ._common import float_operand, zero_of

__all__ = [
    "exp", "log", "log1p", "expm1", "log2", "log10", "exp2", "sqrt", "rsqrt", "tanh", "sigmoid",
    "relu", "abs", "sign", "floor", "ceil", "round", "trunc", "frac", "erf", "erfc", "erfinv",
    "logit", "sgn", "absolute", "nan_to_num", "signbit", "fix",
]


def _erf(x):
    return _special.erf(x)


class Exp(Op):
    formula = "y = exp(x);  dx = dy * y"

    @staticmethod
    def forward(ctx, x):
        y = np.exp(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, dy):
        (y,) = ctx.saved_tensors
        return dy * y

    @staticmethod
    def backward_arrays(ctx, dy):
        (y,) = ctx.saved_arrays
        return dy * y


class Exp2(Op):
    formula = "y = 2^x;  dx = dy * y * ln 2"

    @staticmethod
    def forward(ctx, x):
        y = np.exp2(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, dy):
        (y,) = ctx.saved_tensors
        return dy * y * math.log(2.0)


class Expm1(Op):
    formula = "y = exp(x) - 1;  dx = dy * (y + 1)"

    @staticmethod
    def forward(ctx, x):
        y = np.expm1(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, dy):
        (y,) = ctx.saved_tensors
        return dy * (y + 1.0)


class Log(Op):
    formula = "y = ln(x);  dx = dy / x"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with quiet_fp():
            return np.log(x)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return dy / x


class Log2(Op):
    formula = "y = log2(x);  dx = dy / (x ln 2)"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with quiet_fp():
            return np.log2(x)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return dy / (x * math.log(2.0))


class Log10(Op):
    formula = "y = log10(x);  dx = dy / (x ln 10)"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with quiet_fp():
            return np.log10(x)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return dy / (x * math.log(10.0))


class Log1p(Op):
    formula = "y = ln(1 + x);  dx = dy / (1 + x)"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with quiet_fp():
            return np.log1p(x)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return dy / (x + 1.0)


class Sqrt(Op):
    formula = "y = sqrt(x);  dx = dy / (2 y)"

    @staticmethod
    def forward(ctx, x):
        with quiet_fp():
            y = np.sqrt(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, dy):
        (y,) = ctx.saved_tensors
        return dy / (y * 2.0)


class Rsqrt(Op):
    formula = "y = 1/sqrt(x);  dx = -dy * y^3 / 2"

    @staticmethod
    def forward(ctx, x):
        with quiet_fp():
            y = 1.0 / np.sqrt(x)
        y = y.astype(x.dtype, copy=False)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, dy):
        (y,) = ctx.saved_tensors
        return dy * (y * y * y) * -0.5


class Tanh(Op):
    formula = "y = tanh(x);  dx = dy * (1 - y^2)"

    @staticmethod
    def forward(ctx, x):
        y = np.tanh(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, dy):
        (y,) = ctx.saved_tensors
        return dy * (1.0 - y * y)

    @staticmethod
    def backward_arrays(ctx, dy):
        (y,) = ctx.saved_arrays
        return dy * (1.0 - y * y)


class Sigmoid(Op):
    formula = "y = 1 / (1 + exp(-x));  dx = dy * y * (1 - y)"

    @staticmethod
    def forward(ctx, x):
        # exp(-|x|) never overflows; pick the form that keeps precision on each side
        e = np.exp(-np.abs(x))
        y = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(x.dtype, copy=False)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, dy):
        (y,) = ctx.saved_tensors
        return dy * (y * (1.0 - y))

    @staticmethod
    def backward_arrays(ctx, dy):
        (y,) = ctx.saved_arrays
        return dy * (y * (1.0 - y))


class Relu(Op):
    formula = "y = max(x, 0);  dx = dy * [x > 0]   (relu'(0) = 0, as torch)"

    @staticmethod
    def forward(ctx, x):
        y = np.maximum(x, zero_of(x.dtype))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, dy):
        (y,) = ctx.saved_tensors
        return dy * (y > 0).to(dy.dtype)

    @staticmethod
    def backward_arrays(ctx, dy):
        (y,) = ctx.saved_arrays
        return dy * (y > zero_of(y.dtype))


class Abs(Op):
    formula = "y = |x|;  dx = dy * sign(x)   (abs'(0) = 0)"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.abs(x)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return dy * x.sign()


class Erf(Op):
    formula = "y = erf(x);  dx = dy * 2/sqrt(pi) * exp(-x^2)"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _erf(x)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return dy * (2.0 / math.sqrt(math.pi)) * (-(x * x)).exp()


class Erfinv(Op):
    formula = "y = erfinv(x);  dx = dy * sqrt(pi)/2 * exp(y^2)"

    @staticmethod
    def forward(ctx, x):
        y = _special.erfinv(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, dy):
        (y,) = ctx.saved_tensors
        return dy * (math.sqrt(math.pi) / 2.0) * (y * y).exp()


class Logit(Op):
    formula = "y = ln(x / (1 - x));  dx = dy / (x (1 - x))"

    @staticmethod
    def forward(ctx, x, eps):
        if eps is not None:
            x = np.clip(x, eps, 1.0 - eps)
        ctx.save_for_backward(x)
        ctx.eps = eps
        with quiet_fp():
            return np.log(x / (1.0 - x))

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return dy / (x * (1.0 - x)), None


class Rounding(Op):
    """floor/ceil/round/trunc/sign: piecewise constant, so the gradient is zero."""

    formula = "y = floor(x) (or ceil, round, trunc, sign);  dx = 0"

    @staticmethod
    def forward(ctx, x, fn):
        return fn(x)

    @staticmethod
    def backward(ctx, dy):
        return dy * 0.0, None


class Floor(Rounding):
    pass


class Ceil(Rounding):
    pass


class Round(Rounding):
    pass


class Trunc(Rounding):
    pass


class Sign(Rounding):
    pass


class Frac(Op):
    formula = "y = x - trunc(x);  dx = dy"

    @staticmethod
    def forward(ctx, x):
        return x - np.trunc(x)

    @staticmethod
    def backward(ctx, dy):
        return dy


def _unary(op):
    def fn(input: Tensor, *, out=None) -> Tensor:
        result = op.apply(float_operand(input))
        if out is not None:
            out.copy_(result)
            return out
        return result

    fn.__name__ = op.__name__.lower()
    fn.__doc__ = f"Elementwise ``{op.formula.split(';')[0]}``.\n\nBackward: {op.formula}."
    return fn


exp = _unary(Exp)
exp2 = _unary(Exp2)
expm1 = _unary(Expm1)
log = _unary(Log)
log2 = _unary(Log2)
log10 = _unary(Log10)
log1p = _unary(Log1p)
sqrt = _unary(Sqrt)
rsqrt = _unary(Rsqrt)
tanh = _unary(Tanh)
sigmoid = _unary(Sigmoid)
erf = _unary(Erf)
erfinv = _unary(Erfinv)
_frac = _unary(Frac)


def frac(input: Tensor, *, out=None) -> Tensor:
    """``x - trunc(x)``: the fractional part, with the sign of ``x``."""
    if input._data.dtype.kind not in "fc":
        raise NotImplementedError(f'"frac_cpu" not implemented for \'{_word(input)}\'')
    return _frac(input, out=out)


def _word(t: Tensor) -> str:
    return {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "bool": "Bool"}.get(t._data.dtype.name, t._data.dtype.name)


class Erfc(Op):
    formula = "y = erfc(x) = 1 - erf(x);  dx = -dy * 2/sqrt(pi) * exp(-x^2)"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _special.erfc(x)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return dy * (-2.0 / math.sqrt(math.pi)) * (-(x * x)).exp()


erfc = _unary(Erfc)


def relu(input: Tensor) -> Tensor:
    """``max(x, 0)``; relu'(0) = 0 as in torch."""
    if input._data.dtype.kind not in "fc":
        return Tensor._wrap(np.maximum(input._data, 0))
    return Relu.apply(input)


def abs(input: Tensor) -> Tensor:  # noqa: A001
    """``|x|``; the gradient is ``sign(x)`` (0 at 0, as torch)."""
    if input._data.dtype.kind not in "fc":
        return Tensor._wrap(np.abs(input._data))
    return Abs.apply(input)


absolute = abs


def logit(input: Tensor, eps: float | None = None) -> Tensor:
    """``log(p / (1 - p))``, with ``p`` clamped to ``[eps, 1 - eps]`` when ``eps`` is given."""
    return Logit.apply(float_operand(input), eps)


def _rounding(op, np_fn):
    def fn(input: Tensor, *args, **kwargs) -> Tensor:
        if input._data.dtype.kind not in "fc":
            return Tensor._wrap(np_fn(input._data).astype(input._data.dtype))
        return op.apply(input, np_fn)

    fn.__name__ = op.__name__.lower()
    fn.__doc__ = (f"Elementwise ``{fn.__name__}``; piecewise constant, so its gradient is zero "
                  "(integer tensors are returned unchanged in value and dtype).")
    return fn


floor = _rounding(Floor, np.floor)
ceil = _rounding(Ceil, np.ceil)
trunc = _rounding(Trunc, np.trunc)
fix = trunc
sign = _rounding(Sign, np.sign)
sgn = sign


def round(input: Tensor, *, decimals: int = 0) -> Tensor:  # noqa: A001
    """Round half to even (as torch)."""
    if input._data.dtype.kind not in "fc":
        if decimals:
            raise NotImplementedError(f'"round_cpu" not implemented for \'{_word(input)}\'')
        return input.clone()
    return Round.apply(input, lambda x: np.round(x, decimals))


def signbit(input: Tensor) -> Tensor:
    """Elementwise: is the sign bit set (True for -0.0)."""
    return Tensor._wrap(np.signbit(input._data))


def nan_to_num(input: Tensor, nan: float = 0.0, posinf=None, neginf=None) -> Tensor:
    """Replaces NaN, +inf and -inf (by 0, the dtype's max and min unless given)."""
    from .pointwise import where  # noqa: PLC0415

    x = input._data
    fixed = np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)
    mask = Tensor._wrap(np.isfinite(x))
    return where(mask, input, Tensor._wrap(fixed))
