"""Splitting, windows and writes-into-a-copy torch has at top level: ``tensor_split``,
``hsplit``/``vsplit``/``dsplit``, ``split_with_sizes``, ``Tensor.unfold``, ``index_copy``,
``put`` and the ``select``/``slice``/``diagonal_scatter`` family.

Splits are slices (views, as in torch); writes go through ``IndexPut`` (``d/dinput`` is ``dy``
with zeros where the copy was overwritten, ``d/dsource`` gathers those positions).
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ._common import norm_dim, to_tensor
from .extra_shape import _ops, _word

__all__ = [
    "diagonal_scatter",
    "dsplit",
    "hsplit",
    "index_copy",
    "put",
    "select_scatter",
    "slice_scatter",
    "split_with_sizes",
    "tensor_split",
    "unfold",
    "unsafe_chunk",
    "unsafe_split",
    "unsafe_split_with_sizes",
    "vsplit",
]


def tensor_split(input: Tensor, indices_or_sections=None, dim: int = 0, *, sections=None,
                 indices=None, tensor_indices_or_sections=None):
    """Views of ``input`` split along ``dim``.

    An int ``n`` gives ``n`` parts whose sizes differ by at most one (the first
    ``size % n`` parts one larger); a list of indices gives the parts between them, as Python
    slicing would (``[2, 3]`` -> ``[:2], [2:3], [3:]``). A 0-d int64 tensor is a section count,
    a 1-D one a list of indices.
    """
    given = [v for v in (indices_or_sections, sections, indices, tensor_indices_or_sections)
             if v is not None]
    if len(given) != 1:
        raise TypeError("tensor_split() missing required argument 'indices_or_sections'")
    spec = given[0]
    x = to_tensor(input)
    if x.ndim == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a "
                           "tensor with 0 dims")
    d = norm_dim(dim, x.ndim)
    if isinstance(spec, Tensor):
        if spec.ndim > 1:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to be a "
                               "zero-dimensional or one-dimensional tensor, but got a tensor "
                               f"with {spec.ndim} dims")
        if spec._data.dtype != np.int64:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to have dtype "
                               f"of long, but got {_word(spec)}")
        spec = int(spec._data) if spec.ndim == 0 else [int(v) for v in spec._data]
    size = x.shape[d]
    lead = (slice(None),) * d
    if isinstance(spec, (int, np.integer)):
        n = int(spec)
        if n <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {n}")
        base, extra = divmod(size, n)
        bounds = [0]
        for i in range(n):
            bounds.append(bounds[-1] + base + (1 if i < extra else 0))
        return tuple(x[lead + (slice(bounds[i], bounds[i + 1]),)] for i in range(n))
    points = [int(v) for v in spec]
    edges = [None, *points, None]
    return tuple(x[lead + (slice(edges[i], edges[i + 1]),)] for i in range(len(points) + 1))


def _split_dim(name: str, input: Tensor, spec, dim: int, min_dims: int):
    x = to_tensor(input)
    if x.ndim < min_dims:
        raise RuntimeError(f"torch.{name} requires a tensor with at least {min_dims} dimension, "
                           f"but got a tensor with {x.ndim} dimensions!")
    if isinstance(spec, (int, np.integer)):
        size = x.shape[dim]
        if spec == 0 or size % int(spec):
            raise RuntimeError(f"torch.{name} attempted to split along dimension {dim}, but the "
                               f"size of the dimension {size} is not divisible by the split_size "
                               f"{int(spec)}!")
    return tensor_split(x, spec, dim)


def hsplit(input: Tensor, indices_or_sections):
    """``tensor_split`` along dim 1 (dim 0 for 1-D); an int must divide the size."""
    return _split_dim("hsplit", input, indices_or_sections, 1 if input.ndim > 1 else 0, 1)


def vsplit(input: Tensor, indices_or_sections):
    """``tensor_split`` along dim 0 of an at-least-2-D tensor; an int must divide the size."""
    return _split_dim("vsplit", input, indices_or_sections, 0, 2)


def dsplit(input: Tensor, indices_or_sections):
    """``tensor_split`` along dim 2 of an at-least-3-D tensor; an int must divide the size."""
    return _split_dim("dsplit", input, indices_or_sections, 2, 3)


def split_with_sizes(input: Tensor, split_sizes, dim: int = 0):
    """``split`` with a list of sizes that must add up to the dim's size."""
    x = to_tensor(input)
    d = norm_dim(dim, x.ndim)
    sizes = [int(s) for s in split_sizes]
    if sum(sizes) != x.shape[d]:
        raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to "
                           f"{x.shape[d]} (input tensor's size at dimension {dim}), but got "
                           f"split_sizes={sizes}")
    return _ops().split(x, sizes, d)


def unsafe_split(input: Tensor, split_size: int, dim: int = 0):
    """``split`` (torch's unsafe variant only skips view tracking)."""
    return _ops().split(input, split_size, dim)


def unsafe_split_with_sizes(input: Tensor, split_sizes, dim: int = 0):
    return split_with_sizes(input, split_sizes, dim)


def unsafe_chunk(input: Tensor, chunks: int, dim: int = 0):
    return _ops().chunk(input, chunks, dim)


def _put_into(input: Tensor, src: Tensor, index: tuple, name: str) -> Tensor:
    from .indexing import IndexPut

    x = to_tensor(input)
    s = to_tensor(src)
    target = np.empty(x.shape, dtype=bool)[index].shape
    if tuple(s.shape) != target:
        raise RuntimeError(f"{name}: expected src to have a size equal to the slice of self. src "
                           f"size = {list(s.shape)}, slice size = {list(target)}")
    if s._data.dtype != x._data.dtype:
        s = s.to(x.dtype)
    return IndexPut.apply(x, s, index, False)


