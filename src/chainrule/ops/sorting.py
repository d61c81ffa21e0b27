"""Order statistics and searching: sort/argsort/topk/kthvalue/median/mode (values carry the
gradient through a ``gather`` at the chosen indices), nonzero, unique, searchsorted."""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ._common import norm_dim, to_tensor
from .indexing import gather

__all__ = [
    "sort", "argsort", "msort", "topk", "kthvalue", "median", "mode", "nonzero", "unique",
    "unique_consecutive", "searchsorted", "bucketize",
]


def sort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False):
    """Sorted values and their indices; values carry the gradient through a gather."""
    from ..return_types import sort as sort_result  # noqa: PLC0415

    if input.ndim == 0:
        return sort_result(input.clone(), Tensor._wrap(np.array(0)))
    d = norm_dim(dim, input.ndim)
    x = input._data
    if descending:
        idx = np.flip(np.argsort(np.flip(x, d), axis=d, kind="stable"), d)
        idx = x.shape[d] - 1 - idx
    else:
        idx = np.argsort(x, axis=d, kind="stable")
    idx_t = Tensor._wrap(idx.astype(np.int64))
    return sort_result(gather(input, d, idx_t), idx_t)


def argsort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False):
    """The indices that sort ``input`` along ``dim``."""
    return sort(input, dim, descending, stable).indices


def msort(input: Tensor) -> Tensor:
    """``sort`` along dim 0, values only."""
    return sort(input, 0).values


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True):  # noqa: A002
    """The ``k`` largest (``largest=False``: smallest) values along ``dim`` and their indices; the
    values carry the gradient.
    """
    from ..return_types import topk as topk_result  # noqa: PLC0415

    d = norm_dim(dim, input.ndim)
    if k > (input.shape[d] if input.ndim else 1):
        raise RuntimeError("selected index k out of range")
    s = sort(input, d, descending=largest)
    idx = s.indices.narrow(d, 0, k) if input.ndim else s.indices
    return topk_result(gather(input, d, idx) if input.ndim else input.clone(), idx)


def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False):
    """The k-th smallest value along ``dim`` (1-based ``k``) and its index."""
    from ..return_types import kthvalue as kth_result  # noqa: PLC0415

    d = norm_dim(dim, input.ndim)
    s = sort(input, d)
    idx = s.indices.narrow(d, k - 1, 1)
    vals = gather(input, d, idx)
    if not keepdim:
        vals, idx = vals.squeeze(d), idx.squeeze(d)
    return kth_result(vals, idx)


def median(input: Tensor, dim=None, keepdim: bool = False):
    """The lower median (as torch); with ``dim``, (values, indices)."""
    from ..return_types import median as median_result  # noqa: PLC0415

    if dim is None:
        from .reduction import MedianAll  # noqa: PLC0415

        return MedianAll.apply(input)
    d = norm_dim(dim, input.ndim)
    k = (input.shape[d] - 1) // 2
    r = kthvalue(input, k + 1, d, keepdim)
    return median_result(r.values, r.indices)


def mode(input: Tensor, dim: int = -1, keepdim: bool = False):
    """The most frequent value along ``dim`` (the smallest among equally frequent ones) and
    the index of its last occurrence, as torch on CPU; the values carry the gradient."""
    from ..return_types import mode as mode_result  # noqa: PLC0415

    if input.ndim == 0:
        return mode_result(input.clone(), Tensor._wrap(np.array(0)))
    d = norm_dim(dim, input.ndim)
    x = np.moveaxis(input._data, d, -1)
    n = x.shape[-1]
    order = np.argsort(x, axis=-1, kind="stable")
    s = np.take_along_axis(x, order, -1)
    # run lengths in the sorted rows: the mode is the value with the longest run
    new_run = np.ones(s.shape, dtype=bool)
    new_run[..., 1:] = s[..., 1:] != s[..., :-1]
    run_id = np.cumsum(new_run, axis=-1) - 1
    counts = np.zeros(s.shape, dtype=np.int64)
    flat_rows = counts.reshape(-1, n)
    np.add.at(flat_rows, (np.arange(flat_rows.shape[0])[:, None], run_id.reshape(-1, n)), 1)
    best_run = np.argmax(counts, axis=-1)[..., None]  # first (smallest value) longest run
    in_best = run_id == best_run
    # last occurrence in the original order among the positions holding the mode value
    idx = np.where(in_best, order, -1).max(axis=-1)
    idx_t = Tensor._wrap(np.expand_dims(idx, d).astype(np.int64))
    vals = gather(input, d, idx_t)
    if not keepdim:
        vals, idx_t = vals.squeeze(d), idx_t.squeeze(d)
    return mode_result(vals, idx_t)


