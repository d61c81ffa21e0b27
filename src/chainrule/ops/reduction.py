"""Reductions: sum, mean, prod, max/min, amax/amin, argmax/argmin, all/any (var/std and norms
are in ``statistics``, softmax and logsumexp in ``softmax``, cumsum/cumprod in ``scan``).

A reduction's backward spreads ``dy`` back over the reduced dims: ``dy`` is reshaped to keep
them (size 1) and broadcast to the input's shape. ``SumToSize`` is the engine's tool for
reducing broadcast gradients.
"""

from __future__ import annotations

import builtins as _builtins

import numpy as np

from .. import _dtypes
from .._tensor import Tensor
from ..autograd import engine as _engine
from ..autograd.function import Op
from ._common import norm_dim, norm_dims

__all__ = [
    "sum", "mean", "prod", "max", "min", "amax", "amin", "argmax", "argmin", "all", "any",
    "count_nonzero", "sum_to_shape", "nansum", "nanmean", "aminmax",
]


def _kept_shape(shape, dims) -> tuple:
    return tuple(1 if i in dims else s for i, s in enumerate(shape))


class SumToSize(Op):
    """Sums a broadcast gradient down to an input's shape (used by the engine)."""

    backward_name = "SumToSizeBackward0"
    formula = "y = sum of x over broadcast dims;  dx = expand(dy)"

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x.shape
        lead = x.ndim - len(shape)
        axes = tuple(range(lead)) + tuple(
            i + lead for i, s in enumerate(shape) if s == 1 and x.shape[i + lead] != 1
        )
        y = x.sum(axis=axes, keepdims=True) if axes else x
        if lead:
            y = y.reshape(shape)
        return y

    @staticmethod
    def backward(ctx, dy):
        return dy.expand(ctx.shape), None

    @staticmethod
    def backward_arrays(ctx, dy):
        import numpy as np  # noqa: PLC0415

        return np.broadcast_to(dy, ctx.shape), None


def sum_to_shape(g: Tensor, shape: tuple, node=None, k: int = 0) -> Tensor:
    """Sums a broadcast gradient ``g`` back down to ``shape`` (the engine's one place for this
    rule).
    """
    gs = g._data.shape
    if len(gs) < len(shape) or _builtins.any(
        a != b and b != 1 for a, b in zip(gs[len(gs) - len(shape):], shape)
    ):
        if g._data.size == int(np.prod(shape)):
            return g.reshape(shape)
        name = node.name() if node is not None else "backward"
        raise RuntimeError(
            f"Function {name} returned an invalid gradient at index {k} - got {list(gs)} but "
            f"expected shape compatible with {list(shape)}"
        )
    return SumToSize.apply(g, shape)


_engine.sum_to_shape = sum_to_shape


class Sum(Op):
    formula = "y = sum_{dims} x;  dx = expand(dy)"

    @staticmethod
    def forward(ctx, x, dims, keepdim, np_dtype):
        ctx.shape, ctx.dims = x.shape, dims
        return np.asarray(x.sum(axis=dims, keepdims=keepdim, dtype=np_dtype))

    @staticmethod
    def backward(ctx, dy):
        return dy.reshape(_kept_shape(ctx.shape, ctx.dims)).expand(ctx.shape), None, None, None

    @staticmethod
    def backward_arrays(ctx, dy):
        return (np.broadcast_to(dy.reshape(_kept_shape(ctx.shape, ctx.dims)), ctx.shape), None,
                None, None)


class Mean(Op):
    formula = "y = mean_{dims} x;  dx = expand(dy) / N"

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.shape, ctx.dims = x.shape, dims
        n = 1
        for d in dims:
            n *= x.shape[d]
        ctx.n = n
        return np.asarray(x.mean(axis=dims, keepdims=keepdim))

    @staticmethod
    def backward(ctx, dy):
        g = dy.reshape(_kept_shape(ctx.shape, ctx.dims)).expand(ctx.shape)
        return g / ctx.n, None, None

    @staticmethod
    def backward_arrays(ctx, dy):
        g = dy.reshape(_kept_shape(ctx.shape, ctx.dims)) / ctx.n
        return np.broadcast_to(g.astype(dy.dtype, copy=False), ctx.shape), None, None


class SumDims(Sum):
    """``sum`` over given dims (torch's ``SumBackward1``; a sum of all is ``SumBackward0``)."""

    backward_name = "SumBackward1"


class MeanDims(Mean):
    """``mean`` over given dims (torch's ``MeanBackward1``)."""

    backward_name = "MeanBackward1"


