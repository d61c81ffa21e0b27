"""Loss functions, as in ``torch.nn.functional``: regression (MSE, L1, smooth L1, Huber),
classification (cross entropy, NLL, binary cross entropy with and without logits) and KL
divergence. Margin and embedding losses are in ``_loss_extra``.

``reduction`` is ``'none'`` (per element), ``'mean'`` (default) or ``'sum'``; the deprecated
``size_average``/``reduce`` flags are translated as torch does, with its warning.
Every loss stays finite for logits as large as +-1e4 (log-softmax and softplus are computed
with the max subtracted).
"""

from __future__ import annotations

import warnings

import numpy as np

from ... import ops
from ..._tensor import Tensor
from ...autograd.grad_mode import STATE as _GRAD
from ...ops._common import promote, to_tensor
from . import _loss_ops as L
from ._loss_extra import *
from ._loss_extra import __all__ as _extra_all
from ._loss_reduction import check_reduction, legacy_get_string, reduce_loss

__all__ = [
    "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "cross_entropy", "nll_loss", "kl_div",
] + list(_extra_all)

_DTYPE_WORDS = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char",
                "uint8": "Byte", "bool": "Bool", "float32": "Float", "float64": "Double",
                "float16": "Half"}


def _word(t: Tensor) -> str:
    return _DTYPE_WORDS.get(t._data.dtype.name, t._data.dtype.name)


def _size_warning(input: Tensor, target: Tensor) -> None:
    if target.shape != input.shape:
        warnings.warn(
            f"Using a target size ({target.size()}) that is different to the input size "
            f"({input.size()}). This will likely lead to incorrect results due to "
            "broadcasting. Please ensure they have the same size.",
            stacklevel=3,
        )


def _not_differentiable(fn_name: str, arg: str, t: Tensor | None) -> None:
    if t is not None and t._rg and _GRAD.enabled:
        raise RuntimeError(
            f"The function '{fn_name}' is not differentiable with respect to argument '{arg}'. "
            "This input cannot have requires_grad True."
        )


def _pair(input: Tensor, target) -> tuple[Tensor, Tensor]:
    a, b, _ = promote(input, to_tensor(target))
    return a, b


def _weighted(loss: Tensor, weight: Tensor, input: Tensor, reduction: str,
              mean_by_weight: bool) -> Tensor:
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    loss = loss * weight
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        return loss.sum() / weight.sum() if mean_by_weight else loss.mean()
    raise ValueError(
        f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'."
    )


# -- regression ------------------------------------------------------------------------------


def mse_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
             reduce: bool | None = None, reduction: str = "mean",
             weight: Tensor | None = None) -> Tensor:
    """Mean squared error ``(x - t)^2`` (reduced); one ``MseLossBackward0`` node.

    With ``weight`` (same shape as input), 'mean' is ``sum(w (x - t)^2) / sum(w)``.
    """
    if (weight is None and size_average is None and reduce is None
            and isinstance(input, Tensor) and isinstance(target, Tensor)):
        xd, td = input._data, target._data
        if xd.shape == td.shape and xd.dtype == td.dtype and (
            reduction == "mean" or reduction == "sum" or reduction == "none"
        ):
            # the common call: nothing to convert, warn about or promote
            return L.MseLoss.apply(input, target, reduction)
    target = to_tensor(target)
    _size_warning(input, target)
    if size_average is not None or reduce is not None:
        reduction = legacy_get_string(size_average, reduce)
    x, t = _pair(input, target)
    if weight is not None:
        return _weighted((x - t) ** 2, weight, input, reduction, True)
    return L.MseLoss.apply(x, t, check_reduction(reduction))


def l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
            reduce: bool | None = None, reduction: str = "mean",
            weight: Tensor | None = None) -> Tensor:
    """Mean absolute error ``|x - t|`` (abs'(0) = 0)."""
    target = to_tensor(target)
    _size_warning(input, target)
    if size_average is not None or reduce is not None:
        reduction = legacy_get_string(size_average, reduce)
    x, t = _pair(input, target)
    if weight is not None:
        return _weighted((x - t).abs(), weight, input, reduction, True)
    return reduce_loss((x - t).abs(), reduction)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
                   reduce: bool | None = None, reduction: str = "mean",
                   beta: float = 1.0) -> Tensor:
    """``0.5 d^2 / beta`` where ``|d| < beta``, else ``|d| - beta / 2`` (d = x - t)."""
    target = to_tensor(target)
    _size_warning(input, target)
    if size_average is not None or reduce is not None:
        reduction = legacy_get_string(size_average, reduce)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    x, t = _pair(input, target)
    if beta == 0.0:
        return reduce_loss((x - t).abs(), reduction)
    return L.SmoothL1Loss.apply(x, t, check_reduction(reduction), beta)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Tensor | None = None) -> Tensor:
    """``0.5 d^2`` where ``|d| < delta``, else ``delta (|d| - delta / 2)``.

    With ``weight``, 'mean' is the plain mean of the weighted losses (as torch).
    """
    target = to_tensor(target)
    _size_warning(input, target)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    x, t = _pair(input, target)
    if weight is not None:
        return _weighted(L.HuberLoss.apply(x, t, "none", delta), weight, input, reduction,
                         False)
    return L.HuberLoss.apply(x, t, check_reduction(reduction), delta)


