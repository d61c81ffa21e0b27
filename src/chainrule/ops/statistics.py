"""Spread and size: var/std (with ``correction``), var_mean/std_mean, and vector norms."""

from __future__ import annotations

import builtins as _builtins

import numpy as np

from .._fp import quiet_fp
from .._tensor import Tensor
from ..autograd.function import Op
from .reduction import _dims_arg, _dtype_word, _kept_shape, mean

__all__ = ["var", "std", "var_mean", "std_mean", "norm"]


class Norm2(Op):
    backward_name = "LinalgVectorNormBackward0"
    formula = "y = sqrt(sum x^2);  dx = dy * x / y   (0 where y = 0)"

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        y = np.sqrt((x * x).sum(axis=dims, keepdims=keepdim))
        y = np.asarray(y)
        ctx.shape, ctx.dims = x.shape, dims
        ctx.save_for_backward(x, y)  # the output itself: second derivatives flow through it
        return y

    @staticmethod
    def backward(ctx, dy):
        x, y = ctx.saved_tensors
        kept = _kept_shape(ctx.shape, ctx.dims)
        y = y.reshape(kept)
        zero = y == 0
        scale = (dy.reshape(kept) / y.masked_fill(zero, 1.0)).masked_fill(zero, 0.0)
        return x * scale, None, None


def _correction(unbiased, correction) -> float:
    if correction is not None:
        return float(correction)
    if unbiased is None:
        return 1.0
    return 1.0 if unbiased else 0.0


class Var(Op):
    formula = "y = sum((x - mean)^2) / (N - c);  dx = dy * 2 (x - mean) / (N - c)"

    @staticmethod
    def forward(ctx, x, dims, correction, keepdim):
        n = 1
        for d in dims:
            n *= x.shape[d]
        ctx.shape, ctx.dims, ctx.denom = x.shape, dims, n - correction
        ctx.save_for_backward(x)
        with quiet_fp():
            # NumPy warns about ddof >= N; torch returns inf/nan (its warning is optional)
            mu = x.mean(axis=dims, keepdims=True) if x.size else np.zeros(
                _kept_shape(x.shape, dims), x.dtype)
            centered = x - mu
            y = (centered * centered).sum(axis=dims, keepdims=keepdim)
            y = np.asarray(y / y.dtype.type(_builtins.max(n - correction, 0)))
        return y

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        kept = _kept_shape(ctx.shape, ctx.dims)
        centered = x - x.mean(ctx.dims, keepdim=True)
        return dy.reshape(kept) * centered * (2.0 / ctx.denom if ctx.denom > 0 else float(
            "inf")), None, None, None


def _floating_only(x: Tensor, name: str) -> None:
    if x._data.dtype.kind not in "fc":
        raise RuntimeError(f"{name} only support floating point and complex dtypes")


def var(input: Tensor, dim=None, unbiased=None, keepdim: bool = False, *,
        correction=None) -> Tensor:
    """Variance ``sum((x - mean)^2) / (N - correction)``; correction=1 (Bessel) by default.

    ``unbiased=False`` is ``correction=0``. Over ``dim`` (int or tuple) or all elements.
    """
    if isinstance(dim, bool):
        unbiased, dim = dim, None
    _floating_only(input, "std and var")
    return Var.apply(input, _dims_arg(input, dim), _correction(unbiased, correction), keepdim)


def std(input: Tensor, dim=None, unbiased=None, keepdim: bool = False, *,
        correction=None) -> Tensor:
    """Standard deviation: ``sqrt(var)``."""
    return var(input, dim, unbiased, keepdim, correction=correction).sqrt()


def var_mean(input: Tensor, dim=None, unbiased=None, keepdim: bool = False, *, correction=None):
    """``(var, mean)`` over the same dims."""
    if isinstance(dim, bool):
        unbiased, dim = dim, None
    _floating_only(input, "var_mean")
    return (var(input, dim, unbiased, keepdim, correction=correction),
            mean(input, _dims_arg(input, dim), keepdim))


def std_mean(input: Tensor, dim=None, unbiased=None, keepdim: bool = False, *, correction=None):
    """``(std, mean)`` over the same dims."""
    if isinstance(dim, bool):
        unbiased, dim = dim, None
    _floating_only(input, "std_mean")
    return (std(input, dim, unbiased, keepdim, correction=correction),
            mean(input, _dims_arg(input, dim), keepdim))


def norm(input: Tensor, p="fro", dim=None, keepdim: bool = False, dtype=None) -> Tensor:
    """Vector p-norm over ``dim`` (all elements by default); 'fro' is the 2-norm."""
    x = input if dtype is None else input.to(dtype)
    if x._data.dtype.kind not in "fc":
        raise RuntimeError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
            f"{_dtype_word(x)}"
        )
    dims = _dims_arg(x, dim)
    if p in ("fro", 2, 2.0, None):
        return Norm2.apply(x, dims, keepdim)
    if p == "nuc":
        raise NotImplementedError("norm(p='nuc') is not supported by chainrule")
    if p in (float("inf"), "inf"):
        return x.abs().amax(dims, keepdim=keepdim)
    if p == float("-inf"):
        return x.abs().amin(dims, keepdim=keepdim)
    if p == 0:
        return (x != 0).to(x.dtype).sum(dims, keepdim=keepdim)
    if p == 1:
        return x.abs().sum(dims, keepdim=keepdim)
    return (x.abs() ** p).sum(dims, keepdim=keepdim) ** (1.0 / p)
