"""Shape ops that are views: reshape, permute, transpose, expand, squeeze, narrow, split ...
(the copying ones, cat/stack/flip/tril ..., are in ``rearrange``).

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
    "t", "expand", "expand_as", "broadcast_to", "split", "chunk", "unbind", "narrow", "select",
    "movedim", "moveaxis", "swapaxes", "swapdims", "ravel", "view_as", "reshape_as",
    "broadcast_tensors", "atleast_1d", "atleast_2d",
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
        return _view_dtype(input, shape[0])
    return reshape(input, *shape)


def _view_dtype(input: Tensor, dtype) -> Tensor:
    """``view(dtype)``: the same bytes read as another dtype (not a cast), sharing memory and
    outside the graph, as torch; a different element size rescales the last dim."""
    from .. import _dtypes  # noqa: PLC0415

    arr = input._data
    new = np.dtype(_dtypes.to_numpy_dtype(dtype))
    if new.itemsize != arr.dtype.itemsize:
        words = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
                 "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
                 "bool": "Bool"}
        old_word, new_word = words.get(arr.dtype.name, arr.dtype.name), words.get(new.name,
                                                                                  new.name)
        if arr.ndim == 0:
            raise RuntimeError(f"self.dim() cannot be 0 to view {old_word} as {new_word} "
                               "(different element sizes)")
        ratio = new.itemsize // arr.dtype.itemsize
        if new.itemsize > arr.dtype.itemsize and arr.shape[-1] % ratio:
            raise RuntimeError(f"self.size(-1) must be divisible by {ratio} to view {old_word} "
                               f"as {new_word} (different element sizes), but got "
                               f"{arr.shape[-1]}")
        if arr.strides[-1] != arr.dtype.itemsize:
            stride = arr.strides[-1] // arr.dtype.itemsize
            raise RuntimeError(f"self.stride(-1) must be 1 to view {old_word} as {new_word} "
                               f"(different element sizes), but got {stride}")
    return Tensor._wrap(arr.view(new))


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