# -- binary classification -------------------------------------------------------------------


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         size_average: bool | None = None, reduce: bool | None = None,
                         reduction: str = "mean") -> Tensor:
    """``-w (t log x + (1 - t) log(1 - x))`` for probabilities x; each log is clamped at -100
    (so x = 0 or 1 gives a finite loss), as torch."""
    target = to_tensor(target)
    if size_average is not None or reduce is not None:
        reduction = legacy_get_string(size_average, reduce)
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size ({target.size()}) that is different to the input size "
            f"({input.size()}) is deprecated. Please ensure they have the same size."
        )
    if target._data.dtype != input._data.dtype:  # torch never casts BCE's target
        raise RuntimeError(f"Found dtype {_word(target)} but expected {_word(input)}")
    _not_differentiable("binary_cross_entropy", "weight", weight)
    x, t = _pair(input, target)
    if weight is not None:
        weight = weight.to(x.dtype).expand(np.broadcast_shapes(tuple(t.shape),
                                                               tuple(weight.shape)))
    return L.BinaryCrossEntropy.apply(x, t, weight, check_reduction(reduction))


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor,
                                     weight: Tensor | None = None,
                                     size_average: bool | None = None,
                                     reduce: bool | None = None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """Sigmoid + binary cross entropy in one stable node:
    ``w ((1 - t) x + (1 + (pw - 1) t) softplus(-x))``; ``pos_weight`` broadcasts over the
    last (class) dimension."""
    target = to_tensor(target)
    if size_average is not None or reduce is not None:
        reduction = legacy_get_string(size_average, reduce)
    if target.shape != input.shape:
        raise ValueError(
            f"Target size ({target.size()}) must be the same as input size ({input.size()})"
        )
    if target._data.dtype.kind == "b":
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    if target._data.dtype.kind in "iu":
        raise RuntimeError(f"result type {_word(input)} can't be cast to the desired output "
                           f"type {_word(target)}")
    _not_differentiable("binary_cross_entropy_with_logits", "weight", weight)
    _not_differentiable("binary_cross_entropy_with_logits", "pos_weight", pos_weight)
    x, t = _pair(input, target)
    if weight is not None:
        weight = weight.to(x.dtype)
    if pos_weight is not None:
        pos_weight = pos_weight.to(x.dtype)
    return L.BinaryCrossEntropyWithLogits.apply(x, t, weight, pos_weight,
                                                check_reduction(reduction))


# -- multi-class classification --------------------------------------------------------------


def _check_class_target(target: Tensor) -> None:
    if target._data.dtype not in (np.int64, np.uint8):
        word = _DTYPE_WORDS.get(target._data.dtype.name, target._data.dtype.name)
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {word}")


