"""softmax, log_softmax and logsumexp: the stable exponential normalizations.

Each subtracts the maximum before exponentiating (so large logits never overflow) and is one
op with its own backward, rather than a composition, for stability and speed.
"""

from __future__ import annotations

import numpy as np

from .._fp import quiet_fp
from .._tensor import Tensor
from ..autograd.function import Op
from ._common import float_operand, norm_dim
from .reduction import _dims_arg, _dtype_word, _kept_shape

__all__ = ["softmax", "log_softmax", "logsumexp"]


class Softmax(Op):
    formula = "y = exp(x - max) / sum(exp(x - max));  dx = y * (dy - sum(dy * y))"

    @staticmethod
    def forward(ctx, x, dim):
        if x.ndim == 0:  # softmax over a single element
            e = np.ones_like(x)
            ctx.dim = dim
            ctx.save_for_backward(e)
            return e
        with quiet_fp():  # rows of -inf give NaN, as torch, silently
            e = np.exp(x - x.max(axis=dim, keepdims=True))
            e /= e.sum(axis=dim, keepdims=True)
        ctx.dim = dim
        ctx.save_for_backward(e)
        return e

    @staticmethod
    def backward(ctx, dy):
        (y,) = ctx.saved_tensors
        return y * (dy - (dy * y).sum(ctx.dim, keepdim=True)), None

    @staticmethod
    def backward_arrays(ctx, dy):
        (y,) = ctx.saved_arrays
        return y * (dy - (dy * y).sum(ctx.dim, keepdims=True)), None


class LogSoftmax(Op):
    formula = "y = x - max - log(sum(exp(x - max)));  dx = dy - exp(y) * sum(dy)"

    @staticmethod
    def forward(ctx, x, dim):
        with quiet_fp():
            shifted = x - (x.max(axis=dim, keepdims=True) if x.ndim else x)
            y = shifted - np.log(np.exp(shifted).sum(axis=dim, keepdims=True))
        ctx.dim = dim
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, dy):
        (y,) = ctx.saved_tensors
        return dy - y.exp() * dy.sum(ctx.dim, keepdim=True), None

    @staticmethod
    def backward_arrays(ctx, dy):
        (y,) = ctx.saved_arrays
        return dy - np.exp(y) * dy.sum(ctx.dim, keepdims=True), None


class LogSumExp(Op):
    backward_name = "LogsumexpBackward0"
    formula = "y = log(sum exp(x)) = m + log(sum exp(x - m)), m = max x;  dx = dy * exp(x - y)"

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        m = x.max(axis=dims, keepdims=True) if x.size else np.zeros(
            _kept_shape(x.shape, dims), x.dtype)
        m = np.where(np.isfinite(m), m, 0).astype(x.dtype, copy=False)
        with quiet_fp():
            y = np.log(np.exp(x - m).sum(axis=dims, keepdims=True)) + m
        ctx.shape, ctx.dims = x.shape, dims
        out = y if keepdim else y.reshape([s for i, s in enumerate(y.shape) if i not in dims])
        out = np.asarray(out)
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, dy):
        x, y = ctx.saved_tensors
        kept = _kept_shape(ctx.shape, ctx.dims)
        return dy.reshape(kept) * (x - y.reshape(kept)).exp(), None, None


def logsumexp(input: Tensor, dim, keepdim: bool = False) -> Tensor:
    """``log(sum(exp(x)))`` over ``dim``, computed stably as ``m + log(sum(exp(x - m)))``."""
    x = float_operand(input)
    return LogSumExp.apply(x, _dims_arg(x, dim), keepdim)


def _softmax_dim(input: Tensor, dim, name: str) -> int:
    if dim is None:
        import warnings  # noqa: PLC0415

        warnings.warn(
            f"Implicit dimension choice for {name} has been deprecated. Change the call to "
            "include dim=X as an argument.",
            UserWarning,
            stacklevel=3,
        )
        dim = 0 if input.ndim in (0, 1, 3) else 1
    return norm_dim(dim, input.ndim)


def _softmax_input(input: Tensor, dtype, name: str) -> Tensor:
    x = input if dtype is None else input.to(dtype)
    if x._data.dtype.kind not in "fc":
        raise NotImplementedError(f'"{name}_kernel_impl" not implemented for \'{_dtype_word(x)}\'')
    return x


def softmax(input: Tensor, dim=None, dtype=None, *, _stacklevel=3) -> Tensor:
    """``exp(x_i) / sum_j exp(x_j)`` along ``dim``, computed stably (max subtracted)."""
    x = _softmax_input(input, dtype, "softmax")
    return Softmax.apply(x, _softmax_dim(x, dim, "softmax"))


def log_softmax(input: Tensor, dim=None, dtype=None, *, _stacklevel=3) -> Tensor:
    """``x_i - log(sum_j exp(x_j))`` along ``dim``, stable for large logits."""
    x = _softmax_input(input, dtype, "log_softmax")
    return LogSoftmax.apply(x, _softmax_dim(x, dim, "log_softmax"))
