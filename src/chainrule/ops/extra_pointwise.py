"""Elementwise functions torch has at top level: ``gcd``/``lcm``, ``float_power``, ``copysign``,
``heaviside``, ``ldexp``, ``frexp``, ``nextafter``, ``bitwise_left_shift``/``right_shift``.

Integer-only ones (gcd, lcm, shifts) return constants; ``heaviside`` records a node whose
backward raises torch's error (its derivative is not implemented in torch either), so a loss
that depends on it never silently drops that path.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from .._fp import quiet_fp
from .. import _dtypes
from .._tensor import Tensor
from ..autograd.function import Op
from ._common import promote, to_tensor

__all__ = [
    "bitwise_left_shift",
    "bitwise_right_shift",
    "copysign",
    "float_power",
    "frexp",
    "gcd",
    "heaviside",
    "lcm",
    "ldexp",
    "nextafter",
]

frexp_result = namedtuple("frexp", ["mantissa", "exponent"])
frexp_result.__module__ = "torch.return_types"
frexp_result.__repr__ = lambda self: (  # type: ignore[method-assign]
    f"torch.return_types.frexp(\nmantissa={self.mantissa!r},\nexponent={self.exponent!r})")

_WORDS = {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16",
          "int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
          "bool": "Bool", "complex64": "ComplexFloat", "complex128": "ComplexDouble"}


def _word(a: np.ndarray) -> str:
    return _WORDS.get(a.dtype.name, a.dtype.name)


def _tensor_operand(value, fn: str, pos: int, name: str) -> Tensor:
    if not isinstance(value, Tensor):
        raise TypeError(f"{fn}(): argument '{name}' (position {pos}) must be Tensor, not "
                        f"{type(value).__name__}")
    return value


def _out_unsupported(out, name: str) -> None:
    if out is not None:
        raise NotImplementedError(f"{name}(out=...) is not supported by chainrule")


# -- integer functions --------------------------------------------------------------------------


def _integer_binary(input, other, np_fn, kernel: str, fn: str) -> Tensor:
    a = _tensor_operand(input, fn, 1, "input")
    b = _tensor_operand(other, fn, 2, "other")
    a, b, dt = promote(a, b)
    if dt.kind not in "iu":
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_WORDS.get(dt.name)}\'')
    return Tensor._wrap(np.asarray(np_fn(a._data, b._data)).astype(dt, copy=False))


def gcd(input: Tensor, other: Tensor, *, out=None) -> Tensor:
    """Greatest common divisor, elementwise (integers; ``gcd(0, 0) = 0``, never negative)."""
    _out_unsupported(out, "gcd")
    return _integer_binary(input, other, np.gcd, "gcd_cpu", "gcd")


def lcm(input: Tensor, other: Tensor, *, out=None) -> Tensor:
    """Least common multiple, elementwise (integers; non-negative, 0 if either is 0)."""
    _out_unsupported(out, "lcm")
    return _integer_binary(input, other, np.lcm, "lcm_cpu", "lcm")


def _shift(input, other, left: bool) -> Tensor:
    name = "lshift_cpu" if left else "rshift_cpu"
    a, b = to_tensor(input), to_tensor(other)
    if isinstance(input, (int, float)) and not isinstance(input, bool):
        a = Tensor._wrap(np.asarray(input, dtype=b._data.dtype))
    a, b, dt = promote(a, b)
    if dt.kind not in "iub":
        raise NotImplementedError(f'"{name}" not implemented for \'{_WORDS.get(dt.name)}\'')
    x, s = np.broadcast_arrays(a._data, b._data)
    bits = dt.itemsize * 8
    # torch: a shift by a negative count or by >= the bit width gives 0 (left) or the sign
    # fill (right); NumPy leaves those undefined
    out_of_range = (s < 0) | (s >= bits)
    s_safe = np.where(out_of_range, 0, s).astype(dt, copy=False)
    if left:
        y = np.where(out_of_range, 0, np.left_shift(x, s_safe))
    else:
        fill = np.where(x < 0, -1, 0) if dt.kind == "i" else np.zeros_like(x)
        y = np.where(out_of_range, fill, np.right_shift(x, s_safe))
    return Tensor._wrap(np.asarray(y).astype(dt, copy=False))


def bitwise_left_shift(input, other, *, out=None) -> Tensor:
    """``input << other`` (integers); shifting by the bit width or more gives 0."""
    _out_unsupported(out, "bitwise_left_shift")
    return _shift(input, other, True)


def bitwise_right_shift(input, other, *, out=None) -> Tensor:
    """``input >> other`` (arithmetic for signed integers)."""
    _out_unsupported(out, "bitwise_right_shift")
    return _shift(input, other, False)


# -- float_power, ldexp -------------------------------------------------------------------------


def float_power(input, exponent, *, out=None) -> Tensor:
    """``input ** exponent`` computed in double precision: the result is float64 (complex128
    for complex operands), whatever the input dtypes; gradients are pow's, in float64."""
    _out_unsupported(out, "float_power")
    complex_ = any(
        (isinstance(v, Tensor) and v._data.dtype.kind == "c") or isinstance(v, complex)
        for v in (input, exponent))
    dt = _dtypes.complex128 if complex_ else _dtypes.float64
    if not isinstance(input, Tensor) and not isinstance(exponent, Tensor):
        raise TypeError("float_power(): expected a Tensor argument")
    base = input.to(dt) if isinstance(input, Tensor) else input
    expo = exponent.to(dt) if isinstance(exponent, Tensor) else exponent
    from .arithmetic import pow as _pow

    if isinstance(expo, (int, float)) and not isinstance(expo, bool):
        expo = float(expo)
    if not isinstance(base, Tensor):
        base = complex(base) if complex_ else float(base)
    # 0 ** -1 is inf, as in torch, without NumPy's divide-by-zero warning
    with quiet_fp():
        return _pow(base, expo)


