"""Affine maps: ``linear`` (one fused node, ``chainrule.ops.linalg.linear``) and ``bilinear``."""

from __future__ import annotations

from ..._tensor import Tensor
from ...ops.linalg import linear  # one fused node; called directly: no wrapper on the hot path

__all__ = ["bilinear", "linear"]


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor,
             bias: Tensor | None = None) -> Tensor:
    """``y_k = x1^T A_k x2 + b_k``.

    Shapes: input1 ``(*, in1)``, input2 ``(*, in2)``, weight ``(out, in1, in2)``, bias
    ``(out,)`` -> output ``(*, out)``.
    """
    if input1.shape[:-1] != input2.shape[:-1]:
        raise RuntimeError(
            f"bilinear(): input batch dimensions do not match: got {list(input1.shape[:-1])} "
            f"and {list(input2.shape[:-1])}"
        )
    if weight.ndim != 3:
        raise RuntimeError(f"bilinear(): weight must be a 3D tensor, got {weight.ndim}D")
    if input1.shape[-1] != weight.shape[1]:
        raise RuntimeError(
            f"bilinear(): input1 size does not match weight size: got {input1.shape[-1]} but "
            f"expected {weight.shape[1]}"
        )
    if input2.shape[-1] != weight.shape[2]:
        raise RuntimeError(
            f"bilinear(): input2 size does not match weight size: got {input2.shape[-1]} but "
            f"expected {weight.shape[2]}"
        )
    batch = input1.shape[:-1]
    x1 = input1.reshape(-1, input1.shape[-1])
    x2 = input2.reshape(-1, input2.shape[-1])
    # (B, in1) @ (in1, out*in2) -> (B, out, in2), then contract in2 with x2
    out_features, in1, in2 = weight.shape
    t = (x1 @ weight.permute(1, 0, 2).reshape(in1, out_features * in2)).reshape(
        -1, out_features, in2)
    y = (t * x2.unsqueeze(1)).sum(-1)
    if bias is not None:
        y = y + bias
    return y.reshape(tuple(batch) + (out_features,))
