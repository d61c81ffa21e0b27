"""Arithmetic with broadcasting: add, sub, mul, div, neg, pow, and their reflected forms.

Gradients of broadcast operands come back at the broadcast shape; the engine sums them down
to each input's shape (one place for that rule, not every op).
"""

from __future__ import annotations

import numpy as np

from .._fp import quiet_fp
from .. import _dtypes
from .._tensor import Tensor
from ..autograd.function import Op
from ._common import cast, promote

__all__ = ["add", "sub", "mul", "div", "neg", "pow", "rsub", "true_divide", "floor_divide",
           "remainder", "fmod", "subtract", "multiply", "divide", "negative", "square",
           "reciprocal"]


def broadcast_error(x, y) -> RuntimeError:
    xs, ys = np.shape(x), np.shape(y)
    n = max(len(xs), len(ys))
    xs_p = (1,) * (n - len(xs)) + tuple(xs)
    ys_p = (1,) * (n - len(ys)) + tuple(ys)
    for i in range(n - 1, -1, -1):
        if xs_p[i] != ys_p[i] and xs_p[i] != 1 and ys_p[i] != 1:
            return RuntimeError(
                f"The size of tensor a ({xs_p[i]}) must match the size of tensor b ({ys_p[i]}) "
                f"at non-singleton dimension {i} (shapes {list(xs)} and {list(ys)})"
            )
    return RuntimeError(f"shapes {list(xs)} and {list(ys)} cannot be broadcast together")


class Add(Op):
    formula = "z = x + y;  dx = dz;  dy = dz"

    @staticmethod
    def forward(ctx, x, y):
        try:
            return x + y
        except ValueError:
            raise broadcast_error(x, y) from None

    @staticmethod
    def backward(ctx, dz):
        return dz, dz

    @staticmethod
    def backward_arrays(ctx, dz):
        return dz, dz



class AddScaled(Op):
    """``x + alpha * y`` (torch.add with ``alpha``)."""

    backward_name = "AddBackward0"
    formula = "z = x + a*y;  dx = dz;  dy = a * dz"

    @staticmethod
    def forward(ctx, x, y, alpha):
        ctx.alpha = alpha
        try:
            return x + alpha * y
        except ValueError:
            raise broadcast_error(x, y) from None

    @staticmethod
    def backward(ctx, dz):
        return dz, dz * ctx.alpha, None


class Sub(Op):
    formula = "z = x - y;  dx = dz;  dy = -dz"

    @staticmethod
    def forward(ctx, x, y):
        try:
            return x - y
        except ValueError:
            raise broadcast_error(x, y) from None

    @staticmethod
    def backward(ctx, dz):
        return dz, -dz

    @staticmethod
    def backward_arrays(ctx, dz):
        return dz, -dz



class Rsub(Op):
    """``y - x`` for a scalar or tensor ``y`` on the left (torch's RsubBackward1)."""

    backward_name = "RsubBackward1"
    formula = "z = c - x;  dx = -dz"

    @staticmethod
    def forward(ctx, x, c):
        return c - x

    @staticmethod
    def backward(ctx, dz):
        return -dz, None


class Mul(Op):
    formula = "z = x * y;  dx = dz * y;  dy = dz * x"

    @staticmethod
    def forward(ctx, x, y):
        needs = ctx.needs_input_grad
        if needs:
            ctx.save_for_backward(y if needs[0] else None, x if needs[1] else None)
        try:
            return x * y
        except ValueError:
            raise broadcast_error(x, y) from None

    @staticmethod
    def backward(ctx, dz):
        y, x = ctx.saved_tensors
        return (dz * y if y is not None else None), (dz * x if x is not None else None)

    @staticmethod
    def backward_arrays(ctx, dz):
        y, x = ctx.saved_arrays
        return (dz * y if y is not None else None), (dz * x if x is not None else None)



class MulScalar(Op):
    backward_name = "MulBackward0"
    formula = "z = x * c;  dx = dz * c"

    @staticmethod
    def forward(ctx, x, c):
        ctx.c = c
        return x * c

    @staticmethod
    def backward(ctx, dz):
        return dz * ctx.c, None

    @staticmethod
    def backward_arrays(ctx, dz):
        return dz * ctx.c, None



