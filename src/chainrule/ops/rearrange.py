"""Shape ops that copy: concatenation and stacking, tiling, flips and rolls, triangles and
diagonals. Each backward routes ``dy`` back to where every input element went."""

from __future__ import annotations

import builtins as _builtins

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Op
from ._common import norm_dim, shape_arg
from .shape import atleast_2d, expand

__all__ = [
    "repeat", "tile", "flip", "fliplr", "flipud", "roll", "cat", "concat", "concatenate",
    "stack", "hstack", "vstack", "tril", "triu", "diagonal", "diag", "diag_embed",
    "repeat_interleave", "meshgrid", "column_stack", "dstack", "trace",
]

builtins_abs = _builtins.abs


class Flip(Op):
    formula = "y = x reversed along dims;  dx = dy reversed along dims"

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return np.flip(x, dims).copy()

    @staticmethod
    def backward(ctx, dy):
        return dy.flip(ctx.dims), None


class Roll(Op):
    formula = "y = roll(x, s);  dx = roll(dy, -s)"

    @staticmethod
    def forward(ctx, x, shifts, dims):
        ctx.shifts, ctx.dims = shifts, dims
        return np.roll(x, shifts, dims)

    @staticmethod
    def backward(ctx, dy):
        neg = tuple(-s for s in ctx.shifts) if isinstance(ctx.shifts, tuple) else -ctx.shifts
        return dy.roll(neg, ctx.dims), None, None


class Cat(Op):
    formula = "y = [x1; x2; ...] along dim;  dx_i = the matching slice of dy"

    @staticmethod
    def forward(ctx, dim, *xs):
        ctx.dim = dim
        ctx.sizes = [x.shape[dim] for x in xs]
        try:
            return np.concatenate(xs, axis=dim)
        except ValueError:
            raise _cat_error(dim, xs) from None

    @staticmethod
    def backward(ctx, dy):
        grads = []
        start = 0
        for size in ctx.sizes:
            grads.append(dy.narrow(ctx.dim, start, size))
            start += size
        return (None, *grads)


def _cat_error(dim: int, xs) -> RuntimeError:
    """torch's message: the first tensor that differs from the first one."""
    ref = xs[0].shape
    for i, x in enumerate(xs):
        if len(x.shape) != len(ref):
            return RuntimeError(f"Tensors must have same number of dimensions: got {len(ref)} "
                                f"and {len(x.shape)}")
        for d, (a, b) in enumerate(zip(ref, x.shape)):
            if d != dim and a != b:
                return RuntimeError(
                    f"Sizes of tensors must match except in dimension {dim}. Expected size {a} "
                    f"but got size {b} for tensor number {i} in the list.")
    return RuntimeError(f"Sizes of tensors must match except in dimension {dim}. Got shapes "
                        f"{[list(x.shape) for x in xs]}")


class Stack(Op):
    formula = "y = stack(x1, x2, ...) along a new dim;  dx_i = dy selected at i"

    @staticmethod
    def forward(ctx, dim, *xs):
        ctx.dim = dim
        shapes = {x.shape for x in xs}
        if len(shapes) > 1:
            i = next(i for i, x in enumerate(xs) if x.shape != xs[0].shape)
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(xs[0].shape)} at "
                f"entry 0 and {list(xs[i].shape)} at entry {i}"
            )
        return np.stack(xs, axis=dim)

    @staticmethod
    def backward(ctx, dy):
        return (None, *dy.unbind(ctx.dim))


class Tril(Op):
    formula = "y = lower triangle of x;  dx = lower triangle of dy"

    @staticmethod
    def forward(ctx, x, k, upper):
        ctx.k, ctx.upper = k, upper
        return np.triu(x, k) if upper else np.tril(x, k)

    @staticmethod
    def backward(ctx, dy):
        return Tril.apply(dy, ctx.k, ctx.upper), None, None


class Repeat(Op):
    formula = "y = tile(x, reps);  dx = sum of dy over the copies"

    @staticmethod
    def forward(ctx, x, reps):
        ctx.shape = x.shape
        ctx.reps = reps
        lead = len(reps) - x.ndim
        return np.tile(x.reshape((1,) * lead + x.shape), reps)

    @staticmethod
    def backward(ctx, dy):
        reps = ctx.reps
        shape = (1,) * (len(reps) - len(ctx.shape)) + tuple(ctx.shape)
        split = []
        for r, s in zip(reps, shape):
            split += [r, s]
        g = dy.reshape(split).sum(tuple(range(0, 2 * len(reps), 2)))
        return g.reshape(ctx.shape), None