class Prod(Op):
    formula = "y = prod x;  dx = dy * y / x   (x without zeros; see below for zeros)"

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        ctx.save_for_backward(x)
        return np.asarray(x.prod(axis=dims, keepdims=keepdim))

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        dims = ctx.dims
        if not dims:  # a 0-d input: the product is the input itself
            return dy, None, None
        dyk = dy.reshape(_kept_shape(ctx.shape, dims))
        if len(dims) != 1 or not (x._data == 0).any():
            # (the wrapper reduces one dim at a time when x has zeros, so this path is exact)
            return dyk * x.prod(dims, keepdim=True) / x, None, None
        return dyk * _prod_of_others(x, dims[0]), None, None


def _prod_of_others(x: Tensor, d: int) -> Tensor:
    """``out_i = prod_{j != i} x_j`` along ``d`` without dividing (exact when x has zeros).

    Row i of an (n, n) matrix holds x with its i-th entry replaced by 1; the product of each
    row is the wanted value. O(n^2), used only when zeros make ``prod / x`` undefined; built
    from differentiable ops, so higher derivatives stay exact too.
    """
    from .pointwise import where  # noqa: PLC0415

    n = x.shape[d]
    moved = x.movedim(d, -1)
    rows = moved.unsqueeze(-2).expand(*moved.shape[:-1], n, n)
    eye = Tensor._wrap(np.eye(n, dtype=bool))
    one = Tensor._wrap(np.ones((), dtype=x._data.dtype))
    return where(eye, one, rows).prod(-1).movedim(-1, d)


class AMax(Op):
    backward_name = "AmaxBackward0"
    formula = "y = max_{dims} x;  dx = dy * [x == y] / count(x == y)   (ties share evenly)"

    @staticmethod
    def forward(ctx, x, dims, keepdim, is_max):
        y = x.max(axis=dims, keepdims=True) if is_max else x.min(axis=dims, keepdims=True)
        ctx.shape, ctx.dims = x.shape, dims
        ctx.save_for_backward(x, y)
        return np.asarray(y if keepdim else y.reshape([s for i, s in enumerate(y.shape)
                                                        if i not in dims]))

    @staticmethod
    def backward(ctx, dy):
        x, y = ctx.saved_arrays
        mask = (x == y).astype(x.dtype)
        mask /= mask.sum(axis=ctx.dims, keepdims=True)
        g = dy.reshape(_kept_shape(ctx.shape, ctx.dims)).expand(ctx.shape)
        return g * Tensor._wrap(mask), None, None, None


class AMin(AMax):
    backward_name = "AminBackward0"


class MaxAll(AMax):
    """``max(x)`` of all elements (torch's ``MaxBackward1``)."""

    backward_name = "MaxBackward1"


class MinAll(AMax):
    backward_name = "MinBackward1"


class MaxDim(Op):
    """max/min along one dim: the gradient goes to the selected index (first of ties)."""

    backward_name = "MaxBackward0"
    formula = "y = x[argmax];  dx = scatter(dy at argmax)"

    @staticmethod
    def forward(ctx, x, dim, keepdim, is_max):
        idx = np.argmax(x, axis=dim) if is_max else np.argmin(x, axis=dim)
        idx_k = np.expand_dims(idx, dim)
        y = np.take_along_axis(x, idx_k, axis=dim)
        ctx.shape, ctx.dim, ctx.idx = x.shape, dim, idx_k
        ctx.indices = idx_k if keepdim else idx
        return y if keepdim else np.squeeze(y, dim)

    @staticmethod
    def backward(ctx, dy):
        from .indexing import ScatterInto  # noqa: PLC0415

        g = dy.reshape(ctx.idx.shape)
        return ScatterInto.apply(g, ctx.idx, ctx.dim, ctx.shape), None, None, None


class MinDim(MaxDim):
    backward_name = "MinBackward0"


class MedianAll(Op):
    backward_name = "MedianBackward0"
    formula = "y = lower median of x;  dx = dy * [x == y] / count(x == y)   (ties share evenly)"

    @staticmethod
    def forward(ctx, x):
        flat = x.reshape(-1)
        k = (flat.size - 1) // 2
        y = np.asarray(np.partition(flat, k)[k]) if flat.size else np.asarray(np.nan, x.dtype)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, dy):
        x, y = ctx.saved_arrays
        mask = (x == y).astype(x.dtype)
        mask /= mask.sum()
        return dy * Tensor._wrap(mask)


# -- wrappers --------------------------------------------------------------------------------


