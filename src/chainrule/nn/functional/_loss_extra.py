"""Margin, ranking, embedding and likelihood losses, composed from Tensor ops (torch's
formulas; hinge kinks as torch: ``clamp_min`` passes the gradient at 0, ``relu`` does not)."""

from __future__ import annotations

import math

import numpy as np

from ... import _creation, ops
from ..._tensor import Tensor
from ...ops._common import to_tensor
from ._activation import logsigmoid, softplus
from ._loss_reduction import check_reduction, legacy_get_string, reduce_loss
from ._misc import pairwise_distance

__all__ = [
    "cosine_embedding_loss",
    "gaussian_nll_loss",
    "hinge_embedding_loss",
    "margin_ranking_loss",
    "multi_margin_loss",
    "multilabel_margin_loss",
    "multilabel_soft_margin_loss",
    "poisson_nll_loss",
    "soft_margin_loss",
    "triplet_margin_loss",
    "triplet_margin_with_distance_loss",
]


def _legacy(size_average, reduce, reduction: str) -> str:
    if size_average is not None or reduce is not None:
        return legacy_get_string(size_average, reduce)
    return reduction


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                          size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """``1 - cos(x1, x2)`` for target 1, ``max(0, cos(x1, x2) - margin)`` for target -1
    (cos with 1e-12 added to each squared norm, as torch)."""
    reduction = _legacy(size_average, reduce, reduction)
    tdim = target.dim()
    if tdim not in (0, 1):
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if tdim == 1 and (input1.dim() != 2 or input2.dim() != 2):
        raise RuntimeError(
            "1D target tensor expects 2D input tensors, but found inputs with sizes "
            f"{list(input1.shape)} and {list(input2.shape)}."
        )
    if tdim == 0 and (input1.dim() != 1 or input2.dim() != 1):
        raise RuntimeError(
            "0D target tensor expects 1D input tensors, but found inputs with sizes "
            f"{list(input1.shape)} and {list(input2.shape)}."
        )
    eps = 1e-12
    prod = (input1 * input2).sum(tdim)
    mag1 = (input1 * input1).sum(tdim) + eps
    mag2 = (input2 * input2).sum(tdim) + eps
    cos = prod / (mag1 * mag2).sqrt()
    zeros = _creation.zeros_like(cos)
    pos = ops.where(target == 1, 1.0 - cos, zeros)
    neg = ops.where(target == -1, (cos - margin).clamp_min(0), zeros)
    return reduce_loss(pos + neg, reduction)


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                        size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """``max(0, -y (x1 - x2) + margin)``."""
    reduction = _legacy(size_average, reduce, reduction)
    if input1.dim() != input2.dim() or input1.dim() != target.dim():
        raise RuntimeError(
            "margin_ranking_loss : All input tensors should have same dimension but got sizes: "
            f"input1: {input1.size()}, input2: {input2.size()}, target: {target.size()} "
        )
    return reduce_loss((-target * (input1 - input2) + margin).clamp_min(0), reduction)


def soft_margin_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
                     reduction: str = "mean") -> Tensor:
    """``log(1 + exp(-y x))`` (computed as a stable softplus)."""
    reduction = _legacy(size_average, reduce, reduction)
    return reduce_loss(softplus(-target * input, 1.0, math.inf), reduction)


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                size_average=None, reduce=None,
                                reduction: str = "mean") -> Tensor:
    """``-mean_c(y log sigmoid(x) + (1 - y) log sigmoid(-x))`` per sample."""
    reduction = _legacy(size_average, reduce, reduction)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.dim() - 1
    loss = loss.sum(class_dim) / input.size(class_dim)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    return reduce_loss(loss, reduction)


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0,
                         size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """``x`` where y = 1, ``max(0, margin - x)`` where y = -1."""
    reduction = _legacy(size_average, reduce, reduction)
    zeros = _creation.zeros_like(input)
    margin_part = ops.where(target != 1, (margin - input).clamp_min(0), zeros)
    self_part = ops.where(target != -1, input, zeros)
    return reduce_loss(margin_part + self_part, reduction)


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,
                     size_average=None, eps: float = 1e-8, reduce=None,
                     reduction: str = "mean") -> Tensor:
    """``exp(x) - t x`` (log_input) or ``x - t log(x + eps)``; ``full`` adds Stirling's term
    ``t log t - t + log(2 pi t) / 2`` where t > 1."""
    reduction = check_reduction(_legacy(size_average, reduce, reduction))
    target = to_tensor(target)
    if log_input:
        loss = input.exp() - target * input
    else:
        loss = input - target * (input + eps).log()
    if full:
        safe = target.masked_fill(target <= 1, 1.0)
        stirling = safe * safe.log() - safe + (safe * (2 * math.pi)).log() * 0.5
        loss = loss + stirling.masked_fill(target <= 1, 0.0)
    return reduce_loss(loss, reduction)