class Diagonal(Op):
    formula = "y = diagonal(x);  dx = dy placed on the diagonal"

    @staticmethod
    def forward(ctx, x, offset, d1, d2):
        ctx.shape, ctx.args = x.shape, (offset, d1, d2)
        return np.diagonal(x, offset, d1, d2)

    @staticmethod
    def backward(ctx, dy):
        return DiagonalScatter.apply(dy, ctx.shape, *ctx.args), None, None, None


class DiagonalScatter(Op):
    formula = "y = zeros with dx on the diagonal;  dx = diagonal(dy)"

    @staticmethod
    def forward(ctx, g, shape, offset, d1, d2):
        ctx.args = (offset, d1, d2)
        out = np.zeros(shape, dtype=g.dtype)
        view = np.diagonal(out, offset, d1, d2)
        view.setflags(write=True)
        view[...] = g
        return out

    @staticmethod
    def backward(ctx, dy):
        return Diagonal.apply(dy, *ctx.args), None, None, None, None


def repeat(input: Tensor, *sizes) -> Tensor:
    """Tiles the tensor ``sizes[i]`` times along each dim (leading sizes add dims)."""
    reps = shape_arg(sizes)
    if len(reps) < input.ndim:
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions "
            "of tensor"
        )
    return Repeat.apply(input, reps)


def tile(input: Tensor, dims) -> Tensor:
    """``repeat``, with missing leading repeats taken as 1 (NumPy's tile)."""
    dims = tuple(dims)
    if len(dims) < input.ndim:
        dims = (1,) * (input.ndim - len(dims)) + dims
    return repeat(input, dims)


def repeat_interleave(input: Tensor, repeats, dim=None) -> Tensor:
    """Repeats each element ``repeats`` times along ``dim`` (flattened without dim)."""
    from .indexing import index_select  # noqa: PLC0415

    x = input if dim is not None else input.reshape(-1)
    d = 0 if dim is None else norm_dim(dim, x.ndim)
    reps = repeats._data if isinstance(repeats, Tensor) else repeats
    idx = np.repeat(np.arange(x.shape[d]), reps)
    return index_select(x, d, Tensor._wrap(idx))


def flip(input: Tensor, *args, dims=None) -> Tensor:
    """Reverses the order along ``dims`` (a tuple; the method form also takes varargs)."""
    dims = shape_arg(args) if args else tuple(
        () if dims is None else (dims,) if isinstance(dims, int) else dims)
    return Flip.apply(input, tuple(norm_dim(d, input.ndim) for d in dims))


def fliplr(input: Tensor) -> Tensor:
    """Reverses dim 1."""
    return flip(input, (1,))


def flipud(input: Tensor) -> Tensor:
    """Reverses dim 0."""
    return flip(input, (0,))


def roll(input: Tensor, shifts, dims=None) -> Tensor:
    """Shifts elements cyclically by ``shifts`` along ``dims`` (the flattened tensor without dims).
    """
    if dims is None:
        return roll(input.reshape(-1), shifts, 0).reshape(input.shape)
    if isinstance(shifts, (list, tuple)):
        shifts = tuple(shifts)
        dims = tuple(norm_dim(d, input.ndim) for d in dims)
    else:
        dims = norm_dim(dims, input.ndim) if isinstance(dims, int) else tuple(dims)
        if isinstance(dims, tuple):
            shifts = (shifts,) * len(dims)
    return Roll.apply(input, shifts, dims)


def cat(tensors, dim: int = 0, *, out=None) -> Tensor:
    """Concatenates along an existing dim; 1-D empty tensors are skipped (legacy torch rule)."""
    tensors = [t for t in tensors if not (t.ndim == 1 and t.shape[0] == 0)] or list(tensors)[:1]
    if not tensors:
        raise RuntimeError("torch.cat(): expected a non-empty list of Tensors")
    dt = tensors[0]._data.dtype
    if any(t._data.dtype != dt for t in tensors):
        from .. import _dtypes  # noqa: PLC0415
        from ._common import cast  # noqa: PLC0415

        target = _dtypes._result_dtype_slow([t._data for t in tensors]).np
        tensors = [cast(t, target) for t in tensors]
    nd = tensors[0].ndim
    if any(t.ndim != nd for t in tensors):
        other = next(t.ndim for t in tensors if t.ndim != nd)
        raise RuntimeError(f"Tensors must have same number of dimensions: got {nd} and {other}")
    d = norm_dim(dim, nd)
    result = Cat.apply(d, *tensors)
    if out is not None:
        out.copy_(result)
        return out
    return result