def index_copy(input: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
    """A copy of ``input`` whose slices ``index[i]`` along ``dim`` are ``source``'s slice ``i``.

    ``d/dinput`` is ``dy`` with zeros at the overwritten slices; ``d/dsource`` gathers them.
    """
    x = to_tensor(input)
    d = norm_dim(dim, x.ndim)
    idx = to_tensor(index)
    if idx._data.dtype != np.int64:
        raise RuntimeError("index_copy_(): Expected a long tensor for index, but got "
                           f"{_word(idx)}")
    if idx.ndim > 1:
        raise IndexError("index_copy_(): Index should have dimension 1 or 0 (got "
                         f"{idx.ndim})")
    s = to_tensor(source)
    flat = idx._data.reshape(-1)
    if x.ndim == 0:
        return _put_into(x, s.reshape(()), (), "index_copy")
    if s.ndim == x.ndim - 1 and flat.size == 1:
        s = s.unsqueeze(d)
    if s.ndim != x.ndim or s.shape[d] != flat.size:
        raise IndexError(f"index_copy_(): Number of indices ({flat.size}) should be equal to "
                         f"source.size(dim) ({s.shape[d] if s.ndim > d else 1})")
    if flat.size and (flat.min() < -x.shape[d] or flat.max() >= x.shape[d]):
        raise IndexError(f"index_copy_(): index out of range for dimension {d} with size "
                         f"{x.shape[d]}")
    return _put_into(x, s, (slice(None),) * d + (flat,), "index_copy")


def select_scatter(input: Tensor, src: Tensor, dim: int, index: int) -> Tensor:
    """A copy of ``input`` with ``input.select(dim, index)`` replaced by ``src``."""
    x = to_tensor(input)
    d = norm_dim(dim, x.ndim)
    return _put_into(x, src, (slice(None),) * d + (int(index),), "select_scatter")


def slice_scatter(input: Tensor, src: Tensor, dim: int = 0, start=None, end=None,
                  step: int = 1) -> Tensor:
    """A copy of ``input`` with ``input[..., start:end:step, ...]`` (along ``dim``) = ``src``."""
    x = to_tensor(input)
    d = norm_dim(dim, x.ndim)
    return _put_into(x, src, (slice(None),) * d + (slice(start, end, step),), "slice_scatter")


def diagonal_scatter(input: Tensor, src: Tensor, offset: int = 0, dim1: int = 0,
                     dim2: int = 1) -> Tensor:
    """A copy of ``input`` whose diagonal (as ``torch.diagonal(input, offset, dim1, dim2)``)
    is ``src``."""
    x = to_tensor(input)
    d1, d2 = norm_dim(dim1, x.ndim), norm_dim(dim2, x.ndim)
    moved = x.movedim((d1, d2), (-2, -1))
    rows, cols = moved.shape[-2], moved.shape[-1]
    if offset >= 0:
        k = max(min(rows, cols - offset), 0)
        r, c = np.arange(k), np.arange(k) + offset
    else:
        k = max(min(rows + offset, cols), 0)
        r, c = np.arange(k) - offset, np.arange(k)
    out = _put_into(moved, src, (Ellipsis, r, c), "diagonal_scatter")
    return out.movedim((-2, -1), (d1, d2))


def put(input: Tensor, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:
    """A copy of ``input`` with ``source`` written (or added) at flat positions ``index``."""
    from .indexing import IndexPut

    x = to_tensor(input)
    idx = to_tensor(index)._data.reshape(-1)
    s = to_tensor(source).reshape(-1)
    if s.shape[0] != idx.size:
        raise RuntimeError(f"put_(): Expected source and index to have the same number of "
                           f"elements, but got source.numel() = {s.shape[0]}, index.numel() = "
                           f"{idx.size}")
    n = max(x.numel(), 1)
    if idx.size and (idx.min() < -n or idx.max() >= n):
        raise IndexError(f"out of range: tried to access index {int(idx.max())} on a tensor "
                         f"of {x.numel()} elements.")
    if s._data.dtype != x._data.dtype:
        s = s.to(x.dtype)
    flat = IndexPut.apply(x.reshape(-1), s, (idx,), bool(accumulate))
    return flat.reshape(x.shape)


def unfold(input: Tensor, dimension: int, size: int, step: int) -> Tensor:
    """``Tensor.unfold``: every window of ``size`` elements along ``dimension``, ``step`` apart,
    as a new last dim (``dimension`` becomes the window count ``(n - size) // step + 1``).

    A gather of the windows: where windows overlap their gradients add up, as in torch.
    """
    x = to_tensor(input)
    if x.ndim == 0:
        if size != 1 and size != 0 or dimension not in (0, -1):
            raise RuntimeError(f"maximum size for tensor at dimension 0 is 1 but size is {size}")
        return x.reshape(1) if size == 1 else x.reshape(1)[:0]
    d = norm_dim(dimension, x.ndim)
    n = x.shape[d]
    if size > n:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {n} but size is {size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    starts = np.arange(0, n - size + 1, step, dtype=np.int64)
    idx = starts[:, None] + np.arange(size, dtype=np.int64)[None, :]
    windows = x.movedim(d, -1)[..., Tensor._wrap(idx)]  # (..., count, size)
    return windows.movedim(-2, d)
