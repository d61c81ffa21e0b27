"""Indexing: ``x[...]`` and ``x[...] = v``, gather/scatter, index_select, masked_select
(sort/topk/unique and friends are in ``sorting``).

``x[idx]`` follows NumPy's rules, which are torch's: ints, slices with steps, None, ...,
bool masks and integer arrays/tensors (advanced indexing). The backward of a read scatters
``dy`` into zeros at the same index, adding where an index repeats.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Op
from ._common import norm_dim, to_tensor

__all__ = [
    "getitem", "index_put", "gather", "scatter", "scatter_add", "index_select",
    "masked_select", "take_along_dim", "index_add", "take", "index_fill", "scatter_reduce",
    "masked_scatter",
]


def _sequence_as_tuple(index: list) -> bool:
    """torch's legacy rule: ``x[[[0, 1], [2, 2]]]`` (a short list holding sequences, tensors,
    slices, None or ...) means ``x[[0, 1], [2, 2]]``, with a deprecation warning."""
    if len(index) >= 32 or not any(
        isinstance(i, (list, tuple, slice, Tensor, np.ndarray)) or i is None or i is Ellipsis
        for i in index
    ):
        return False
    import warnings  # noqa: PLC0415

    warnings.warn(
        "Using a non-tuple sequence for multidimensional indexing is deprecated and will be "
        "changed in pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will "
        "be interpreted as tensor index, x[torch.tensor(seq)], which will result either in an "
        "error or a different result",
        UserWarning,
        stacklevel=4,
    )
    return True


def _convert_index(index):
    """Tensor indices -> arrays; lists stay lists (NumPy treats them as advanced indices)."""
    if not isinstance(index, tuple):
        if type(index) is list and _sequence_as_tuple(index):
            index = tuple(index)
        else:
            index = (index,)
    out = []
    basic = True
    for i in index:
        if isinstance(i, range):  # d2l's y_hat[range(len(y_hat)), y]
            i = np.arange(i.start, i.stop, i.step, dtype=np.int64)
        if isinstance(i, Tensor):
            arr = i._data
            if arr.dtype.kind == "f":
                raise IndexError(
                    "tensors used as indices must be long, int, byte or bool tensors"
                )
            if arr.ndim == 0 and arr.dtype.kind in "iu":
                out.append(int(arr))
                continue
            out.append(arr)
            basic = False
        elif isinstance(i, (list, np.ndarray)):
            arr = np.asarray([x._data if isinstance(x, Tensor) else x for x in i]) \
                if isinstance(i, list) else i
            if arr.dtype.kind == "f":
                raise IndexError(
                    "tensors used as indices must be long, int, byte or bool tensors"
                )
            out.append(arr)
            basic = False
        elif isinstance(i, (slice, type(None), type(Ellipsis))):
            out.append(i)
        elif isinstance(i, (int, np.integer)) and not isinstance(i, bool):
            out.append(int(i))
        elif isinstance(i, bool):
            out.append(i)
            basic = False
        else:
            raise IndexError(
                "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables "
                f"are valid indices (got {type(i).__name__})"
            )
    return tuple(out), basic


class Index(Op):
    formula = "y = x[idx];  dx = zeros(x.shape) with dy added at idx"

    @staticmethod
    def forward(ctx, x, index, basic):
        ctx.shape, ctx.index, ctx.basic = x.shape, index, basic
        try:
            return x[index]
        except IndexError as e:
            message = str(e).replace(" for axis ", " for dimension ")  # torch's word
            raise IndexError(f"{message} (tensor of shape {list(x.shape)})") from None

    @staticmethod
    def backward(ctx, dy):
        return IndexAddInto.apply(dy, ctx.shape, ctx.index, ctx.basic), None, None


class _Select(Index):
    backward_name = "SelectBackward0"


class _Slice(Index):
    backward_name = "SliceBackward0"


class _Unsqueeze(Index):
    backward_name = "UnsqueezeBackward0"


class _Alias(Index):
    backward_name = "AliasBackward0"


def _basic_index_op(idx: tuple) -> type:
    """torch names a basic-indexing node after its last effective step: x[0] is
    SelectBackward0, x[1:3] SliceBackward0, x[None] UnsqueezeBackward0, x[...] AliasBackward0
    (full slices and ellipses do nothing)."""
    for item in reversed(idx):
        if isinstance(item, int):
            return _Select
        if item is None:
            return _Unsqueeze
        if isinstance(item, slice) and item != slice(None):
            return _Slice
    return _Alias


class IndexAddInto(Op):
    backward_name = "IndexPutBackward0"
    formula = "y = zeros(shape); y[idx] += g;  dg = dy[idx]"

    @staticmethod
    def forward(ctx, g, shape, index, basic):
        ctx.index, ctx.basic = index, basic
        out = np.zeros(shape, dtype=g.dtype)
        if basic:
            out[index] = g
        else:
            np.add.at(out, index, g)
        return out

    @staticmethod
    def backward(ctx, dy):
        return Index.apply(dy, ctx.index, ctx.basic), None, None, None


class IndexPut(Op):
    formula = "y = x with y[idx] = v;  dx = dy with zeros at idx;  dv = sum-to-v(dy[idx])"

    @staticmethod
    def forward(ctx, x, v, index, accumulate):
        ctx.index = index
        y = x.copy()
        target_shape = np.empty(x.shape, dtype=bool)[index].shape
        ctx.target_shape = target_shape
        if accumulate:
            np.add.at(y, index, v)
        else:
            try:
                y[index] = v
            except ValueError:
                raise RuntimeError(
                    f"shape mismatch: value tensor of shape {list(np.shape(v))} cannot be "
                    f"broadcast to indexing result of shape {list(target_shape)}"
                ) from None
        ctx.accumulate = accumulate
        return y

    @staticmethod
    def backward(ctx, dy):
        dx = None
        if ctx.needs_input_grad[0]:
            if ctx.accumulate:
                dx = dy
            else:
                mask = np.ones(dy.shape, dtype=dy._data.dtype)
                mask[ctx.index] = 0
                dx = dy * Tensor._wrap(mask)
        dv = Index.apply(dy, ctx.index, False) if ctx.needs_input_grad[1] else None
        return dx, dv, None, None


def getitem(input: Tensor, index) -> Tensor:
    """``input[index]``: basic indices give views (sharing memory and version), advanced ones
    copies.
    """
    if input._data.ndim == 0 and isinstance(index, (int, np.integer)) and not isinstance(
        index, bool
    ):
        # the torch<=0.3 idiom loss.data[0]: torch's message says what to write instead
        raise IndexError(
            "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
            "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"
        )
    idx, basic = _convert_index(index)
    if not basic:
        return Index.apply(input, idx, basic)
    from .shape import _as_view  # noqa: PLC0415

    op = _basic_index_op(idx)
    return _as_view(op.apply(input, idx, basic), input, op, (idx, basic))


def index_put(input: Tensor, indices, values, accumulate: bool = False) -> Tensor:
    """``input`` with ``input[indices] = values`` (or ``+=`` with ``accumulate``), out of place."""
    idx, _ = _convert_index(tuple(indices))
    v = to_tensor(values)
    if v._data.dtype != input._data.dtype:
        v = v.to(input.dtype)
    return IndexPut.apply(input, v, idx, accumulate)


def setitem(self: Tensor, index, value) -> None:
    """``self[index] = value`` in place (recorded as an IndexPut when grads are involved)."""
    from .inplace import inplace  # noqa: PLC0415

    idx, _ = _convert_index(index)
    if isinstance(value, Tensor):
        v = value if value._data.dtype == self._data.dtype else value.to(self.dtype)
    else:
        v = Tensor._wrap(np.asarray(value, dtype=self._data.dtype))
    if not v._rg and not self._rg:
        try:
            self._data[idx] = v._data
        except ValueError:
            raise RuntimeError(
                f"shape mismatch: value tensor of shape {list(v.shape)} cannot be broadcast to "
                f"indexing result of shape {list(np.empty(self.shape, bool)[idx].shape)}"
            ) from None
        self._vc[0] += 1
        return
    # (v is passed through, not captured: inplace() must see that it requires grad)
    inplace(self, lambda s, val: IndexPut.apply(s, val, idx, False), v)


class Gather(Op):
    formula = "y[i][j] = x[i][index[i][j]] (dim=1);  dx = scatter_add(zeros, index, dy)"

    @staticmethod
    def forward(ctx, x, dim, index):
        ctx.shape, ctx.dim, ctx.index = x.shape, dim, index
        return np.take_along_axis(x, index, axis=dim) if index.shape[:dim] == x.shape[:dim] \
            and index.shape[dim + 1:] == x.shape[dim + 1:] else _gather_any(x, dim, index)

    @staticmethod
    def backward(ctx, dy):
        return None if False else ScatterInto.apply(dy, ctx.index, ctx.dim, ctx.shape), None, None


def _gather_any(x, dim, index):
    # torch allows index smaller than x in dims other than ``dim``
    idx = list(np.ix_(*[np.arange(s) for s in index.shape]))
    idx[dim] = index
    return x[tuple(idx)]


def _full_index(index, dim):
    idx = list(np.ix_(*[np.arange(s) for s in index.shape]))
    idx[dim] = index
    return tuple(idx)


class ScatterInto(Op):
    """zeros(shape) with ``g`` added at ``index`` along ``dim`` (gather's backward)."""

    backward_name = "ScatterAddBackward0"
    formula = "y = zeros; y[..index..] += g;  dg = gather(dy, dim, index)"

    @staticmethod
    def forward(ctx, g, index, dim, shape):
        ctx.index, ctx.dim = index, dim
        out = np.zeros(shape, dtype=g.dtype)
        np.add.at(out, _full_index(index, dim), g)
        return out

    @staticmethod
    def backward(ctx, dy):
        return Gather.apply(dy, ctx.dim, ctx.index), None, None, None


class Scatter(Op):
    formula = "y = x with y[..index..] = src;  dx = dy masked at index;  dsrc = gather(dy)"

    @staticmethod
    def forward(ctx, x, dim, index, src, reduce_add):
        ctx.dim, ctx.index, ctx.reduce_add = dim, index, reduce_add
        y = x.copy()
        full = _full_index(index, dim)
        s = src if np.ndim(src) == 0 else src[tuple(slice(0, n) for n in index.shape)]
        if reduce_add:
            np.add.at(y, full, s)
        else:
            y[full] = s
        return y

    @staticmethod
    def backward(ctx, dy):
        dx = None
        if ctx.needs_input_grad[0]:
            if ctx.reduce_add:
                dx = dy
            else:
                mask = np.ones(dy.shape, dtype=dy._data.dtype)
                mask[_full_index(ctx.index, ctx.dim)] = 0
                dx = dy * Tensor._wrap(mask)
        dsrc = None
        if ctx.needs_input_grad[3]:
            dsrc = Gather.apply(dy, ctx.dim, ctx.index)
        return dx, None, None, dsrc, None


def gather(input: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
    """``out[i][j] = input[i][index[i][j]]`` for dim=1 (and likewise for other dims)."""
    d = norm_dim(dim, input.ndim)
    if index._data.dtype.kind not in "iu":
        raise RuntimeError("gather(): Expected dtype int64 for index")
    if index.ndim != input.ndim:
        raise RuntimeError(
            "Index tensor must have the same number of dimensions as input tensor "
            f"(index {list(index.shape)}, input {list(input.shape)})"
        )
    if input._data.dtype.kind not in "fc":
        return Tensor._wrap(_gather_any(input._data, d, index._data))
    return Gather.apply(input, d, index._data)


def take_along_dim(input: Tensor, indices: Tensor, dim=None) -> Tensor:
    """``gather`` along ``dim``; with ``dim=None`` indices into the flattened input."""
    if dim is None:
        return gather(input.reshape(-1), 0, indices.reshape(-1))
    return gather(input, dim, indices)


def scatter(input: Tensor, dim: int, index: Tensor, src=None, *, value=None, reduce=None):
    """Out-of-place scatter: ``out[index[i][j]][j] = src[i][j]`` for dim=0."""
    d = norm_dim(dim, input.ndim)
    if src is None:
        src = value
    if reduce not in (None, "add", "sum"):
        raise NotImplementedError(f"scatter(reduce='{reduce}') is not supported by chainrule")
    if isinstance(src, Tensor):
        s = src if src._data.dtype == input._data.dtype else src.to(input.dtype)
    else:
        s = Tensor._wrap(np.asarray(src, dtype=input._data.dtype))
    if input._data.dtype.kind not in "fc":
        y = input._data.copy()
        sd = s._data if s.ndim == 0 else s._data[tuple(slice(0, n) for n in index.shape)]
        if reduce:
            np.add.at(y, _full_index(index._data, d), sd)
        else:
            y[_full_index(index._data, d)] = sd
        return Tensor._wrap(y)
    return Scatter.apply(input, d, index._data, s, reduce is not None)


def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """``input`` with ``src`` added at ``index`` along ``dim`` (repeated indices add up)."""
    return scatter(input, dim, index, src, reduce="add")


def scatter_reduce(input, dim, index, src, reduce, *, include_self=True):
    """``scatter`` with a reduction; chainrule supports ``reduce='sum'`` with ``include_self``."""
    if reduce == "sum" and include_self:
        return scatter_add(input, dim, index, src)
    raise NotImplementedError(f"scatter_reduce(reduce='{reduce}') is not supported by chainrule")


def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """The entries of ``index`` (a vector) along ``dim``: shape ``input.shape`` with ``dim``
    replaced by ``len(index)``.
    """
    d = norm_dim(dim, input.ndim)
    idx = to_tensor(index)._data
    if idx.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    return getitem(input, (slice(None),) * d + (Tensor._wrap(idx.reshape(-1)),))


def index_add(input: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha=1) -> Tensor:
    """``input`` with ``alpha * source`` added at ``index`` along ``dim`` (repeats add up)."""
    d = norm_dim(dim, input.ndim)
    idx = (slice(None),) * d + (index._data,)
    return IndexPut.apply(input, source * alpha if alpha != 1 else source, idx, True)


def index_fill(input: Tensor, dim: int, index: Tensor, value) -> Tensor:
    """``value`` in every position whose index along ``dim`` is in ``index`` (a vector)."""
    d = norm_dim(dim, input.ndim)
    if to_tensor(index).ndim > 1:
        raise RuntimeError("Index has to be a vector/scalar")
    mask = np.zeros(input.shape, dtype=bool)
    mask[(slice(None),) * d + (to_tensor(index)._data,)] = True
    return input.masked_fill(Tensor._wrap(mask), value)


def masked_select(input: Tensor, mask: Tensor) -> Tensor:
    """The elements where ``mask`` (broadcast to ``input``) is True, as a 1-D tensor."""
    shape = np.broadcast_shapes(input.shape, mask.shape)
    x = input.expand(shape) if tuple(input.shape) != shape else input
    m = np.broadcast_to(mask._data, shape)
    return getitem(x, Tensor._wrap(m))


def masked_scatter(input: Tensor, mask: Tensor, source: Tensor) -> Tensor:
    """``input`` with the positions where ``mask`` is True filled by ``source``'s elements in order.
    """
    m = np.broadcast_to(mask._data, input.shape)
    n = int(m.sum())
    return index_put(input, (Tensor._wrap(m),), source.reshape(-1)[:n])


def take(input: Tensor, index: Tensor) -> Tensor:
    """Elements of the flattened ``input`` at ``index``; the result has ``index``'s shape."""
    return getitem(input.reshape(-1), index)


