"""3-D convolution and pooling over ``(N, C, D, H, W)`` volumes, built from the 2-D kernels.

A 3-D window is a stack of ``kD`` 2-D windows, one per depth offset. So each function takes,
for every depth offset ``kd`` of the kernel, the depth slices that offset meets
(``x[:, :, kd*dD :: sD]``, ``oD`` of them), folds those slices into the batch, runs the 2-D
op on them and combines the ``kD`` results: a sum for convolution, a mean for average
pooling, a max over the stacked results for max pooling (``max(dim)`` sends the gradient to
the first maximum, and the 2-D pool to the first in row-major order, so ties go to the
first element in (d, h, w) scan order, as torch's kernels). The loop runs over the kernel's
depth only (a few steps), never over voxels; the gradients are those of the composed ops.
"""

from __future__ import annotations

import numpy as np

from ..._tensor import Tensor
from ...ops.rearrange import stack
from ._conv import _check_types, _tuple, conv2d
from ._padding import pad as _pad
from ._pooling import avg_pool2d, max_pool2d

__all__ = ["avg_pool3d", "conv3d", "max_pool3d"]


def _batched(input: Tensor, name: str) -> tuple[Tensor, bool]:
    if input.ndim not in (4, 5):
        raise RuntimeError(f"Expected 4D (unbatched) or 5D (batched) input to {name}, but got "
                           f"input of size: {list(input.shape)}")
    return (input, True) if input.ndim == 5 else (input.unsqueeze(0), False)


def _depth_slices(x: Tensor, kd: int, dilation: int, stride: int, out_depth: int) -> Tensor:
    """``(N, C, oD, H, W)``: the depth slices that kernel offset ``kd`` meets."""
    start = kd * dilation
    return x[:, :, start:start + stride * (out_depth - 1) + 1:stride]


def _fold_depth(xs: Tensor) -> Tensor:
    """``(N, C, oD, H, W) -> (N * oD, C, H, W)``."""
    n, c, d, h, w = xs.shape
    return xs.transpose(1, 2).reshape(n * d, c, h, w)


def _unfold_depth(y: Tensor, n: int, d: int) -> Tensor:
    """``(N * oD, C, oH, oW) -> (N, C, oD, oH, oW)``."""
    return y.reshape(n, d, *y.shape[1:]).transpose(1, 2)


def _out_depth(size: int, kernel: int, stride: int, dilation: int, name: str) -> int:
    out = (size - dilation * (kernel - 1) - 1) // stride + 1
    if out < 1:
        raise RuntimeError(f"{name}: output depth would be {out} (padded input depth {size}, "
                           f"kernel {kernel}, dilation {dilation}, stride {stride})")
    return out