def _dims_arg(input: Tensor, dim):
    if isinstance(dim, (list, tuple)) and len(dim) == 0:
        return tuple(range(input._data.ndim))
    return norm_dims(dim, input._data.ndim)


def sum(input: Tensor, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:  # noqa: A001
    """Sum over ``dim`` (int, tuple, or all); bool and integer inputs sum to int64."""
    x = input
    np_dtype = _dtypes.to_numpy_dtype(dtype) if dtype is not None else None
    if np_dtype is None and x._data.dtype.kind in "biu":
        np_dtype = np.dtype(np.int64)
    if x._data.dtype.kind not in "fc" or (np_dtype is not None and np_dtype.kind not in "fc"):
        return Tensor._wrap(np.asarray(x._data.sum(axis=_dims_arg(x, dim), keepdims=keepdim,
                                                   dtype=np_dtype)))
    if np_dtype is not None and np_dtype != x._data.dtype:
        x = x.to(_dtypes.from_numpy_dtype(np_dtype))
    return (Sum if dim is None else SumDims).apply(x, _dims_arg(x, dim), keepdim, None)


def nansum(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """``sum`` treating NaN as zero."""
    from .pointwise import isnan  # noqa: PLC0415

    return sum(input.masked_fill(isnan(input), 0.0), dim, keepdim)


def mean(input: Tensor, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Arithmetic mean over ``dim``; needs a floating input (as torch)."""
    if dtype is not None:
        input = input.to(dtype)
    if input._data.dtype.kind not in "fc":
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {_dtype_word(input)}"
        )
    return (Mean if dim is None else MeanDims).apply(input, _dims_arg(input, dim), keepdim)


def nanmean(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """``mean`` over the non-NaN elements."""
    if input._data.dtype.kind not in "fc":
        raise RuntimeError(
            "nanmean(): expected input to have floating point or complex dtype but got "
            f"{_dtype_word(input)}"
        )
    from .pointwise import isnan  # noqa: PLC0415

    valid = ~isnan(input)
    return nansum(input, dim, keepdim) / valid.sum(dim, keepdim).to(input.dtype)


def _dtype_word(t: Tensor) -> str:
    return {"int64": "Long", "int32": "Int", "bool": "Bool", "int16": "Short", "int8": "Char",
            "uint8": "Byte"}.get(t._data.dtype.name, t._data.dtype.name)


def prod(input: Tensor, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Product over ``dim`` (or all elements). The gradient ``y / x`` is computed without dividing
    where ``x`` has zeros.
    """
    x = input
    if dtype is not None:
        x = x.to(dtype)
    if x._data.dtype.kind in "biu":
        return Tensor._wrap(np.asarray(x._data.prod(axis=None if dim is None else dim,
                                                    keepdims=keepdim, dtype=np.int64)))
    dims = _dims_arg(x, dim)
    if len(dims) > 1 and x._rg and (x._data == 0).any():
        # reduce one dim at a time so the zero-safe backward applies
        out = x
        for d in sorted(dims, reverse=True):
            out = Prod.apply(out, (d,), True)
        return out if keepdim else out.reshape([s for i, s in enumerate(out.shape)
                                                if i not in dims])
    return Prod.apply(x, dims, keepdim)


def _max_min(input: Tensor, dim, keepdim, is_max: bool, other=None):
    from ..return_types import minmax_result  # noqa: PLC0415

    if isinstance(dim, Tensor):  # torch.max(a, b) is maximum
        from .pointwise import maximum, minimum  # noqa: PLC0415

        return maximum(input, dim) if is_max else minimum(input, dim)
    if input._data.size == 0 and dim is None:
        raise RuntimeError(
            f"{'max' if is_max else 'min'}(): Expected reduction dim to be specified for "
            "input.numel() == 0. Specify the reduction dim with the 'dim' argument."
        )
    if dim is None:
        if input._data.dtype.kind not in "fc":
            x = input._data
            return Tensor._wrap(np.asarray(x.max() if is_max else x.min()))
        return (MaxAll if is_max else MinAll).apply(input, tuple(range(input.ndim)), False,
                                                    is_max)
    d = norm_dim(dim, input.ndim)
    if input.ndim == 0:  # one element: itself, at index 0
        values = input.clone() if input._data.dtype.kind in "fc" else Tensor._wrap(
            input._data.copy())
        return minmax_result(values, Tensor._wrap(np.array(0)), is_max)
    if input._data.dtype.kind not in "fc":
        x = input._data
        idx = np.argmax(x, axis=d) if is_max else np.argmin(x, axis=d)
        vals = np.take_along_axis(x, np.expand_dims(idx, d), d)
        if not keepdim:
            vals = np.squeeze(vals, d)
        else:
            idx = np.expand_dims(idx, d)
        return minmax_result(Tensor._wrap(vals), Tensor._wrap(idx.astype(np.int64)), is_max)
    if input.ndim == 0:
        return minmax_result(input.clone(), Tensor._wrap(np.array(0)), is_max)
    values = (MaxDim if is_max else MinDim).apply(input, d, keepdim, is_max)
    idx = np.argmax(input._data, axis=d) if is_max else np.argmin(input._data, axis=d)
    if keepdim:
        idx = np.expand_dims(idx, d)
    return minmax_result(values, Tensor._wrap(np.asarray(idx, dtype=np.int64)), is_max)


def max(input: Tensor, dim=None, keepdim: bool = False):  # noqa: A001
    """``max(x)`` (ties share the gradient), ``max(x, dim)`` -> (values, indices), or
    ``max(x, y)`` elementwise."""
    return _max_min(input, dim, keepdim, True)


def min(input: Tensor, dim=None, keepdim: bool = False):  # noqa: A001
    """``min(x)``, ``min(x, dim)`` -> (values, indices), or ``min(x, y)`` elementwise (see ``max``).
    """
    return _max_min(input, dim, keepdim, False)


def amax(input: Tensor, dim=(), keepdim: bool = False) -> Tensor:
    """Maximum over ``dim`` (int or tuple; all by default); ties share the gradient evenly."""
    if input._data.dtype.kind not in "fc":
        return Tensor._wrap(np.asarray(input._data.max(axis=_dims_arg(input, dim),
                                                       keepdims=keepdim)))
    return AMax.apply(input, _dims_arg(input, dim), keepdim, True)


def amin(input: Tensor, dim=(), keepdim: bool = False) -> Tensor:
    """Minimum over ``dim`` (int or tuple; all by default); ties share the gradient evenly."""
    if input._data.dtype.kind not in "fc":
        return Tensor._wrap(np.asarray(input._data.min(axis=_dims_arg(input, dim),
                                                       keepdims=keepdim)))
    return AMin.apply(input, _dims_arg(input, dim), keepdim, False)


def aminmax(input: Tensor, *, dim=None, keepdim: bool = False):
    """``(amin, amax)`` over ``dim`` (all by default), as a named tuple."""
    from ..return_types import aminmax_result  # noqa: PLC0415

    d = () if dim is None else dim
    return aminmax_result(amin(input, d, keepdim), amax(input, d, keepdim))


def argmax(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """Index of the (first) maximum, over all elements or along ``dim``."""
    x = input._data
    if dim is None:
        idx = np.argmax(x)
        return Tensor._wrap(np.asarray(idx, dtype=np.int64).reshape((1,) * x.ndim if keepdim
                                                                     else ()))
    d = norm_dim(dim, input.ndim)
    idx = np.argmax(x, axis=d, keepdims=keepdim) if x.ndim else np.asarray(0)
    return Tensor._wrap(np.asarray(idx, dtype=np.int64))


def argmin(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """Index of the (first) minimum, over all elements or along ``dim``."""
    x = input._data
    if dim is None:
        idx = np.argmin(x)
        return Tensor._wrap(np.asarray(idx, dtype=np.int64).reshape((1,) * x.ndim if keepdim
                                                                     else ()))
    d = norm_dim(dim, input.ndim)
    idx = np.argmin(x, axis=d, keepdims=keepdim) if x.ndim else np.asarray(0)
    return Tensor._wrap(np.asarray(idx, dtype=np.int64))


def all(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:  # noqa: A001
    """True where every element (over ``dim``) is non-zero."""
    axis = None if dim is None else _dims_arg(input, dim)
    return Tensor._wrap(np.asarray(np.all(input._data, axis=axis, keepdims=keepdim)))


def any(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:  # noqa: A001
    """True where some element (over ``dim``) is non-zero."""
    axis = None if dim is None else _dims_arg(input, dim)
    return Tensor._wrap(np.asarray(np.any(input._data, axis=axis, keepdims=keepdim)))


def count_nonzero(input: Tensor, dim=None) -> Tensor:
    """The number of non-zero elements (over ``dim``), int64."""
    axis = None if dim is None else _dims_arg(input, dim)
    return Tensor._wrap(np.asarray(np.count_nonzero(input._data, axis=axis), dtype=np.int64))
