"""Shape ops: views (reshape, permute, expand, squeeze ...) and copies (cat, stack, flip ...).

View results share memory and the version counter with their input, as torch views do, so an
in-place change through a view is seen by backward's version checks.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Op
from ._common import norm_dim, shape_arg

__all__ = [
    "reshape", "view", "flatten", "unflatten", "squeeze", "unsqueeze", "permute", "transpose",
    "t", "expand", "expand_as", "broadcast_to", "repeat", "tile", "flip", "fliplr", "flipud",
    "roll", "cat", "concat", "concatenate", "stack", "hstack", "vstack", "split", "chunk",
    "unbind", "tril", "triu", "narrow", "select", "movedim", "moveaxis", "swapaxes",
    "swapdims", "diagonal", "diag", "diag_embed", "ravel", "view_as", "reshape_as",
    "broadcast_tensors", "atleast_1d", "atleast_2d", "repeat_interleave", "meshgrid",
    "column_stack", "dstack", "trace",
]


def _as_view(out: Tensor, base: Tensor, op=None, args: tuple = ()) -> Tensor:
    """Marks ``out`` as a view of ``base``'s root: it shares the version counter, and
    ``_view_fn`` records how to rebuild it from the root (``((Op, args), ...)``), which an
    in-place change of the view needs to rewrite the root in the graph (torch's CopySlices)."""
    out._vc = base._vc
    root = base._base
    if root is None:
        out._base = base
        out._view_fn = None if op is None else ((op, args),)
    else:
        out._base = root
        parent = getattr(base, "_view_fn", None)
        out._view_fn = None if op is None or parent is None else parent + ((op, args),)
    return out


class Reshape(Op):
    backward_name = "ViewBackward0"
    formula = "y = reshape(x);  dx = reshape(dy, x.shape)"

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x.shape
        try:
            return x.reshape(shape)
        except ValueError:
            raise RuntimeError(
                f"shape '{list(shape)}' is invalid for input of size {x.size}"
            ) from None

    @staticmethod
    def backward(ctx, dy):
        return dy.reshape(ctx.shape), None

    @staticmethod
    def backward_arrays(ctx, dy):
        return dy.reshape(ctx.shape), None



class Permute(Op):
    formula = "y = permute(x, p);  dx = permute(dy, inverse(p))"

    @staticmethod
    def forward(ctx, x, perm):
        ctx.perm = perm
        return x.transpose(perm)

    @staticmethod
    def backward(ctx, dy):
        return dy.permute(tuple(np.argsort(ctx.perm).tolist())), None

    @staticmethod
    def backward_arrays(ctx, dy):
        return dy.transpose(np.argsort(ctx.perm)), None



class Transpose(Op):
    formula = "y = swap dims a, b of x;  dx = swap dims a, b of dy"

    @staticmethod
    def forward(ctx, x, a, b):
        ctx.a, ctx.b = a, b
        return np.swapaxes(x, a, b)

    @staticmethod
    def backward(ctx, dy):
        return dy.transpose(ctx.a, ctx.b), None, None

    @staticmethod
    def backward_arrays(ctx, dy):
        return np.swapaxes(dy, ctx.a, ctx.b), None, None



class T(Op):
    formula = "y = x^T;  dx = dy^T"

    @staticmethod
    def forward(ctx, x):
        return x.T

    @staticmethod
    def backward(ctx, dy):
        return dy.t()

    @staticmethod
    def backward_arrays(ctx, dy):
        return dy.T



class Expand(Op):
    formula = "y = broadcast x to shape;  dx = sum of dy over the broadcast dims"

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x.shape
        return np.broadcast_to(x, shape)

    @staticmethod
    def backward(ctx, dy):
        from .reduction import SumToSize  # noqa: PLC0415

        return SumToSize.apply(dy, ctx.shape), None


class Squeeze(Op):
    formula = "y = x without size-1 dims;  dx = reshape(dy, x.shape)"

    @staticmethod
    def forward(ctx, x, dims):
        ctx.shape = x.shape
        return np.squeeze(x, axis=dims) if dims else x.reshape(x.shape)

    @staticmethod
    def backward(ctx, dy):
        return dy.reshape(ctx.shape), None

    @staticmethod
    def backward_arrays(ctx, dy):
        return dy.reshape(ctx.shape), None



class Unsqueeze(Op):
    formula = "y = x with a size-1 dim inserted;  dx = reshape(dy, x.shape)"

    @staticmethod
    def forward(ctx, x, dim):
        ctx.shape = x.shape
        return np.expand_dims(x, dim)

    @staticmethod
    def backward(ctx, dy):
        return dy.reshape(ctx.shape), None

    @staticmethod
    def backward_arrays(ctx, dy):
        return dy.reshape(ctx.shape), None



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
            raise RuntimeError(
                "Sizes of tensors must match except in dimension "
                f"{dim}. Got shapes {[list(x.shape) for x in xs]}"
            ) from None

    @staticmethod
    def backward(ctx, dy):
        grads = []
        start = 0
        for size in ctx.sizes:
            grads.append(dy.narrow(ctx.dim, start, size))
            start += size
        return (None, *grads)


class Stack(Op):
    formula = "y = stack(x1, x2, ...) along a new dim;  dx_i = dy selected at i"

    @staticmethod
    def forward(ctx, dim, *xs):
        ctx.dim = dim
        shapes = {x.shape for x in xs}
        if len(shapes) > 1:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got shapes "
                f"{[list(x.shape) for x in xs]}"
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


# -- wrappers --------------------------------------------------------------------------------


def _infer_shape(shape: tuple, numel: int) -> tuple:
    if -1 in shape:
        known = 1
        for s in shape:
            if s != -1:
                known *= s
        if shape.count(-1) > 1:
            raise RuntimeError("only one dimension can be inferred")
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    return shape


def reshape(input: Tensor, *shape) -> Tensor:
    """Same elements, new shape (a view when memory allows); one dim may be -1."""
    shape = _infer_shape(shape_arg(shape), input._data.size)
    if shape == input._data.shape:
        return _as_view(Reshape.apply(input, shape), input, Reshape, (shape,))
    return _as_view(Reshape.apply(input, shape), input, Reshape, (shape,))


def view(input: Tensor, *shape) -> Tensor:
    """Same elements, new shape (``view(dtype)`` casts instead)."""
    if len(shape) == 1 and not isinstance(shape[0], (int, tuple, list, np.integer)) and \
            not isinstance(shape[0], Tensor):
        return input.to(shape[0])  # view(dtype)
    return reshape(input, *shape)


def view_as(input: Tensor, other: Tensor) -> Tensor:
    """``reshape`` to ``other``'s shape."""
    return reshape(input, other.shape)


reshape_as = view_as


def ravel(input: Tensor) -> Tensor:
    """The flattened tensor."""
    return reshape(input, -1)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merges dims ``start_dim..end_dim`` into one."""
    if input.ndim == 0:
        return reshape(input, 1)
    s = norm_dim(start_dim, input.ndim)
    e = norm_dim(end_dim, input.ndim)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    shape = input.shape
    new = shape[:s] + (int(np.prod(shape[s:e + 1])),) + shape[e + 1:]
    return reshape(input, new)


def unflatten(input: Tensor, dim: int, sizes) -> Tensor:
    """Splits dim ``dim`` into ``sizes`` (one of them may be -1)."""
    d = norm_dim(dim, input.ndim)
    sizes = tuple(sizes)
    sizes = _infer_shape(sizes, input.shape[d])
    if int(np.prod(sizes)) != input.shape[d]:
        raise RuntimeError(
            f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {dim} "
            f"({input.shape[d]}) in the input tensor"
        )
    return reshape(input, input.shape[:d] + sizes + input.shape[d + 1:])


def squeeze(input: Tensor, dim=None) -> Tensor:
    """Removes size-1 dims (only ``dim``, an int or tuple, when given)."""
    shape = input._data.shape
    if dim is None:
        dims = tuple(i for i, s in enumerate(shape) if s == 1)
    else:
        ds = (dim,) if isinstance(dim, int) else tuple(dim)
        dims = tuple(d for d in (norm_dim(d, input.ndim) for d in ds)
                     if input.ndim and shape[d] == 1)
    return _as_view(Squeeze.apply(input, dims), input, Squeeze, (dims,))


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """Inserts a size-1 dim at ``dim`` (negative counts from the end of the result)."""
    d = norm_dim(dim, input.ndim + 1)
    return _as_view(Unsqueeze.apply(input, d), input, Unsqueeze, (d,))


def permute(input: Tensor, *dims) -> Tensor:
    """Reorders the dims: ``out.shape[i] = input.shape[dims[i]]`` (a view)."""
    dims = shape_arg(dims)
    if len(dims) != input.ndim:
        raise RuntimeError(
            f"permute(sparse_coo): number of dimensions in the tensor input does not match the "
            f"length of the desired ordering of dimensions i.e. input.dim() = {input.ndim} is "
            f"not equal to len(dims) = {len(dims)}"
        )
    perm = tuple(norm_dim(d, input.ndim) for d in dims)
    return _as_view(Permute.apply(input, perm), input, Permute, (perm,))


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """Swaps dims ``dim0`` and ``dim1`` (a view)."""
    if input.ndim == 0:
        return _as_view(Reshape.apply(input, ()), input, Reshape, ((),))
    a, b = norm_dim(dim0, input.ndim), norm_dim(dim1, input.ndim)
    return _as_view(Transpose.apply(input, a, b), input, Transpose, (a, b))


swapaxes = swapdims = transpose


def t(input: Tensor) -> Tensor:
    """Transpose of a tensor with at most 2 dims."""
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    return _as_view(T.apply(input), input, T, ())


def movedim(input: Tensor, source, destination) -> Tensor:
    """Moves dims ``source`` to positions ``destination``, the others keeping their order."""
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    n = input.ndim
    src = [norm_dim(s, n) for s in src]
    dst = [norm_dim(d, n) for d in dst]
    order = [i for i in range(n) if i not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return permute(input, order)


moveaxis = movedim


def expand(input: Tensor, *sizes) -> Tensor:
    """Broadcasts to ``sizes`` without copying; -1 keeps a dim."""
    sizes = shape_arg(sizes)
    lead = len(sizes) - input.ndim
    if lead < 0:
        raise RuntimeError(
            f"expand(torch.FloatTensor{{{list(input.shape)}}}, size={list(sizes)}): the number "
            "of sizes provided must be greater or equal to the number of dimensions in the tensor"
        )
    shape = tuple(input.shape[i - lead] if s == -1 else s for i, s in enumerate(sizes))
    for i, s in enumerate(input.shape):
        if s != 1 and s != shape[i + lead]:
            raise RuntimeError(
                f"The expanded size of the tensor ({shape[i + lead]}) must match the existing "
                f"size ({s}) at non-singleton dimension {i + lead}.  Target sizes: "
                f"{list(sizes)}.  Tensor sizes: {list(input.shape)}"
            )
    return _as_view(Expand.apply(input, shape), input, Expand, (shape,))


def expand_as(input: Tensor, other: Tensor) -> Tensor:
    """``expand`` to ``other``'s shape."""
    return expand(input, other.shape)


def broadcast_to(input: Tensor, shape) -> Tensor:
    """``expand`` to ``shape``."""
    return expand(input, tuple(shape))


def broadcast_tensors(*tensors):
    """All tensors expanded to their common broadcast shape."""
    shape = np.broadcast_shapes(*(t.shape for t in tensors))
    return tuple(expand(t, shape) for t in tensors)


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
        raise RuntimeError(
            "Tensors must have same number of dimensions: got "
            f"{[t.ndim for t in tensors]}"
        )
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


def atleast_1d(input: Tensor) -> Tensor:
    """0-d tensors become shape (1,); others are returned as they are."""
    return input.reshape(1) if input.ndim == 0 else input


def atleast_2d(input: Tensor) -> Tensor:
    """0-d and 1-D tensors gain leading dims up to 2-D."""
    if input.ndim == 0:
        return input.reshape(1, 1)
    return input.unsqueeze(0) if input.ndim == 1 else input


def narrow(input: Tensor, dim: int, start, length: int) -> Tensor:
    """``length`` elements of dim ``dim`` from ``start`` (a view)."""
    from .indexing import getitem  # noqa: PLC0415

    d = norm_dim(dim, input.ndim)
    start = int(start)
    if start < 0:
        start += input.shape[d]
    if start < 0 or start + length > input.shape[d]:
        raise RuntimeError(
            f"start ({start}) + length ({length}) exceeds dimension size ({input.shape[d]})."
        )
    return getitem(input, (slice(None),) * d + (slice(start, start + length),))


def select(input: Tensor, dim: int, index: int) -> Tensor:
    """The slice at ``index`` along ``dim``, without that dim (a view)."""
    from .indexing import getitem  # noqa: PLC0415

    d = norm_dim(dim, input.ndim)
    size = input.shape[d]
    if not -size <= index < size:
        raise IndexError(
            f"select(): index {index} out of range for tensor of size {list(input.shape)} at "
            f"dimension {d}"
        )
    return getitem(input, (slice(None),) * d + (int(index),))


def split(tensor: Tensor, split_size_or_sections, dim: int = 0):
    """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or given sizes."""
    d = norm_dim(dim, tensor.ndim)
    size = tensor.shape[d]
    if isinstance(split_size_or_sections, int):
        step = split_size_or_sections
        if step <= 0 and size > 0:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got {step}")
        sizes = [min(step, size - s) for s in range(0, size, step)] if size else [0]
    else:
        sizes = list(split_size_or_sections)
        if sum(sizes) != size:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's "
                f"size at dimension {d}), but got split_sizes={sizes}"
            )
    out, start = [], 0
    for s in sizes:
        out.append(narrow(tensor, d, start, s))
        start += s
    return tuple(out)


def chunk(input: Tensor, chunks: int, dim: int = 0):
    """Splits into ``chunks`` pieces of equal size along ``dim`` (the last may be smaller)."""
    d = norm_dim(dim, input.ndim)
    size = input.shape[d]
    step = -(-size // chunks) if size else 1
    return split(input, step, d) if size else (input,)


def unbind(input: Tensor, dim: int = 0):
    """The slices along ``dim``, as a tuple (each without that dim)."""
    d = norm_dim(dim, input.ndim)
    return tuple(select(input, d, i) for i in range(input.shape[d]))


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


import builtins as _builtins  # noqa: E402

builtins_abs = _builtins.abs