def conv3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
           dilation=1, groups: int = 1) -> Tensor:
    """3-D cross-correlation, as ``torch.nn.functional.conv3d``.

    ``y[n, o, t, i, j] = b[o] + sum_{c, r, p, q} W[o, c, r, p, q] x_pad[n, c, t sD + r dD,
    i sH + p dH, j sW + q dW]`` within each group: the sum over ``r`` of 2-D convolutions of
    depth slices with ``W[:, :, r]``.

    Shape: input ``(N, C, D, H, W)`` or ``(C, D, H, W)``; weight ``(O, C/groups, kD, kH, kW)``;
    output ``(N, O, oD, oH, oW)`` with ``oD = (D + 2 pD - dD (kD - 1) - 1) // sD + 1``.
    ``padding`` is an int, a triple, ``'valid'`` or ``'same'`` (stride 1).
    """
    x, batched = _batched(input, "conv3d")
    if weight.ndim != 5:
        raise RuntimeError(f"Expected 5-dimensional weight for 5-dimensional input "
                           f"{list(x.shape)}, but got {weight.ndim}-dimensional weight of size "
                           f"{list(weight.shape)} instead")
    _check_types(x, weight, bias)
    if weight.shape[1] * groups != x.shape[1]:
        raise RuntimeError(
            f"Given groups={groups}, weight of size {list(weight.shape)}, expected input"
            f"{list(x.shape)} to have {weight.shape[1] * groups} channels, but got "
            f"{x.shape[1]} channels instead")
    stride = _tuple(stride, 3, "stride")
    dilation = _tuple(dilation, 3, "dilation")
    kernel = tuple(weight.shape[2:])
    if isinstance(padding, str):
        if padding not in ("same", "valid"):
            raise RuntimeError(f"Invalid padding string: '{padding}'")
        if padding == "same" and any(s != 1 for s in stride):
            raise RuntimeError("padding='same' is not supported for strided convolutions")
        total = dilation[0] * (kernel[0] - 1) if padding == "same" else 0
        depth_pad = (total // 2, total - total // 2)  # torch pads an odd extra at the end
        plane_pad = padding
    else:
        p = _tuple(padding, 3, "padding")
        depth_pad, plane_pad = (p[0], p[0]), p[1:]
    if any(depth_pad):
        x = _pad(x, (0, 0, 0, 0) + depth_pad)
    n = x.shape[0]
    out_depth = _out_depth(x.shape[2], kernel[0], stride[0], dilation[0], "conv3d")
    out = None
    for kd in range(kernel[0]):
        planes = _fold_depth(_depth_slices(x, kd, dilation[0], stride[0], out_depth))
        y = conv2d(planes, weight[:, :, kd], None, stride[1:], plane_pad, dilation[1:], groups)
        out = y if out is None else out + y
    out = _unfold_depth(out, n, out_depth)
    if bias is not None:
        out = out + bias.reshape(1, -1, 1, 1, 1)
    return out if batched else out.squeeze(0)


def _pool_args(kernel_size, stride, padding, name):
    k = _tuple(kernel_size, 3, "kernel_size")
    s = k if stride is None or (not isinstance(stride, int) and len(stride) == 0) else \
        _tuple(stride, 3, "stride")
    p = _tuple(padding, 3, "padding")
    if any(2 * pi > ki for pi, ki in zip(p, k)):
        raise RuntimeError(f"{name}: pad should be at most half of effective kernel size, but "
                           f"got pad={p[0]}, kernel_size={k[0]} and dilation=1")
    return k, s, p


def max_pool3d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
               ceil_mode: bool = False, return_indices: bool = False) -> Tensor:
    """3-D max pooling, as ``torch.nn.functional.max_pool3d``: ``(N, C, D, H, W) ->
    (N, C, oD, oH, oW)``, ``-inf`` padding; ties go to the first voxel in (d, h, w) order.
    ``ceil_mode`` and ``return_indices`` are not supported (NotImplementedError)."""
    if ceil_mode or return_indices:
        raise NotImplementedError("max_pool3d(ceil_mode=True / return_indices=True) is not "
                                  "supported by chainrule")
    x, batched = _batched(input, "max_pool3d")
    k, s, p = _pool_args(kernel_size, stride, padding, "max_pool3d")
    d = _tuple(dilation, 3, "dilation")
    if p[0]:
        x = _pad(x, (0, 0, 0, 0, p[0], p[0]), value=-np.inf)
    n, c = x.shape[:2]
    out_depth = _out_depth(x.shape[2], k[0], s[0], d[0], "max_pool3d")
    planes = []
    for kd in range(k[0]):
        xs = _depth_slices(x, kd, d[0], s[0], out_depth)
        y = max_pool2d(xs.reshape(n, c * out_depth, *xs.shape[3:]), k[1:], s[1:], p[1:], d[1:])
        planes.append(y)
    out = stack(planes, 0).max(0).values if len(planes) > 1 else planes[0]
    out = out.reshape(n, c, out_depth, *out.shape[2:])
    return out if batched else out.squeeze(0)


def avg_pool3d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """3-D average pooling, as ``torch.nn.functional.avg_pool3d``: the mean over ``kD`` depth
    offsets of 2-D window means (zero padding counts in the divisor, torch's default).
    ``ceil_mode``, ``divisor_override`` and ``count_include_pad=False`` with padding are not
    supported (NotImplementedError)."""
    k, s, p = _pool_args(kernel_size, stride, padding, "avg_pool3d")
    if ceil_mode or divisor_override is not None or (not count_include_pad and any(p)):
        raise NotImplementedError("avg_pool3d(ceil_mode=True / divisor_override / "
                                  "count_include_pad=False with padding) is not supported by "
                                  "chainrule")
    x, batched = _batched(input, "avg_pool3d")
    if p[0]:
        x = _pad(x, (0, 0, 0, 0, p[0], p[0]))
    n, c = x.shape[:2]
    out_depth = _out_depth(x.shape[2], k[0], s[0], 1, "avg_pool3d")
    out = None
    for kd in range(k[0]):
        xs = _depth_slices(x, kd, 1, s[0], out_depth)
        y = avg_pool2d(xs.reshape(n, c * out_depth, *xs.shape[3:]), k[1:], s[1:], p[1:])
        out = y if out is None else out + y
    out = (out / k[0]).reshape(n, c, out_depth, *out.shape[2:])
    return out if batched else out.squeeze(0)