class DivScalar(MulScalar):
    """``x / c`` computed as ``x * (1/c)`` where that is exact (torch's ``DivBackward0``)."""

    backward_name = "DivBackward0"


class Div(Op):
    formula = "z = x / y;  dx = dz / y;  dy = -dz * x / y^2"

    @staticmethod
    def forward(ctx, x, y):
        needs = ctx.needs_input_grad
        if needs:
            ctx.save_for_backward(y, x if needs[1] else None)
        try:
            with quiet_fp():  # x/0 is inf/nan, silently
                return x / y
        except ValueError:
            raise broadcast_error(x, y) from None

    @staticmethod
    def backward(ctx, dz):
        y, x = ctx.saved_tensors
        dx = dz / y if ctx.needs_input_grad[0] else None
        dy = -dz * x / (y * y) if x is not None else None
        return dx, dy


class RDiv(Op):
    """``c / x`` for a scalar ``c`` (torch computes it as ``reciprocal(x) * c``: its node is
    ``MulBackward0``)."""

    backward_name = "MulBackward0"
    formula = "z = c / x;  dx = -dz * c / x^2"

    @staticmethod
    def forward(ctx, x, c):
        ctx.c = c
        ctx.save_for_backward(x)
        with quiet_fp():
            return c / x

    @staticmethod
    def backward(ctx, dz):
        (x,) = ctx.saved_tensors
        return -dz * ctx.c / (x * x), None


class Neg(Op):
    formula = "y = -x;  dx = -dy"

    @staticmethod
    def forward(ctx, x):
        return -x

    @staticmethod
    def backward(ctx, dy):
        return -dy

    @staticmethod
    def backward_arrays(ctx, dy):
        return -dy



class PowScalar(Op):
    backward_name = "PowBackward0"
    formula = "y = x^p;  dx = dy * p * x^(p-1)"

    @staticmethod
    def forward(ctx, x, p):
        ctx.p = p
        ctx.save_for_backward(x)
        if p == 2:
            return x * x
        return x**p

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        p = ctx.p
        if p == 0:
            return dy * 0.0, None
        if p == 2:
            return dy * (x * 2.0), None
        return dy * (p * x ** (p - 1)), None


class Pow(Op):
    backward_name = "PowBackward1"
    formula = "z = x^y;  dx = dz * y * x^(y-1);  dy = dz * x^y * log(x)  (0 where x = 0)"

    @staticmethod
    def forward(ctx, x, y):
        try:
            np.broadcast_shapes(x.shape, y.shape)
        except ValueError:
            raise broadcast_error(x, y) from None
        z = _int_pow(x, y) if x.dtype.kind in "iu" else _float_pow(x, y)
        ctx.save_for_backward(x, y, z)
        return z

    @staticmethod
    def backward(ctx, dz):
        x, y, z = ctx.saved_tensors
        needs = ctx.needs_input_grad
        dx = dz * y * x ** (y - 1.0) if needs[0] else None
        dy = None
        if needs[1]:
            # torch's convention: d/dy x^y = 0 where x == 0 (and y >= 0), not nan
            safe_log = (x.masked_fill(x == 0, 1.0)).log()
            dy = dz * z * safe_log
        return dx, dy


def _float_pow(x, y):
    with quiet_fp():
        return x**y


def _int_pow(x, y):
    """Integer powers as torch computes them: a negative exponent gives 1 for base 1,
    +-1 for base -1 and 0 otherwise (NumPy refuses negative integer powers)."""
    y = np.asarray(y)
    neg = y < 0
    if not neg.any():
        return np.power(x, y)
    z = np.power(x, np.where(neg, 0, y))
    sign = np.where(y % 2 == 0, 1, -1).astype(z.dtype)
    small = np.where(x == 1, 1, np.where(x == -1, sign, 0)).astype(z.dtype)
    return np.where(neg, small, z)


