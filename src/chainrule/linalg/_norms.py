"""Vector and matrix norms, composed from chainrule ops (so they differentiate)."""

from __future__ import annotations

import math

from .._tensor import Tensor
from ..ops._common import norm_dims, to_tensor

__all__ = ["matrix_norm", "norm", "vector_norm"]

_INF = math.inf


def vector_norm(x: Tensor, ord=2, dim=None, keepdim: bool = False, *, dtype=None,
                out=None) -> Tensor:
    """(sum |x|^ord)^(1/ord) over ``dim`` (all elements when None); ord may be inf, -inf, 0.

    The gradient of the 2-norm at x = 0 is 0, as in torch.
    """
    from .. import ops

    x = to_tensor(x)
    if x._data.dtype.kind not in "fc":
        raise RuntimeError(
            f"linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
            f"{x.dtype}"
        )
    if dtype is not None:
        x = x.to(dtype)
    if isinstance(dim, int):
        dim = (dim,)
    dims = tuple(range(x.ndim)) if dim is None else norm_dims(dim, x.ndim)
    if x.ndim == 0:
        dims = ()
    if ord == 2:
        return ops.norm(x, 2, dims if dims else None, keepdim)
    a = x.abs()
    if ord == _INF:
        return a.amax(dims, keepdim=keepdim) if dims else a
    if ord == -_INF:
        return a.amin(dims, keepdim=keepdim) if dims else a
    if ord == 0:
        return (x != 0).to(x.dtype).sum(dims, keepdim=keepdim)
    if ord == 1:
        return a.sum(dims, keepdim=keepdim)
    return (a ** ord).sum(dims, keepdim=keepdim) ** (1.0 / ord)


def matrix_norm(A: Tensor, ord="fro", dim=(-2, -1), keepdim: bool = False, *, dtype=None,
                out=None) -> Tensor:
    """'fro' (sqrt of the sum of squares), 'nuc' (sum of singular values), 1/-1 (max/min
    column abs-sum), inf/-inf (max/min row abs-sum), 2/-2 (largest/smallest singular value)."""
    from . import svdvals

    A = to_tensor(A)
    if dtype is not None:
        A = A.to(dtype)
    if A.ndim < 2:
        raise RuntimeError(
            "linalg.matrix_norm: The input tensor A must have at least 2 dimensions."
        )
    d0, d1 = dim[0] % A.ndim, dim[1] % A.ndim
    if ord == "fro":
        return vector_norm(A, 2, (d0, d1), keepdim)
    if ord in ("nuc", 2, -2):
        moved = A.movedim((d0, d1), (-2, -1))
        s = svdvals(moved)
        out = s.sum(-1) if ord == "nuc" else (s.amax(-1) if ord == 2 else s.amin(-1))
        if keepdim:
            for d in sorted((d0, d1)):
                out = out.unsqueeze(d)
        return out
    if ord in (1, -1):
        sums = A.abs().sum(d0, keepdim=True)
        out = sums.amax(d1, keepdim=True) if ord == 1 else sums.amin(d1, keepdim=True)
    elif ord in (_INF, -_INF):
        sums = A.abs().sum(d1, keepdim=True)
        out = sums.amax(d0, keepdim=True) if ord == _INF else sums.amin(d0, keepdim=True)
    else:
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    return out if keepdim else out.squeeze(max(d0, d1)).squeeze(min(d0, d1))


def norm(A: Tensor, ord=None, dim=None, keepdim: bool = False, *, dtype=None,
         out=None) -> Tensor:
    """Vector norm for 1-D input or an int ``dim``; matrix norm for 2-D input or a 2-tuple
    ``dim``; with ``ord=None`` and ``dim=None`` the 2-norm of all elements."""
    A = to_tensor(A)
    if dim is not None:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        if len(dims) == 2:
            return matrix_norm(A, "fro" if ord is None else ord, dims, keepdim, dtype=dtype)
        return vector_norm(A, 2 if ord is None else ord, dims, keepdim, dtype=dtype)
    if ord is None:
        return vector_norm(A, 2, None, keepdim, dtype=dtype)
    if A.ndim == 2:
        return matrix_norm(A, ord, (-2, -1), keepdim, dtype=dtype)
    if A.ndim == 1:
        return vector_norm(A, ord, None, keepdim, dtype=dtype)
    raise RuntimeError(
        f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got "
        f"{A.ndim}D."
    )
