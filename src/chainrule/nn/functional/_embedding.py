"""Embedding lookup: rows of a weight matrix picked by integer indices, one graph node.

The backward scatters ``dy`` back into the rows that were read (rows read twice get the sum);
the ``padding_idx`` row gets no gradient. ``embedding_bag`` reduces bags of rows.
"""

from __future__ import annotations

import numpy as np

from ..._tensor import Tensor
from ...autograd.function import Op
from ...autograd.grad_mode import STATE as _GRAD

__all__ = ["embedding", "embedding_bag"]


class Embedding(Op):
    formula = "y[i] = W[idx[i]];  dW[r] = sum_{i: idx[i] = r} dy[i]  (0 for padding_idx)"

    @staticmethod
    def forward(ctx, weight, indices, padding_idx, scale_grad_by_freq):
        ctx.indices = indices
        ctx.num_rows = weight.shape[0]
        ctx.padding_idx = padding_idx
        ctx.scale_grad_by_freq = scale_grad_by_freq
        return weight[indices]

    @staticmethod
    def backward(ctx, dy):
        flat = ctx.indices.reshape(-1)
        rows = ctx.num_rows
        dim = dy.shape[-1]
        scale = None
        if ctx.scale_grad_by_freq:
            counts = np.bincount(flat, minlength=rows)
            scale = (1.0 / np.maximum(counts, 1))[flat].astype(dy._data.dtype)
        if ctx.padding_idx >= 0:
            keep = (flat != ctx.padding_idx).astype(dy._data.dtype)
            scale = keep if scale is None else scale * keep
        g = dy.reshape(-1, dim)
        if not _GRAD.enabled:
            g_data = g._data if scale is None else g._data * scale[:, None]
            out = np.zeros((rows, dim), dtype=dy._data.dtype)
            np.add.at(out, flat, g_data)
            return Tensor._wrap(out), None, None, None
        if scale is not None:
            g = g * Tensor._wrap(scale[:, None])
        from ..._creation import zeros

        base = zeros((rows, dim), dtype=dy.dtype)
        return base.index_add(0, Tensor._wrap(flat), g), None, None, None


def _check_indices(input: Tensor) -> np.ndarray:
    data = input._data
    if data.dtype not in (np.int64, np.int32):
        raise RuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar "
            f"types: Long, Int; but got {input.type()} instead (while checking arguments for "
            "embedding)"
        )
    return data


def _renorm_(weight: Tensor, indices: np.ndarray, max_norm: float, norm_type: float) -> None:
    """Rescales the looked-up rows with norm above ``max_norm`` in place (outside the graph)."""
    rows = np.unique(indices)
    w = weight._data
    norms = np.linalg.norm(w[rows], ord=norm_type, axis=1)
    big = norms > max_norm
    if big.any():
        w[rows[big]] *= (max_norm / (norms[big] + 1e-7))[:, None].astype(w.dtype)
        weight._vc[0] += 1


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None,
              max_norm: float | None = None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Rows of ``weight`` at ``input``: ``(*) int`` and ``(num_embeddings, dim)`` ->
    ``(*, dim)``. ``max_norm`` renormalizes the looked-up rows of ``weight`` in place first;
    ``scale_grad_by_freq`` divides each row's gradient by its count in ``input``."""
    if sparse:
        raise NotImplementedError("embedding(sparse=True): chainrule has no sparse gradients")
    if padding_idx is not None:
        if padding_idx > 0:
            if padding_idx >= weight.size(0):
                raise AssertionError("Padding_idx must be within num_embeddings")
        elif padding_idx < 0:
            if padding_idx < -weight.size(0):
                raise AssertionError("Padding_idx must be within num_embeddings")
            padding_idx = weight.size(0) + padding_idx
    else:
        padding_idx = -1
    indices = _check_indices(input)
    if indices.size and (indices.min() < 0 or indices.max() >= weight.shape[0]):
        raise IndexError("index out of range in self")
    if max_norm is not None:
        _renorm_(weight, indices, max_norm, norm_type)
    return Embedding.apply(weight, indices.astype(np.int64, copy=False), padding_idx,
                           scale_grad_by_freq)


def embedding_bag(input: Tensor, weight: Tensor, offsets: Tensor | None = None,
                  max_norm: float | None = None, norm_type: float = 2,
                  scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                  per_sample_weights: Tensor | None = None, include_last_offset: bool = False,
                  padding_idx: int | None = None) -> Tensor:
    """Sums, means or maxes of bags of embedding rows: 2-D ``input`` (one bag per row) or
    1-D ``input`` split at ``offsets``."""
    if mode not in ("sum", "mean", "max"):
        raise ValueError("mode has to be one of sum, mean or max")
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(
            "embedding_bag: per_sample_weights was not None. per_sample_weights is only "
            f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
            "the Pytorch GitHub."
        )
    indices = _check_indices(input)
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated "
                             "is a mini-batch of fixed length sequences.")
        n_bags, length = indices.shape
        starts = np.arange(n_bags) * length
        flat = indices.reshape(-1)
        flat_weights = per_sample_weights.reshape(-1) if per_sample_weights is not None \
            else None
    elif input.dim() == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        starts = offsets._data.astype(np.int64)
        if include_last_offset:
            starts = starts[:-1]
        flat = indices
        flat_weights = per_sample_weights
    else:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension "
                         f"{input.dim()}")
    rows = embedding(Tensor._wrap(flat), weight, padding_idx, max_norm, norm_type,
                     scale_grad_by_freq)
    if flat_weights is not None:
        rows = rows * flat_weights.unsqueeze(-1)
    from ... import _creation, ops

    n_bags = starts.shape[0]
    ends = np.append(starts[1:], flat.shape[0]).astype(np.int64)
    bag_of = np.repeat(np.arange(n_bags), ends - starts)
    if padding_idx is not None:
        pad = padding_idx if padding_idx >= 0 else weight.shape[0] + padding_idx
        kept = np.nonzero(flat != pad)[0]
        rows, bag_of = rows[Tensor._wrap(kept)], bag_of[kept]
    counts = np.bincount(bag_of, minlength=n_bags)
    dim = weight.shape[1]
    if mode in ("sum", "mean"):
        out = _creation.zeros((n_bags, dim), dtype=rows.dtype)
        out = out.index_add(0, Tensor._wrap(bag_of), rows)
        if mode == "mean":
            out = out / Tensor._wrap(np.maximum(counts, 1)[:, None].astype(rows._data.dtype))
        return out
    # max: gather each bag's rows into a padded (n_bags, longest, dim) block; pads are -inf
    longest = int(counts.max()) if n_bags else 0
    first = np.concatenate(([0], np.cumsum(counts)[:-1])) if n_bags else counts
    pos = np.arange(bag_of.shape[0]) - first[bag_of]
    index = np.full((n_bags, max(longest, 1)), bag_of.shape[0], dtype=np.int64)
    index[bag_of, pos] = np.arange(bag_of.shape[0])
    padded = ops.cat([rows, _creation.full((1, dim), float("-inf"), dtype=rows.dtype)])
    out = padded[Tensor._wrap(index)].amax(1)
    return out.masked_fill(Tensor._wrap((counts == 0)[:, None]), 0.0)