concat = concatenate = cat


def stack(tensors, dim: int = 0, *, out=None) -> Tensor:
    """Joins same-shape tensors along a new dim."""
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    d = norm_dim(dim, tensors[0].ndim + 1)
    dt = tensors[0]._data.dtype
    if any(t._data.dtype != dt for t in tensors):
        from ._common import cast  # noqa: PLC0415

        target = np.result_type(*(t._data.dtype for t in tensors))
        tensors = [cast(t, target) for t in tensors]
    return Stack.apply(d, *tensors)


def hstack(tensors) -> Tensor:
    """Concatenates along dim 1 (dim 0 for 1-D tensors)."""
    tensors = list(tensors)
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)


def vstack(tensors) -> Tensor:
    """Concatenates along dim 0, 1-D tensors becoming rows."""
    return cat([atleast_2d(t) for t in tensors], 0)


def dstack(tensors) -> Tensor:
    """Concatenates along dim 2 (inputs made at least 3-D)."""
    ts = [atleast_2d(t) for t in tensors]
    ts = [t.unsqueeze(-1) if t.ndim == 2 else t for t in ts]
    return cat(ts, 2)


def column_stack(tensors) -> Tensor:
    """1-D tensors as columns, concatenated along dim 1."""
    return cat([t.reshape(-1, 1) if t.ndim <= 1 else t for t in tensors], 1)


def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    """The lower triangle (``j - i <= diagonal``) of the last two dims, zeros elsewhere."""
    if input._data.dtype.kind not in "fc":
        return Tensor._wrap(np.tril(input._data, diagonal))
    return Tril.apply(input, diagonal, False)


def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    """The upper triangle (``j - i >= diagonal``) of the last two dims, zeros elsewhere."""
    if input._data.dtype.kind not in "fc":
        return Tensor._wrap(np.triu(input._data, diagonal))
    return Tril.apply(input, diagonal, True)


def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """The diagonal (``offset`` above it) of dims ``dim1`` and ``dim2``, as the last dim."""
    d1, d2 = norm_dim(dim1, input.ndim), norm_dim(dim2, input.ndim)
    if input._data.dtype.kind not in "fc":
        return Tensor._wrap(np.diagonal(input._data, offset, d1, d2).copy())
    return Diagonal.apply(input, offset, d1, d2)


def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    """1-D -> square matrix with it on a diagonal; 2-D -> that diagonal."""
    if input.ndim == 2:
        return globals()["diagonal"](input, diagonal)
    n = input.shape[0] + builtins_abs(diagonal)
    shape = (n, n)
    if input._data.dtype.kind not in "fc":
        return Tensor._wrap(np.diag(input._data, diagonal))
    return DiagonalScatter.apply(input, shape, diagonal, 0, 1)


def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """Places the last dim on the diagonal of two new trailing dims."""
    n = input.shape[-1] + builtins_abs(offset)
    shape = tuple(input.shape[:-1]) + (n, n)
    return DiagonalScatter.apply(input, shape, offset, len(shape) - 2, len(shape) - 1)


def trace(input: Tensor) -> Tensor:
    """Sum of the main diagonal of a 2-D tensor."""
    return diagonal(input).sum()


def meshgrid(*tensors, indexing: str | None = None):
    """Coordinate grids from 1-D tensors (``indexing='ij'`` or ``'xy'``)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        indexing = "ij"
    shape = tuple(t.numel() for t in tensors)
    if indexing == "xy" and len(tensors) >= 2:
        shape = (shape[1], shape[0]) + shape[2:]
    out = []
    for i, t in enumerate(tensors):
        pos = i
        if indexing == "xy" and len(tensors) >= 2 and i < 2:
            pos = 1 - i
        view_shape = [1] * len(tensors)
        view_shape[pos] = t.numel()
        out.append(expand(t.reshape(view_shape), shape))
    return tuple(out)
