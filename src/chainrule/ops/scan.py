"""Running sums and products along a dim (cumsum, cumprod)."""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Op
from ._common import norm_dim

__all__ = ["cumsum", "cumprod"]


class Cumsum(Op):
    formula = "y_i = sum_{j<=i} x_j;  dx_j = sum_{i>=j} dy_i"

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        if x.ndim == 0:
            return x.copy()
        return np.cumsum(x, axis=dim)

    @staticmethod
    def backward(ctx, dy):
        d = ctx.dim
        if dy.ndim == 0:
            return dy, None
        return dy.flip(d).cumsum(d).flip(d), None


class Cumprod(Op):
    formula = "y_i = prod_{j<=i} x_j;  dx_j = sum_{i>=j} dy_i * y_i / x_j   (x without zeros)"

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        y = x.copy() if x.ndim == 0 else np.cumprod(x, axis=dim)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, dy):
        x, y = ctx.saved_tensors
        d = ctx.dim
        if dy.ndim == 0:
            return dy, None
        if (x._data == 0).any():
            return _cumprod_backward_with_zeros(x, dy, d), None
        return (dy * y).flip(d).cumsum(d).flip(d) / x, None


def _cumprod_backward_with_zeros(x: Tensor, dy: Tensor, d: int) -> Tensor:
    """``dx_j = sum_{i>=j} dy_i * prod_{k<=i, k!=j} x_k`` without dividing by x.

    Row j of an (n, n) matrix is x with x_j replaced by 1; its cumprod at i is the product
    above. O(n^2), used only when x has zeros.
    """
    from .pointwise import where  # noqa: PLC0415

    n = x.shape[d]
    xm, gm = x.movedim(d, -1), dy.movedim(d, -1)
    rows = xm.unsqueeze(-2).expand(*xm.shape[:-1], n, n)
    eye = Tensor._wrap(np.eye(n, dtype=bool))
    one = Tensor._wrap(np.ones((), dtype=x._data.dtype))
    partial = where(eye, one, rows).cumprod(-1)  # [..., j, i] = prod_{k<=i, k!=j} x_k
    upper = Tensor._wrap(np.triu(np.ones((n, n), dtype=x._data.dtype)))  # i >= j
    return (partial * gm.unsqueeze(-2) * upper).sum(-1).movedim(-1, d)


def cumsum(input: Tensor, dim: int, *, dtype=None) -> Tensor:
    """Running sum along ``dim`` (integers accumulate in int64)."""
    x = input if dtype is None else input.to(dtype)
    d = norm_dim(dim, x.ndim)
    if x._data.dtype.kind not in "fc":  # integers and bools accumulate in int64, as torch
        data = x._data.astype(np.int64)
        return Tensor._wrap(data if data.ndim == 0 else np.cumsum(data, axis=d))
    return Cumsum.apply(x, d)


def cumprod(input: Tensor, dim: int, *, dtype=None) -> Tensor:
    """Running product along ``dim``; the gradient is exact at zeros too."""
    x = input if dtype is None else input.to(dtype)
    d = norm_dim(dim, x.ndim)
    if x._data.dtype.kind not in "fc":
        data = x._data.astype(np.int64)
        return Tensor._wrap(data if data.ndim == 0 else np.cumprod(data, axis=d))
    return Cumprod.apply(x, d)