def _check_nll_shapes(input: Tensor, target: Tensor, weight: Tensor | None) -> None:
    if input.dim() < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.dim()})")
    if input.dim() <= 2:
        if target.dim() > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        batch = input.shape[0] if input.dim() == 2 else 1
        t_batch = target.shape[0] if target.dim() == 1 else 1
        if input.dim() == 1 and target.dim() == 1 and target.shape[0] != 1:
            raise ValueError(
                f"Expected input batch_size (1) to match target batch_size ({t_batch})."
            )
        if input.dim() == 2 and batch != t_batch:
            raise ValueError(
                f"Expected input batch_size ({batch}) to match target batch_size ({t_batch})."
            )
    else:
        if target.dim() == 0 or input.shape[0] != target.shape[0]:
            t_batch = target.shape[0] if target.dim() else 1
            raise ValueError(
                f"Expected input batch_size ({input.shape[0]}) to match target batch_size "
                f"({t_batch})."
            )
        expected = [input.shape[0]] + list(input.shape[2:])
        if list(target.shape) != expected:
            raise RuntimeError(f"Expected target size {expected}, got {list(target.shape)}")
    n_classes = input.shape[1] if input.dim() >= 2 else input.shape[0]
    if weight is not None and (weight.dim() != 1 or weight.numel() != n_classes):
        raise RuntimeError(
            f"weight tensor should be defined either for all {n_classes} classes or no "
            f"classes but got weight tensor of shape: {list(weight.shape)}"
        )


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
             size_average: bool | None = None, ignore_index: int = -100,
             reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Negative log likelihood of class indices, ``-w[t_n] x[n, t_n]``.

    Shapes: input ``(N, C)``, ``(C,)`` or ``(N, C, d1, ...)``; target ``(N,)``, ``()`` or
    ``(N, d1, ...)`` int64. Targets equal to ``ignore_index`` contribute 0 and do not count;
    'mean' divides by the summed weights of the counted targets (NaN if none count).
    """
    if size_average is not None or reduce is not None:
        reduction = legacy_get_string(size_average, reduce)
    reduction = check_reduction(reduction)
    _check_class_target(target)
    _check_nll_shapes(input, target, weight)
    _not_differentiable("nll_loss_forward", "weight", weight)
    w = None if weight is None else weight._data
    return L.NllLoss.apply(input, target._data, w, ignore_index, reduction)


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                  size_average: bool | None = None, ignore_index: int = -100,
                  reduce: bool | None = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """``nll_loss(log_softmax(input, class_dim), target)``, class_dim = 1 (0 for 1-D input).

    ``target`` holds class indices (shape as input without the class dim) or class
    probabilities (same shape as input, floating). ``label_smoothing`` mixes the target with
    the uniform distribution: ``(1 - eps) * loss + eps * mean_c(-w_c log p_c)``; with class
    indices, 'mean' normalizes the smoothing term by the same summed weights as the NLL term.
    """
    if size_average is not None or reduce is not None:
        reduction = legacy_get_string(size_average, reduce)
    reduction = check_reduction(reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(
            f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}"
        )
    class_dim = 0 if input.dim() == 1 else 1
    _not_differentiable("nll_loss_forward", "weight", weight)
    if input.shape == target.shape:
        return _cross_entropy_probs(input, target, weight, ignore_index, reduction,
                                    label_smoothing, class_dim)
    log_p = ops.log_softmax(input, class_dim)
    loss = nll_loss(log_p, target, weight, None, ignore_index, None, reduction)
    if label_smoothing <= 0.0:
        return loss
    n_classes = input.shape[class_dim]
    ignored = Tensor._wrap(target._data == ignore_index)
    if weight is not None:
        shape = [1] * input.dim()
        shape[class_dim] = n_classes
        smooth = -(log_p * weight.to(log_p.dtype).reshape(shape)).sum(class_dim)
    else:
        smooth = -log_p.sum(class_dim)
    smooth = smooth.masked_fill(ignored, 0.0)
    if reduction == "mean":
        kept = target._data[target._data != ignore_index]
        if weight is not None:
            denom = weight._data[kept.astype(np.int64)].sum()
        else:
            denom = kept.size
        smooth = smooth.sum() / float(denom) if denom != 0 else smooth.sum() / 0.0
    elif reduction == "sum":
        smooth = smooth.sum()
    return loss * (1.0 - label_smoothing) + smooth * (label_smoothing / n_classes)


def _cross_entropy_probs(input: Tensor, target: Tensor, weight, ignore_index: int,
                         reduction: str, label_smoothing: float, class_dim: int) -> Tensor:
    if target._data.dtype.kind != "f":
        word = _DTYPE_WORDS.get(target._data.dtype.name, target._data.dtype.name)
        raise RuntimeError(
            f"Expected floating point type for target with class probabilities, got {word}"
        )
    if ignore_index >= 0:
        raise RuntimeError("ignore_index is not supported for floating point target")
    n_classes = input.shape[class_dim]
    if label_smoothing > 0:
        target = target * (1.0 - label_smoothing) + label_smoothing / n_classes
    log_p = ops.log_softmax(input, class_dim)
    prod = log_p * target
    if weight is not None:
        shape = [1] * input.dim()
        shape[class_dim] = n_classes
        prod = prod * weight.to(log_p.dtype).reshape(shape)
    if reduction == "none":
        return -prod.sum(class_dim)
    if reduction == "sum":
        return -prod.sum()
    return -prod.sum() / (input.numel() // n_classes if n_classes else 0)


# -- divergence ------------------------------------------------------------------------------


def kl_div(input: Tensor, target: Tensor, size_average: bool | None = None,
           reduce: bool | None = None, reduction: str = "mean",
           log_target: bool = False) -> Tensor:
    """Kullback-Leibler divergence with ``input`` = log q: ``t (log t - x)`` (0 where t = 0),
    or ``exp(t) (t - x)`` with ``log_target``. 'batchmean' divides the sum by the batch size
    (the true KL divergence); 'mean' divides by every element (torch warns about it)."""
    target = to_tensor(target)
    if size_average is not None or reduce is not None:
        reduction = legacy_get_string(size_average, reduce)
    else:
        if reduction == "mean":
            warnings.warn(
                "reduction: 'mean' divides the total loss by both the batch size and the "
                "support size.'batchmean' divides only by the batch size, and aligns with the "
                "KL div math definition.'mean' will be changed to behave the same as "
                "'batchmean' in the next major release.",
                stacklevel=2,
            )
    if target._data.dtype.kind in "biu" or input._data.dtype.kind in "biu":
        raise RuntimeError("kl_div: Integral inputs not supported.")
    x, t = _pair(input, target)
    if log_target:
        loss = t.exp() * (t - x)
    else:
        loss = L.XLogX.apply(t) - t * x
    if reduction == "batchmean":
        total = loss.sum()
        return total / input.shape[0] if input.dim() != 0 else total
    return reduce_loss(loss, reduction)