def ldexp(input: Tensor, other: Tensor, *, out=None) -> Tensor:
    """``input * 2 ** other``; integer inputs give the default float dtype."""
    _out_unsupported(out, "ldexp")
    x = _tensor_operand(input, "ldexp", 1, "input")
    e = _tensor_operand(other, "ldexp", 2, "other")
    if x._data.dtype.kind not in "fc":
        x = x.to(_dtypes.get_default_dtype())
    # exp2 of the exponent in the result dtype: powers of two are exact
    result_np = np.result_type(x._data.dtype, e._data.dtype) if e._data.dtype.kind in "fc" \
        else x._data.dtype
    scale = Tensor._wrap(np.exp2(e._data.astype(result_np)))
    return x * (scale if not e._rg else 2.0 ** e.to(result_np))


# -- copysign, heaviside, nextafter, frexp ------------------------------------------------------


class CopySign(Op):
    backward_name = "CopysignBackward0"
    formula = "y = |x| * sign(s);  dx = dy * y / x  (0 where x == 0);  ds = 0"

    @staticmethod
    def forward(ctx, x, s):
        y = np.copysign(x, s)
        ctx.save_for_backward(x, y)
        ctx.s_shape = s.shape
        return y

    @staticmethod
    def backward(ctx, dy):
        x, y = ctx.saved_tensors
        dx = None
        if ctx.needs_input_grad[0]:
            zero_x = Tensor._wrap(x._data == 0)
            ratio = (y / x.masked_fill(zero_x, 1.0)).masked_fill(zero_x, 0.0)
            dx = dy * ratio
        ds = None
        if ctx.needs_input_grad[1]:
            ds = Tensor._wrap(np.zeros(ctx.s_shape, dtype=dy._data.dtype))
        return dx, ds


def _float_pair(input, other) -> tuple[Tensor, Tensor]:
    """Both operands as tensors of torch's (floating) result dtype; ints become float."""
    a, b, dt = promote(to_tensor(input), other)
    if dt.kind not in "fc":
        dt = _dtypes.to_numpy_dtype(_dtypes.get_default_dtype())
    a = a if a._data.dtype == dt else a.to(dt)
    b = b.to(dt) if isinstance(b, Tensor) and b._data.dtype != dt else b
    if not isinstance(b, Tensor):
        b = Tensor._wrap(np.asarray(b, dtype=dt))
    return a, b