def nonzero(input: Tensor, *, as_tuple: bool = False):
    """Indices of the non-zero elements: an (n, ndim) int64 tensor, or one tensor per dim with
    ``as_tuple``.
    """
    nz = np.nonzero(input._data) if input.ndim else np.nonzero(input._data.reshape(1))
    if as_tuple:
        return tuple(Tensor._wrap(i.astype(np.int64)) for i in nz)
    return Tensor._wrap(np.stack(nz, axis=1).astype(np.int64) if nz else
                        np.zeros((0, 0), dtype=np.int64))


def unique(input: Tensor, sorted: bool = True, return_inverse: bool = False,  # noqa: A002
           return_counts: bool = False, dim=None):
    """The sorted distinct values (with ``return_inverse`` / ``return_counts`` as torch)."""
    x = input._data
    res = np.unique(x, return_inverse=return_inverse, return_counts=return_counts, axis=dim)
    if not (return_inverse or return_counts):
        return Tensor._wrap(res)
    out = [Tensor._wrap(res[0])]
    i = 1
    if return_inverse:
        out.append(Tensor._wrap(res[i].reshape(x.shape if dim is None else -1).astype(np.int64)))
        i += 1
    if return_counts:
        out.append(Tensor._wrap(res[i].astype(np.int64)))
    return tuple(out)


def unique_consecutive(input: Tensor, return_inverse=False, return_counts=False, dim=None):
    """Values with consecutive repeats collapsed (flattened input)."""
    x = input._data.reshape(-1)
    if x.size == 0:
        return Tensor._wrap(x)
    keep = np.concatenate([[True], x[1:] != x[:-1]])
    vals = x[keep]
    if not (return_inverse or return_counts):
        return Tensor._wrap(vals)
    out = [Tensor._wrap(vals)]
    if return_inverse:
        out.append(Tensor._wrap((np.cumsum(keep) - 1).reshape(input.shape)))
    if return_counts:
        starts = np.nonzero(keep)[0]
        out.append(Tensor._wrap(np.diff(np.append(starts, x.size)).astype(np.int64)))
    return tuple(out)


def searchsorted(sorted_sequence: Tensor, values, *, right: bool = False, side=None):
    """Insertion points of ``values`` in the last dim of ``sorted_sequence`` (left or right side).
    """
    side = side or ("right" if right else "left")
    v = to_tensor(values)._data
    s = sorted_sequence._data
    if s.ndim == 1:
        return Tensor._wrap(np.searchsorted(s, v, side=side).astype(np.int64))
    out = np.stack([np.searchsorted(a, b, side=side) for a, b in
                    zip(s.reshape(-1, s.shape[-1]), v.reshape(-1, v.shape[-1]))])
    return Tensor._wrap(out.reshape(v.shape).astype(np.int64))


def bucketize(input, boundaries: Tensor, *, right: bool = False):
    """The bucket of each input value for the sorted ``boundaries`` (as ``searchsorted``)."""
    v = to_tensor(input)._data
    return Tensor._wrap(np.searchsorted(boundaries._data, v, side="left" if not right
                                        else "right").astype(np.int64))