class RPow(Op):
    """``c ** x`` for a scalar base ``c``."""

    backward_name = "PowBackward2"
    formula = "y = c^x;  dx = dy * y * log(c)"

    @staticmethod
    def forward(ctx, x, c):
        if x.dtype.kind in "iu" and isinstance(c, int):
            y = _int_pow(np.asarray(c, dtype=x.dtype), x)
        else:
            with quiet_fp():
                y = np.power(c, x)
        if y.dtype != x.dtype and x.dtype.kind == "f":
            y = y.astype(x.dtype)
        ctx.save_for_backward(y)
        ctx.log_c = float(np.log(c)) if c > 0 else (float("-inf") if c == 0 else float("nan"))
        return y

    @staticmethod
    def backward(ctx, dy):
        (y,) = ctx.saved_tensors
        if ctx.log_c == float("-inf"):
            return dy * 0.0, None
        return dy * y * ctx.log_c, None


class Remainder(Op):
    formula = "z = x - floor(x/y)*y;  dx = dz;  dy = -dz * floor(x/y)"

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return np.mod(x, y)

    @staticmethod
    def backward(ctx, dz):
        x, y = ctx.saved_arrays
        dy = None
        if ctx.needs_input_grad[1]:
            dy = dz * Tensor._wrap(-np.floor_divide(x, y))
        return dz, dy


class Fmod(Op):
    formula = "z = x - trunc(x/y)*y;  dx = dz;  dy = -dz * trunc(x/y)"

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return np.fmod(x, y)

    @staticmethod
    def backward(ctx, dz):
        x, y = ctx.saved_arrays
        dy = None
        if ctx.needs_input_grad[1]:
            dy = dz * Tensor._wrap(-np.trunc(x / y))
        return dz, dy


# -- wrappers: what torch.add etc. and the operators call ------------------------------------


def add(input, other, *, alpha=1, out=None) -> Tensor:
    """``input + alpha * other`` with broadcasting and torch's type promotion."""
    a, b, dt = promote(input, other)
    if alpha != 1:
        _check_alpha(alpha, dt)
        if not isinstance(b, Tensor):
            return _finish(Add.apply(a, b * alpha) if isinstance(a, Tensor) else None, out)
        return _finish(AddScaled.apply(a, b, alpha), out)
    if isinstance(a, Tensor):
        return _finish(Add.apply(a, b), out)
    return _finish(Add.apply(b, a), out)


def sub(input, other, *, alpha=1, out=None) -> Tensor:
    """``input - alpha * other``."""
    if isinstance(input, Tensor) and input._data.dtype == np.bool_ and isinstance(other, Tensor) \
            and other._data.dtype == np.bool_:
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the "
            "`^` or `logical_xor()` operator instead."
        )
    a, b, dt = promote(input, other)
    if alpha != 1:
        _check_alpha(alpha, dt)
        return add(a, b, alpha=-alpha, out=out)
    if isinstance(a, Tensor):
        return _finish(Sub.apply(a, b), out)
    return _finish(Rsub.apply(b, a), out)


def _check_alpha(alpha, np_dtype) -> None:
    if np_dtype.kind in "iub" and isinstance(alpha, float):
        raise RuntimeError(
            "For integral input tensors, argument alpha must not be a floating point number."
        )


def rsub(input, other, *, alpha=1) -> Tensor:
    """``other - alpha * input``."""
    return sub(other, input, alpha=alpha)


def mul(input, other, *, out=None) -> Tensor:
    """Elementwise product with broadcasting."""
    a, b, _ = promote(input, other)
    if not isinstance(b, Tensor):
        return _finish(MulScalar.apply(a, b), out)
    if not isinstance(a, Tensor):
        return _finish(MulScalar.apply(b, a), out)
    return _finish(Mul.apply(a, b), out)