def gaussian_nll_loss(input: Tensor, target: Tensor, var: Tensor | float, full: bool = False,
                      eps: float = 1e-6, reduction: str = "mean") -> Tensor:
    """``(log max(var, eps) + (x - t)^2 / max(var, eps)) / 2`` (+ log(2 pi) / 2 if ``full``);
    the clamp does not block var's gradient, as torch."""
    if isinstance(var, (int, float)):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = _creation.ones_like(input) * float(var)
    elif bool((var._data < 0).any()):
        raise ValueError("var has negative entry/entries")
    if var.shape != input.shape:
        if tuple(input.shape[:-1]) == tuple(var.shape):
            var = var.unsqueeze(-1)
        elif input.dim() == var.dim() and sum(
                v for i, v in zip(input.shape, var.shape) if i != v) == 1:
            pass
        else:
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    shift = np.maximum(var._data, eps) - var._data
    var = var + Tensor._wrap(shift) if shift.any() else var
    loss = (var.log() + (input - target) ** 2 / var) * 0.5
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return reduce_loss(loss, reduction)


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor,
                        margin: float = 1.0, p: float = 2, eps: float = 1e-6,
                        swap: bool = False, size_average=None, reduce=None,
                        reduction: str = "mean") -> Tensor:
    """``max(0, margin + d(a, p) - d(a, n))`` with ``d = pairwise_distance``; ``swap`` uses
    ``min(d(a, n), d(p, n))``."""
    reduction = _legacy(size_average, reduce, reduction)
    dims = (anchor.dim(), positive.dim(), negative.dim())
    if len(set(dims)) != 1:
        raise RuntimeError(
            "The anchor, positive, and negative tensors are expected to have the same number "
            f"of dimensions, but got: anchor {dims[0]}D, positive {dims[1]}D, and negative "
            f"{dims[2]}D inputs"
        )
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = ops.minimum(d_neg, pairwise_distance(positive, negative, p, eps))
    return reduce_loss((margin + d_pos - d_neg).clamp_min(0), reduction)


def triplet_margin_with_distance_loss(anchor: Tensor, positive: Tensor, negative: Tensor, *,
                                      distance_function=None, margin: float = 1.0,
                                      swap: bool = False, reduction: str = "mean") -> Tensor:
    """Triplet loss with any ``distance_function(x, y)`` (pairwise_distance by default)."""
    if margin <= 0:
        raise ValueError(f"TripletMarginWithDistanceLoss: expected margin to be greater than 0, "
                         f"got {margin} instead")
    dist = distance_function if distance_function is not None else pairwise_distance
    d_pos = dist(anchor, positive)
    d_neg = dist(anchor, negative)
    if swap:
        d_neg = ops.minimum(d_neg, dist(positive, negative))
    return reduce_loss((margin - d_neg + d_pos).clamp_min(0), reduction)


def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1.0,
                      weight: Tensor | None = None, size_average=None, reduce=None,
                      reduction: str = "mean") -> Tensor:
    """``sum_{i != y} max(0, margin - x[y] + x[i])^p / C`` (times ``weight[y]``)."""
    reduction = _legacy(size_average, reduce, reduction)
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.dim() != 1:
        raise ValueError("weight must be one-dimensional")
    x = input if input.dim() > 1 else input.unsqueeze(0)
    t = target.reshape(-1)
    n_classes = x.shape[1]
    idx = Tensor._wrap(t._data.reshape(-1, 1).astype(np.int64))
    z = (margin - x.gather(1, idx) + x).relu()
    if p == 2:
        z = z * z
    if weight is not None:
        z = z * weight[Tensor._wrap(t._data.astype(np.int64))].unsqueeze(1)
    not_target = np.ones(x.shape, dtype=x._data.dtype)
    np.put_along_axis(not_target, idx._data, 0, 1)
    loss = (z * Tensor._wrap(not_target)).sum(1) / n_classes
    if input.dim() <= 1:
        loss = loss.reshape(target.shape)
    return reduce_loss(loss, reduction)


def multilabel_margin_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
                           reduction: str = "mean") -> Tensor:
    """``sum_{j in targets, i not in targets} max(0, 1 - (x[j] - x[i])) / C``; each row of
    ``target`` lists class indices and ends at the first -1."""
    reduction = _legacy(size_average, reduce, reduction)
    if target._data.dtype != np.int64:
        raise RuntimeError("multilabel_margin_loss: expected target of dtype Long")
    x = input if input.dim() > 1 else input.unsqueeze(0)
    t = target._data.reshape(x.shape)
    n_classes = x.shape[1]
    valid = np.cumprod(t >= 0, axis=1).astype(bool)
    safe = np.where(valid, t, 0)
    is_target = np.zeros(x.shape, dtype=bool)
    rows = np.nonzero(valid)[0]
    is_target[rows, safe[valid]] = True
    x_t = x.gather(1, Tensor._wrap(safe))
    z = (1.0 - x_t.unsqueeze(2) + x.unsqueeze(1)).relu()
    mask = (valid[:, :, None] & ~is_target[:, None, :]).astype(x._data.dtype)
    loss = (z * Tensor._wrap(mask)).sum((1, 2)) / n_classes
    if input.dim() <= 1:
        loss = loss.reshape(())
    return reduce_loss(loss, reduction)