def copysign(input: Tensor, other, *, out=None) -> Tensor:
    """``|input|`` with the sign of ``other`` (including the sign of zero and NaN).

    The result is floating (integers promote to the default float dtype). ``d/dinput`` is
    ``sign(input) * sign(result)`` (0 where ``input == 0``); ``d/dother`` is 0, as in torch.
    """
    _out_unsupported(out, "copysign")
    a, b = _float_pair(input, other)
    return CopySign.apply(a, b)


class NoDerivative(Op):
    """Runs a NumPy function; its backward raises torch's 'derivative not implemented'."""

    backward_name = "torch::autograd::NotImplemented"  # torch's node for ops without a derivative
    formula = "no derivative (torch raises too)"

    @staticmethod
    def forward(ctx, fn, name, *arrays):
        ctx.op_name = name
        return fn(*arrays)

    @staticmethod
    def backward(ctx, *grads):
        raise RuntimeError(f"derivative for aten::{ctx.op_name} is not implemented")


def heaviside(input: Tensor, values: Tensor, *, out=None) -> Tensor:
    """The step function: 0 for ``input < 0``, ``values`` where ``input == 0``, 1 above.

    ``input`` and ``values`` must have the same dtype (torch's rule). Not differentiable:
    backward through it raises, as in torch.
    """
    _out_unsupported(out, "heaviside")
    x = _tensor_operand(input, "heaviside", 1, "input")
    v = _tensor_operand(values, "heaviside", 2, "values")
    if x._data.dtype != v._data.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    if x._data.dtype.kind == "c":
        raise RuntimeError("heaviside is not yet implemented for complex tensors.")

    def step(a, b):
        return np.asarray(np.heaviside(a, b)).astype(a.dtype, copy=False) \
            if a.dtype.kind == "f" else np.where(a == 0, b, a > 0).astype(a.dtype)

    return NoDerivative.apply(step, "heaviside", x, v)


class NextAfter(Op):
    backward_name = "NextafterBackward0"
    formula = "y = the next float after x toward other;  dx = dy;  dother = 0"

    @staticmethod
    def forward(ctx, x, other):
        ctx.other_shape = other.shape
        return np.nextafter(x, other)

    @staticmethod
    def backward(ctx, dy):
        dother = None
        if ctx.needs_input_grad[1]:
            dother = Tensor._wrap(np.zeros(ctx.other_shape, dtype=dy._data.dtype))
        return dy, dother


def nextafter(input: Tensor, other: Tensor, *, out=None) -> Tensor:
    """The next representable float after ``input`` toward ``other`` (same float dtypes)."""
    _out_unsupported(out, "nextafter")
    x = _tensor_operand(input, "nextafter", 1, "input")
    o = _tensor_operand(other, "nextafter", 2, "other")
    x, o, dt = promote(x, o)
    if dt.kind != "f":
        raise NotImplementedError(f'"nextafter_cpu" not implemented for \'{_WORDS.get(dt.name)}\'')
    return NextAfter.apply(x, o)


class Frexp(Op):
    formula = "x = m * 2^e, 0.5 <= |m| < 1;  dx = dy / 2^e"

    @staticmethod
    def forward(ctx, x, mantissa, scale):
        ctx.scale = scale
        return mantissa

    @staticmethod
    def backward(ctx, dy):
        return dy * Tensor._wrap(ctx.scale), None, None


def frexp(input: Tensor, *, out=None):
    """(mantissa, exponent) with ``input = mantissa * 2 ** exponent``, ``0.5 <= |mantissa| < 1``
    (0 gives (0, 0)); the exponent is int32. The mantissa carries the gradient ``1 / 2**e``.
    """
    _out_unsupported(out, "frexp")
    x = to_tensor(input)
    if x._data.dtype.kind != "f":
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    m, e = np.frexp(x._data)
    with quiet_fp():  # subnormal inputs: 2 ** -e overflows to inf, truly
        scale = np.ldexp(np.ones((), x._data.dtype), -e).astype(x._data.dtype, copy=False)
    mantissa = Frexp.apply(x, np.asarray(m), scale)
    return frexp_result(mantissa, Tensor._wrap(np.asarray(e).astype(np.int32, copy=False)))
