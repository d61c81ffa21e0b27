"""Pointwise selection and comparison: clamp, maximum/minimum, where, masked_fill, comparisons.

Comparisons and logical ops return bool tensors and never carry gradients.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Op
from ._common import promote, to_tensor

__all__ = [
    "clamp", "clip", "clamp_min", "clamp_max", "maximum", "minimum", "fmax", "fmin", "where",
    "masked_fill", "eq", "ne", "lt", "le", "gt", "ge", "greater", "less", "greater_equal",
    "less_equal", "not_equal", "equal", "isnan", "isinf", "isfinite", "isclose", "allclose",
    "logical_and", "logical_or", "logical_not", "logical_xor", "bitwise_and", "bitwise_or",
    "bitwise_xor", "bitwise_not", "lerp", "addcmul", "addcdiv", "isin", "isposinf",
    "isneginf", "isreal",
]


class Clamp(Op):
    backward_name = "ClampBackward1"  # torch's name for number bounds (tensor bounds: ...0)
    formula = "y = min(max(x, lo), hi);  dx = dy * [lo <= x <= hi]"

    @staticmethod
    def forward(ctx, x, lo, hi):
        ctx.save_for_backward(x)
        ctx.lo, ctx.hi = lo, hi
        y = x
        if lo is not None:
            y = np.maximum(y, lo)
        if hi is not None:
            y = np.minimum(y, hi)
        if y is x:
            y = x.copy()
        return y.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_arrays
        mask = np.ones(x.shape, dtype=bool)
        lo, hi = ctx.lo, ctx.hi
        if lo is not None:
            mask &= x >= (lo._data if isinstance(lo, Tensor) else lo)
        if hi is not None:
            mask &= x <= (hi._data if isinstance(hi, Tensor) else hi)
        return dy * Tensor._wrap(mask.astype(x.dtype)), None, None


class ClampTensor(Op):
    backward_name = "ClampBackward0"
    formula = ("y = min(max(x, lo), hi);  dx = dy * [lo <= x <= hi];  "
               "dlo = dy * [x < lo and lo < hi];  dhi = dy * [x > hi or hi < lo]   (torch's rule)")

    @staticmethod
    def forward(ctx, x, lo, hi):
        ctx.save_for_backward(x, lo, hi)
        y = x
        if lo is not None:
            y = np.maximum(y, lo)
        if hi is not None:
            y = np.minimum(y, hi)
        return y

    @staticmethod
    def backward(ctx, dy):
        x, lo, hi = ctx.saved_arrays
        needs = ctx.needs_input_grad
        dt = dy._data.dtype
        inside = True
        if lo is not None:
            inside = x >= lo
        if hi is not None:
            inside = inside & (x <= hi)
        dx = dy * Tensor._wrap(np.asarray(inside, dtype=dt)) if needs[0] else None
        dlo = dhi = None
        if lo is not None and needs[1]:
            mask = (x < lo) & (lo < hi) if hi is not None else x < lo
            dlo = dy * Tensor._wrap(mask.astype(dt))
        if hi is not None and needs[2]:
            mask = (x > hi) | (hi < lo) if lo is not None else x > hi
            dhi = dy * Tensor._wrap(mask.astype(dt))
        return dx, dlo, dhi


class Maximum(Op):
    formula = "z = max(x, y);  dx = dz * [x > y] + dz/2 * [x == y];  dy likewise"

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return np.maximum(x, y)

    @staticmethod
    def backward(ctx, dz):
        x, y = ctx.saved_arrays
        return _split_ties(dz, x > y, x == y)


class Minimum(Op):
    formula = "z = min(x, y);  dx = dz * [x < y] + dz/2 * [x == y];  dy likewise"

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return np.minimum(x, y)

    @staticmethod
    def backward(ctx, dz):
        x, y = ctx.saved_arrays
        return _split_ties(dz, x < y, x == y)


def _split_ties(dz: Tensor, wins, ties):
    # torch splits the gradient evenly between tied operands
    dt = dz._data.dtype
    wx = wins.astype(dt) + ties.astype(dt) * 0.5
    wy = (~wins & ~ties).astype(dt) + ties.astype(dt) * 0.5
    return dz * Tensor._wrap(wx), dz * Tensor._wrap(wy)


class FMax(Op):
    formula = "z = fmax(x, y) (NaN loses);  dx = dz * [x >= y or y is NaN];  dy = dz * rest"

    @staticmethod
    def forward(ctx, x, y, is_max):
        ctx.save_for_backward(x, y)
        ctx.is_max = is_max
        return np.fmax(x, y) if is_max else np.fmin(x, y)

    @staticmethod
    def backward(ctx, dz):
        x, y = ctx.saved_arrays
        dt = dz._data.dtype
        wins = ((x >= y) if ctx.is_max else (x <= y)) | np.isnan(y)
        return dz * Tensor._wrap(wins.astype(dt)), dz * Tensor._wrap((~wins).astype(dt)), None


class Where(Op):
    formula = "z = cond ? x : y;  dx = dz * cond;  dy = dz * !cond"

    @staticmethod
    def forward(ctx, cond, x, y):
        ctx.save_for_backward(cond)
        return np.where(cond, x, y)

    @staticmethod
    def backward(ctx, dz):
        (cond,) = ctx.saved_arrays
        zero = Tensor._wrap(np.zeros((), dtype=dz._data.dtype))
        c = Tensor._wrap(cond)
        return None, where(c, dz, zero), where(c, zero, dz)


class MaskedFill(Op):
    formula = "y = mask ? v : x;  dx = dy * !mask"

    @staticmethod
    def forward(ctx, x, mask, value):
        ctx.save_for_backward(mask)
        out = x.copy() if mask.shape == x.shape or np.broadcast(x, mask).shape == x.shape \
            else np.broadcast_to(x, np.broadcast(x, mask).shape).copy()
        np.copyto(out, np.asarray(value, dtype=x.dtype), where=np.broadcast_to(mask, out.shape))
        return out

    @staticmethod
    def backward(ctx, dy):
        (mask,) = ctx.saved_arrays
        zero = Tensor._wrap(np.zeros((), dtype=dy._data.dtype))
        return where(Tensor._wrap(mask), zero, dy), None, None


class MaskedFillTensor(Op):
    backward_name = "MaskedFillBackward1"
    formula = "y = mask ? v : x;  dx = dy * !mask;  dv = sum(dy * mask)"

    @staticmethod
    def forward(ctx, x, mask, value):
        ctx.save_for_backward(mask)
        return np.where(mask, value.astype(x.dtype), x)

    @staticmethod
    def backward(ctx, dy):
        (mask,) = ctx.saved_arrays
        zero = Tensor._wrap(np.zeros((), dtype=dy._data.dtype))
        m = Tensor._wrap(mask)
        dv = where(m, dy, zero).sum() if ctx.needs_input_grad[2] else None
        return where(m, zero, dy), None, dv


def _bound(v, x: Tensor):
    if v is None:
        return None
    if isinstance(v, Tensor):
        return v
    return v


def clamp(input: Tensor, min=None, max=None, *, out=None) -> Tensor:  # noqa: A002
    """Clamps into ``[min, max]``; the gradient passes where ``min <= x <= max``.

    Tensor bounds broadcast and get gradients too (torch's rule: ``min`` where ``x < min``,
    ``max`` where ``x > max``).
    """
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        dt = input._data.dtype
        lo = None if min is None else _bound_tensor(min, dt)
        hi = None if max is None else _bound_tensor(max, dt)
        x = input
        if dt.kind not in "fc":
            lo_d = None if lo is None else lo._data
            hi_d = None if hi is None else hi._data
            return _out(Tensor._wrap(ClampTensor.forward(_NoCtx, x._data, lo_d, hi_d)), out)
        try:
            return _out(ClampTensor.apply(x, lo, hi), out)
        except ValueError:
            from .arithmetic import broadcast_error  # noqa: PLC0415

            raise broadcast_error(x._data, (lo or hi)._data) from None
    x = input
    if x._data.dtype.kind in "iub" and (isinstance(min, float) or isinstance(max, float)):
        x = x.float()
    if x._data.dtype.kind not in "fc":
        y = x._data
        if min is not None:
            y = np.maximum(y, min)
        if max is not None:
            y = np.minimum(y, max)
        return _out(Tensor._wrap(y.astype(x._data.dtype)), out)
    return _out(Clamp.apply(x, min, max), out)


class _NoCtx:
    @staticmethod
    def save_for_backward(*values) -> None:
        pass


def _bound_tensor(v, np_dtype) -> Tensor:
    t = to_tensor(v)
    if t._data.dtype != np_dtype:
        from ._common import cast  # noqa: PLC0415

        t = cast(t, np_dtype)
    return t


clip = clamp


def clamp_min(input: Tensor, min) -> Tensor:  # noqa: A002
    """``max(x, min)``: ``clamp`` with a lower bound only."""
    return clamp(input, min=min)


def clamp_max(input: Tensor, max) -> Tensor:  # noqa: A002
    """``min(x, max)``: ``clamp`` with an upper bound only."""
    return clamp(input, max=max)


def maximum(input: Tensor, other: Tensor) -> Tensor:
    """Elementwise maximum with broadcasting; tied operands share the gradient evenly (torch's
    rule).
    """
    a, b, _ = promote(input, to_tensor(other))
    if a._data.dtype.kind not in "fc":
        return Tensor._wrap(np.maximum(a._data, b._data))
    return Maximum.apply(a, b)


def minimum(input: Tensor, other: Tensor) -> Tensor:
    """Elementwise minimum with broadcasting; tied operands share the gradient evenly (torch's
    rule).
    """
    a, b, _ = promote(input, to_tensor(other))
    if a._data.dtype.kind not in "fc":
        return Tensor._wrap(np.minimum(a._data, b._data))
    return Minimum.apply(a, b)


def fmax(input: Tensor, other: Tensor) -> Tensor:
    """Elementwise maximum that ignores NaN (a NaN loses to a number)."""
    a, b, _ = promote(input, to_tensor(other))
    if a._data.dtype.kind not in "fc":
        return Tensor._wrap(np.fmax(a._data, b._data))
    return FMax.apply(a, b, True)


def fmin(input: Tensor, other: Tensor) -> Tensor:
    """Elementwise minimum that ignores NaN."""
    a, b, _ = promote(input, to_tensor(other))
    if a._data.dtype.kind not in "fc":
        return Tensor._wrap(np.fmin(a._data, b._data))
    return FMax.apply(a, b, False)


def where(condition: Tensor, input=None, other=None) -> Tensor:
    """``input`` where ``condition`` else ``other`` (one-argument form: ``nonzero`` tuple)."""
    if input is None and other is None:
        return tuple(Tensor._wrap(i) for i in np.nonzero(condition._data))
    cond = to_tensor(condition)
    if cond._data.dtype != np.bool_:
        raise RuntimeError(
            f"where expected condition to be a boolean tensor, but got a tensor with dtype "
            f"{cond.dtype}"
        )
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        a, b = to_tensor(input), to_tensor(other)
    else:
        a, b = input, other
    a, b, dt = promote(a, b)
    a = a if isinstance(a, Tensor) else Tensor._wrap(np.asarray(a, dtype=dt))
    b = b if isinstance(b, Tensor) else Tensor._wrap(np.asarray(b, dtype=dt))
    return Where.apply(cond, a, b)


def masked_fill(input: Tensor, mask: Tensor, value) -> Tensor:
    """Fills ``value`` where ``mask`` (bool, broadcastable to ``input``) is True."""
    if mask._data.dtype != np.bool_:
        raise RuntimeError(
            f"masked_fill_ only supports boolean masks, but got mask with dtype {mask.dtype}"
        )
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(
                "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                f"{value.ndim} dimension(s)."
            )
        return MaskedFillTensor.apply(input, mask, value)
    if input._data.dtype.kind in "iub" and isinstance(value, float):
        if not np.isfinite(value):
            raise RuntimeError(
                f"value cannot be converted to type {input._data.dtype.name}_t without overflow")
        value = int(value)
    return MaskedFill.apply(input, mask, value)


def _cmp(np_fn, name):
    def fn(input, other, *, out=None) -> Tensor:
        a, b, _ = promote(input, other)
        xa = a._data if isinstance(a, Tensor) else a
        xb = b._data if isinstance(b, Tensor) else b
        try:
            return _out(Tensor._wrap(np.asarray(np_fn(xa, xb))), out)
        except ValueError:
            from .arithmetic import broadcast_error  # noqa: PLC0415

            raise broadcast_error(xa, xb) from None

    fn.__name__ = name
    fn.__doc__ = (f"Elementwise ``{name}`` with broadcasting and type promotion: a bool tensor "
                  "(no gradient).")
    return fn


eq = _cmp(np.equal, "eq")
ne = not_equal = _cmp(np.not_equal, "ne")
lt = less = _cmp(np.less, "lt")
le = less_equal = _cmp(np.less_equal, "le")
gt = greater = _cmp(np.greater, "gt")
ge = greater_equal = _cmp(np.greater_equal, "ge")
logical_and = _cmp(np.logical_and, "logical_and")
logical_or = _cmp(np.logical_or, "logical_or")
logical_xor = _cmp(np.logical_xor, "logical_xor")


def _bitwise(np_fn, name):
    def fn(input, other) -> Tensor:
        a, b, _ = promote(input, other)
        xa = a._data if isinstance(a, Tensor) else a
        xb = b._data if isinstance(b, Tensor) else b
        if np.result_type(xa, xb).kind == "f":
            raise RuntimeError(f'"{name}_cpu" not implemented for \'Float\'')
        return Tensor._wrap(np.asarray(np_fn(xa, xb)))

    fn.__name__ = name
    fn.__doc__ = f"Elementwise ``{name}`` of integer or bool tensors (floats are refused)."
    return fn


bitwise_and = _bitwise(np.bitwise_and, "bitwise_and")
bitwise_or = _bitwise(np.bitwise_or, "bitwise_or")
bitwise_xor = _bitwise(np.bitwise_xor, "bitwise_xor")


def bitwise_not(input: Tensor) -> Tensor:
    """``~x`` for integer and bool tensors."""
    if input._data.dtype.kind == "f":
        raise RuntimeError("\"bitwise_not_cpu\" not implemented for 'Float'")
    return Tensor._wrap(np.invert(input._data))


def logical_not(input: Tensor) -> Tensor:
    """Elementwise ``not x``: a bool tensor."""
    return Tensor._wrap(np.logical_not(input._data))


def equal(input: Tensor, other: Tensor) -> bool:
    """True when both tensors have the same shape and elements (a Python bool)."""
    return input.shape == other.shape and bool(np.array_equal(input._data, other._data))


def isnan(input: Tensor) -> Tensor:
    """Elementwise ``x != x``: a bool tensor."""
    return Tensor._wrap(np.isnan(input._data))


def isinf(input: Tensor) -> Tensor:
    """Elementwise ``|x| == inf``: a bool tensor."""
    return Tensor._wrap(np.isinf(input._data))


def isposinf(input: Tensor) -> Tensor:
    """Elementwise ``x == +inf``."""
    return Tensor._wrap(np.isposinf(input._data))


def isneginf(input: Tensor) -> Tensor:
    """Elementwise ``x == -inf``."""
    return Tensor._wrap(np.isneginf(input._data))


def isfinite(input: Tensor) -> Tensor:
    """Elementwise: neither inf nor NaN."""
    return Tensor._wrap(np.isfinite(input._data))


def isreal(input: Tensor) -> Tensor:
    """Elementwise: imaginary part zero (True for real tensors)."""
    return Tensor._wrap(np.isreal(input._data))


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> Tensor:
    """Elementwise ``|a - b| <= atol + rtol * |b|`` (NaNs equal with ``equal_nan``)."""
    return Tensor._wrap(np.isclose(input._data, to_tensor(other)._data, rtol, atol, equal_nan))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    """True when ``isclose`` holds everywhere (a Python bool)."""
    return bool(np.allclose(input._data, to_tensor(other)._data, rtol, atol, equal_nan))


def isin(elements, test_elements, *, invert: bool = False) -> Tensor:
    """Elementwise: is the element among ``test_elements``."""
    e = to_tensor(elements)._data
    t = to_tensor(test_elements)._data
    return Tensor._wrap(np.isin(e, t, invert=invert))


def lerp(input: Tensor, end: Tensor, weight) -> Tensor:
    """``input + weight * (end - input)`` (floating tensors only, as torch)."""
    if input._data.dtype.kind not in "fc":
        kind = "tensor" if isinstance(weight, Tensor) else "scalar"
        raise NotImplementedError(
            f'"lerp_kernel_{kind}" not implemented for \'{_word(input)}\'')
    return input + weight * (end - input)


def _scalar_for(value, *tensors):
    """torch casts a Python scalar multiplier to an integral result dtype (truncating)."""
    if isinstance(value, float) and all(
        isinstance(t, Tensor) and t._data.dtype.kind in "iub" for t in tensors
    ):
        return int(value)
    return value


def addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value=1) -> Tensor:
    """``input + value * tensor1 * tensor2``."""
    value = _scalar_for(value, input, tensor1, tensor2)
    prod = tensor1 * tensor2
    return input + (prod if value == 1 else value * prod)


def addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value=1) -> Tensor:
    """``input + value * tensor1 / tensor2`` (true division; integer tensor1 and tensor2 are
    refused, as torch does)."""
    if tensor1._data.dtype.kind in "iub" and tensor2._data.dtype.kind in "iub":
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future  release "
            "addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv "
            "behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2))."
            "to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for "
            "float inputs. The future addcdiv behavior is just the latter implementation: "
            "(input + value * tensor1 / tensor2), for all dtypes."
        )
    quot = tensor1 / tensor2
    return input + (quot if value == 1 else value * quot)


def _word(t: Tensor) -> str:
    return {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "bool": "Bool", "float32": "Float", "float64": "Double", "float16": "Half"}.get(
        t._data.dtype.name, t._data.dtype.name)


def _out(result: Tensor, out) -> Tensor:
    if out is not None:
        out.copy_(result)
        return out
    return result