def div(input, other, *, rounding_mode=None, out=None) -> Tensor:
    """True division (integers give the default float dtype); ``rounding_mode`` 'trunc'/'floor'."""
    if rounding_mode is not None:
        if rounding_mode not in ("trunc", "floor"):
            raise ValueError(
                f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
                f"'{rounding_mode}'"
            )
        a, b, dt = promote(input, other)
        q = div(a, b) if dt.kind == "f" else None
        if dt.kind == "f":
            return _finish(q.floor() if rounding_mode == "floor" else q.trunc(), out)
        xa = a._data if isinstance(a, Tensor) else a
        xb = b._data if isinstance(b, Tensor) else b
        if rounding_mode == "floor":
            r = np.floor_divide(xa, xb)
        else:
            r = np.trunc(np.true_divide(xa, xb)).astype(dt)
        return _finish(Tensor._wrap(np.asarray(r, dtype=dt)), out)
    a, b, dt = promote(input, other)
    if dt.kind not in "fc":
        fdt = _dtypes._default_float.np
        a = cast(a, fdt) if isinstance(a, Tensor) else a
        b = cast(b, fdt) if isinstance(b, Tensor) else b
    if not isinstance(b, Tensor):
        return _finish(DivScalar.apply(a, 1.0 / b) if b != 0 and _exact_recip(b)
                       else Div.apply(a, _as_array_like(b, a)), out)
    if not isinstance(a, Tensor):
        return _finish(RDiv.apply(b, a), out)
    return _finish(Div.apply(a, b), out)


def _exact_recip(b) -> bool:
    # x / 2 == x * 0.5 exactly only when 1/b is a power of two; else keep a true division so
    # results match torch bit for bit.
    m, _ = np.frexp(float(b))
    return abs(m) == 0.5


def _as_array_like(b, a: Tensor):
    return np.asarray(b, dtype=a._data.dtype)


true_divide = div
divide = div
multiply = mul
subtract = sub


def neg(input) -> Tensor:
    """``-x`` elementwise (bool tensors are refused, as torch: use ``~``)."""
    if input._data.dtype == np.bool_:
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
            "to invert a mask, use the `~` or `logical_not()` operator instead."
        )
    return Neg.apply(input)


negative = neg


def pow(input, exponent, *, out=None) -> Tensor:  # noqa: A001
    """``input ** exponent``; a scalar base or exponent is a constant."""
    if not isinstance(input, Tensor):
        if isinstance(exponent, Tensor):
            if exponent._data.dtype.kind not in "fc" and isinstance(input, float):
                exponent = cast(exponent, _dtypes._default_float.np)
            return _finish(RPow.apply(exponent, input), out)
        raise TypeError("pow expects a Tensor base or exponent")
    if isinstance(exponent, Tensor):
        a, b, _ = promote(input, exponent)
        return _finish(Pow.apply(a, b), out)
    if input._data.dtype.kind in "iub":
        if isinstance(exponent, float):
            input = cast(input, _dtypes._default_float.np)
        elif exponent < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
    return _finish(PowScalar.apply(input, exponent), out)


def square(input) -> Tensor:
    """``x * x``."""
    return pow(input, 2)


def reciprocal(input) -> Tensor:
    """``1 / x`` (integers become the default float dtype)."""
    from ._common import float_operand  # noqa: PLC0415

    return Reciprocal.apply(float_operand(input), 1.0)


class Reciprocal(RDiv):
    backward_name = "ReciprocalBackward0"


def floor_divide(input, other) -> Tensor:
    """``floor(input / other)`` elementwise (torch has no gradient for it)."""
    return div(input, other, rounding_mode="floor")


def remainder(input, other) -> Tensor:
    """``input - floor(input / other) * other``: the remainder with the sign of ``other`` (Python's
    ``%``).
    """
    a, b, _ = promote(input, other)
    if not isinstance(a, Tensor):
        a = Tensor._wrap(np.asarray(a, dtype=b._data.dtype))
    return Remainder.apply(a, b)


def fmod(input, other) -> Tensor:
    """``input - trunc(input / other) * other``: the remainder with the sign of ``input`` (C's
    fmod).
    """
    a, b, _ = promote(input, other)
    return Fmod.apply(a, b)


def _finish(result: Tensor, out) -> Tensor:
    if out is not None:
        out.copy_(result)
        return out
    return result
