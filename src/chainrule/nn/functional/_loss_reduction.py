"""Loss reductions and the legacy ``size_average``/``reduce`` flags (torch's ``_Reduction``)."""

from __future__ import annotations

import warnings

from ..._tensor import Tensor

__all__: list[str] = []


def check_reduction(reduction: str) -> str:
    """Validates ``reduction``; 'elementwise_mean' is the deprecated spelling of 'mean'."""
    if reduction in ("none", "mean", "sum"):
        return reduction
    if reduction == "elementwise_mean":
        warnings.warn(
            "reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead.",
            stacklevel=3,
        )
        return "mean"
    raise ValueError(f"{reduction} is not a valid value for reduction")


def legacy_get_string(size_average: bool | None, reduce: bool | None,
                      emit_warning: bool = True) -> str:
    """``size_average``/``reduce`` (None counts as True) -> 'mean', 'sum' or 'none'."""
    if size_average is None:
        size_average = True
    if reduce is None:
        reduce = True
    if size_average and reduce:
        ret = "mean"
    elif reduce:
        ret = "sum"
    else:
        ret = "none"
    if emit_warning:
        warnings.warn(
            f"size_average and reduce args will be deprecated, please use reduction='{ret}' "
            "instead.",
            stacklevel=3,
        )
    return ret


def reduce_loss(loss: Tensor, reduction: str) -> Tensor:
    reduction = check_reduction(reduction)
    if reduction == "none":
        return loss
    if reduction == "mean":
        return loss.mean()
    return loss.sum()
