"""Distances, encodings and sampling: ``one_hot``, ``cosine_similarity``, ``pairwise_distance``,
``pdist``, ``gumbel_softmax``."""

from __future__ import annotations

import numpy as np

from ..._tensor import Tensor

__all__ = ["cosine_similarity", "gumbel_softmax", "one_hot", "pairwise_distance", "pdist"]


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """``(*) int64 -> (*, num_classes) int64`` with a 1 at each index; ``num_classes=-1``
    uses ``max + 1``."""
    data = tensor._data
    if data.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if num_classes == -1:
        if data.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(data.max()) + 1
    if data.size:
        if data.min() < 0:
            raise RuntimeError("Class values must be non-negative.")
        if data.max() >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    out = np.zeros(data.shape + (num_classes,), dtype=np.int64)
    np.put_along_axis(out, data[..., None], 1, axis=-1)
    return Tensor._wrap(out)


def _clamp_no_grad(t: Tensor, eps: float) -> Tensor:
    """``max(t, eps)`` whose gradient is that of ``t`` (torch clamps under no_grad here)."""
    shift = np.maximum(t._data, eps) - t._data
    return t + Tensor._wrap(shift) if shift.any() else t


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """``sum(x1 * x2) / (max(||x1||, eps) * max(||x2||, eps))`` along ``dim`` (each input is
    divided by its norm first, as torch, so the result stays in [-1, 1])."""
    if x1._data.dtype != x2._data.dtype:
        from ...ops._common import promote

        x1, x2, _ = promote(x1, x2)
    if x1.shape != x2.shape:
        shape = np.broadcast_shapes(tuple(x1.shape), tuple(x2.shape))
        x1, x2 = x1.expand(shape), x2.expand(shape)
    n1 = _clamp_no_grad(x1.norm(2, dim, keepdim=True), eps)
    n2 = _clamp_no_grad(x2.norm(2, dim, keepdim=True), eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6,
                      keepdim: bool = False) -> Tensor:
    """``||x1 - x2 + eps||_p`` over the last dimension."""
    ndim = max(x1.dim(), x2.dim())
    return (x1 - x2 + eps).norm(p, ndim - 1, keepdim=keepdim)


def pdist(input: Tensor, p: float = 2.0) -> Tensor:
    """p-norm distances between all pairs of rows of an ``(N, M)`` input: the upper triangle
    of the distance matrix, row by row, shape ``(N (N - 1) / 2,)``."""
    if input.dim() != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.dim()}D")
    n = input.shape[0]
    i, j = np.triu_indices(n, 1)
    diff = input[Tensor._wrap(i)] - input[Tensor._wrap(j)]
    return diff.norm(p, 1)


def gumbel_softmax(logits: Tensor, tau: float = 1, hard: bool = False, eps: float = 1e-10,
                   dim: int = -1) -> Tensor:
    """Samples from the Gumbel-softmax (Concrete) distribution:
    ``softmax((logits + g) / tau)`` with ``g = -log(E)``, ``E ~ Exp(1)`` (torch's draws).
    With ``hard=True`` the result is one-hot in the forward pass and has the soft sample's
    gradient (straight-through: ``y_hard - y_soft.detach() + y_soft``)."""
    import warnings  # noqa: PLC0415

    from ..._random import _stream  # noqa: PLC0415

    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", stacklevel=2)
    dtype = logits._data.dtype
    draws = _stream(None).exponential(logits.shape, 1.0, dtype)
    gumbels = Tensor._wrap(-np.log(draws).astype(dtype, copy=False))
    y_soft = ((logits + gumbels) / tau).softmax(dim)
    if not hard:
        return y_soft
    index = y_soft.max(dim, keepdim=True)[1]
    y_hard = Tensor._wrap(np.zeros(logits.shape, dtype=dtype)).scatter_(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft
