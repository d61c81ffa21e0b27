"""Dtype and device casts, clone: differentiable copies."""

from __future__ import annotations

from .._backend import device_of, to_device_array
from ..autograd.function import Op

__all__ = ["to_dtype", "to_device", "clone"]


class ToDtype(Op):
    backward_name = "ToCopyBackward0"
    formula = "y = cast(x);  dx = cast_back(dy)   (the engine casts to x's dtype)"

    @staticmethod
    def forward(ctx, x, np_dtype):
        return x.astype(np_dtype)

    @staticmethod
    def backward(ctx, dy):
        return dy, None


class ToDevice(Op):
    backward_name = "ToCopyBackward0"
    formula = "y = x on another device;  dx = dy moved back"

    @staticmethod
    def forward(ctx, x, dev):
        ctx.src = device_of(x)
        return to_device_array(x, dev)

    @staticmethod
    def backward(ctx, dy):
        return ToDevice.apply(dy, ctx.src), None


class Clone(Op):
    formula = "y = copy(x);  dx = dy"

    @staticmethod
    def forward(ctx, x):
        return x.copy()

    @staticmethod
    def backward(ctx, dy):
        return dy


def to_dtype(input, np_dtype):
    """A differentiable cast to ``np_dtype`` (behind ``Tensor.to(dtype)``)."""
    return ToDtype.apply(input, np_dtype)


def to_device(input, dev):
    """A differentiable move to ``dev`` (behind ``Tensor.to(device)``)."""
    return ToDevice.apply(input, dev)


def clone(input, *, memory_format=None):
    """A copy that stays in the graph (gradient flows back unchanged)."""
    return Clone.apply(input)
