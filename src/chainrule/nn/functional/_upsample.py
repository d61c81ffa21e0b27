"""Resampling: ``interpolate`` (nearest, nearest-exact, linear, bilinear, bicubic, trilinear,
area), the deprecated ``upsample*`` aliases, ``pixel_shuffle`` and ``pixel_unshuffle``.

Every mode except ``area`` is separable: each spatial axis is resampled on its own (the last
axis first, as torch's kernels nest their loops), as a weighted sum of input slices gathered
along that axis: ``y = sum_t w_t * take(x, idx_t, axis)`` (1 tap for nearest, 2 for linear,
4 for cubic). Source positions follow torch's index arithmetic exactly, in the input's dtype
(``float32`` arithmetic for ``float32`` data), so the same pixels are chosen and weighted.
The gather's backward sums gradients into their sources with ``np.add.reduceat`` (index maps
are non-decreasing), and that sum's backward is the gather again.
"""

from __future__ import annotations

import math
import warnings
from functools import lru_cache

import numpy as np

from ..._tensor import Tensor
from ...autograd.function import Op

__all__ = ["interpolate", "pixel_shuffle", "pixel_unshuffle", "upsample", "upsample_bilinear",
           "upsample_nearest"]


class AxisGather(Op):
    formula = "y = take(x, idx, axis);  dx[i] = sum_{o: idx[o] = i} dy[o]"

    @staticmethod
    def forward(ctx, x, idx, axis):
        ctx.idx, ctx.axis, ctx.n = idx, axis, x.shape[axis]
        return np.take(x, idx, axis=axis)

    @staticmethod
    def backward(ctx, dy):
        return AxisSegmentSum.apply(dy, ctx.idx, ctx.axis, ctx.n), None, None


class AxisSegmentSum(Op):
    formula = "dx[i] = sum_{o: idx[o] = i} dy[o] (idx non-decreasing);  d(dy) = take(d(dx), idx)"

    @staticmethod
    def forward(ctx, dy, idx, axis, n):
        ctx.idx, ctx.axis = idx, axis
        starts = np.flatnonzero(np.concatenate(([True], idx[1:] != idx[:-1])))
        sums = np.add.reduceat(dy, starts, axis=axis)
        targets = idx[starts]
        if len(targets) == n:  # every input position is read: sums are already in place
            return sums
        shape = list(dy.shape)
        shape[axis] = n
        out = np.zeros(shape, dtype=dy.dtype)
        out[(slice(None),) * axis + (targets,)] = sums
        return out

    @staticmethod
    def backward(ctx, ddx):
        return AxisGather.apply(ddx, ctx.idx, ctx.axis), None, None, None


# -- torch's source-index arithmetic (aten/src/ATen/native/UpSample.h) -------------------------


def _scale(n_in: int, n_out: int, scale, align_corners: bool, dtype):
    """``area_pixel_compute_scale``: the step between source positions, in ``dtype``."""
    if align_corners:
        return dtype.type(n_in - 1) / dtype.type(n_out - 1) if n_out > 1 else dtype.type(0)
    if scale is not None and scale > 0:
        return dtype.type(1.0 / scale)
    return dtype.type(n_in) / dtype.type(n_out)


@lru_cache(maxsize=256)
def _nearest_index(n_in: int, n_out: int, scale, exact: bool) -> np.ndarray:
    o = np.arange(n_out)
    if n_out == n_in and not exact:
        return o
    if n_out == 2 * n_in and not exact:
        return o >> 1
    s = _scale(n_in, n_out, scale, False, np.dtype(np.float32))  # torch computes it in float
    pos = (o.astype(np.float32) + np.float32(0.5)) * s if exact else o.astype(np.float32) * s
    return np.minimum(np.floor(pos).astype(np.int64), n_in - 1)


def _source(n_in: int, n_out: int, scale, align_corners: bool, dtype, cubic: bool):
    s = _scale(n_in, n_out, scale, align_corners, dtype)
    o = np.arange(n_out).astype(dtype)
    if align_corners:
        return s * o
    src = s * (o + dtype.type(0.5)) - dtype.type(0.5)
    return src if cubic else np.maximum(src, dtype.type(0))


@lru_cache(maxsize=256)
def _linear_taps(n_in: int, n_out: int, scale, align_corners: bool, dtype):
    src = _source(n_in, n_out, scale, align_corners, dtype, False)
    i0 = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    lam = np.clip(src - i0.astype(dtype), 0, 1).astype(dtype)
    i1 = np.minimum(i0 + 1, n_in - 1)
    return [(i0, (1 - lam).astype(dtype)), (i1, lam)]


@lru_cache(maxsize=256)
def _cubic_taps(n_in: int, n_out: int, scale, align_corners: bool, dtype):
    src = _source(n_in, n_out, scale, align_corners, dtype, True)
    base = np.floor(src)
    t = (src - base).astype(dtype)
    A = dtype.type(-0.75)

    def conv1(x):  # |x| <= 1
        return ((A + 2) * x - (A + 3)) * x * x + 1

    def conv2(x):  # 1 < |x| < 2
        return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A

    one = dtype.type(1)
    weights = [conv2(t + one), conv1(t), conv1(one - t), conv2((one - t) + one)]
    base = base.astype(np.int64)
    return [(np.clip(base - 1 + j, 0, n_in - 1), w.astype(dtype)) for j, w in enumerate(weights)]


def _resample_axis(x: Tensor, axis: int, taps) -> Tensor:
    if len(taps) == 1:
        return AxisGather.apply(x, taps[0][0], axis)
    trailing = (1,) * (x.ndim - axis - 1)
    out = None
    for idx, w in taps:
        term = AxisGather.apply(x, idx, axis) * Tensor._wrap(w.reshape((-1,) + trailing))
        out = term if out is None else out + term
    return out


def _output_sizes(input: Tensor, size, scale_factor, recompute_scale_factor, mode):
    dim = input.ndim - 2
    spatial = list(input.shape[2:])
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                raise ValueError(
                    "Input and output must have the same number of spatial dimensions, but got "
                    f"input with spatial dimensions of {spatial} and output size of {size}. "
                    "Please provide input tensor in (N, C, d1, d2, ...,dK) format and output "
                    "size in (o1, o2, ...,oK) format."
                )
            if not all(isinstance(s, (int, np.integer)) for s in size):
                raise TypeError(
                    "expected size to be one of int or Tuple[int] or Tuple[int, int] or "
                    f"Tuple[int, int, int], but got size with types {[type(s) for s in size]}"
                )
            out = [int(s) for s in size]
        else:
            out = [int(size)] * dim
        scales = [None] * dim
    elif scale_factor is not None:
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != dim:
                raise ValueError(
                    "Input and scale_factor must have the same number of spatial dimensions, but "
                    f"got input with spatial dimensions of {spatial} and scale_factor of shape "
                    f"{scale_factor}. Please provide input tensor in (N, C, d1, d2, ...,dK) "
                    "format and scale_factor in (s1, s2, ...,sK) format."
                )
            scales = [float(s) for s in scale_factor]
        else:
            scales = [float(scale_factor)] * dim
        out = [math.floor(n * s) for n, s in zip(spatial, scales)]
        if recompute_scale_factor or mode == "area":
            scales = [None] * dim
    else:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if any(o <= 0 for o in out) and input.numel() > 0:
        raise RuntimeError(
            "Input and output sizes should be greater than 0, but got input "
            f"({', '.join(map(str, spatial))}) and output ({', '.join(map(str, out))})"
        )
    return out, scales


_LINEAR = {3: "linear", 4: "bilinear", 5: "trilinear"}


def interpolate(input: Tensor, size=None, scale_factor=None, mode: str = "nearest",
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
                antialias: bool = False) -> Tensor:
    """Resamples the spatial dims of ``(N, C, *spatial)``, as ``torch.nn.functional.
    interpolate``.

    Give ``size`` (output spatial size) or ``scale_factor`` (output = floor(input * scale);
    the scale itself sets the source step unless ``recompute_scale_factor``). Modes:
    ``nearest`` (source ``floor(o * in / out)``), ``nearest-exact`` (``floor((o + 0.5) *
    in / out)``), ``linear`` / ``bilinear`` / ``trilinear`` (3-D / 4-D / 5-D input; two taps per
    axis, source ``(o + 0.5) * in / out - 0.5`` clamped at 0, or ``o * (in - 1) / (out - 1)``
    with ``align_corners``), ``bicubic`` (4-D, Keys kernel with ``a = -0.75``, edges
    replicated) and ``area`` (adaptive average pooling).
    """
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError(
                "align_corners option can only be set with the interpolating modes: linear | "
                "bilinear | bicubic | trilinear"
            )
    elif align_corners is None:
        align_corners = False
    nd = input.ndim
    if nd not in (3, 4, 5) or mode not in ("nearest", "nearest-exact", "area", "linear",
                                           "bilinear", "trilinear", "bicubic"):
        raise NotImplementedError(
            f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {nd}D) for the modes:"
            f" nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact"
            f" (got {mode})"
        )
    out, scales = _output_sizes(input, size, scale_factor, recompute_scale_factor, mode)
    if antialias:
        raise NotImplementedError("interpolate(antialias=True) is not supported by chainrule")
    if mode == "area":
        from . import _pooling as P

        pool = {3: P.adaptive_avg_pool1d, 4: P.adaptive_avg_pool2d, 5: P.adaptive_avg_pool3d}
        return pool[nd](input, out)
    if mode in ("linear", "bilinear", "trilinear") and mode != _LINEAR[nd]:
        need = {"linear": 3, "bilinear": 4, "trilinear": 5}[mode]
        raise NotImplementedError(f"Got {nd}D input, but {mode} mode needs {need}D input")
    if mode == "bicubic" and nd != 4:
        raise NotImplementedError(f"Got {nd}D input, but bicubic mode needs 4D input")
    x = input
    if mode not in ("nearest", "nearest-exact") and x._data.dtype.kind not in "fc":
        raise RuntimeError(f'"upsample_{mode}" not implemented for '
                           f"'{str(x.dtype)[6:].title()}'")
    dtype = x._data.dtype
    for axis in range(nd - 1, 1, -1):  # innermost axis first, as torch's kernels nest
        n_in, n_out, s = x.shape[axis], out[axis - 2], scales[axis - 2]
        if mode in ("nearest", "nearest-exact"):
            taps = [(_nearest_index(n_in, n_out, s, mode == "nearest-exact"), None)]
        elif mode == "bicubic":
            taps = _cubic_taps(n_in, n_out, s, align_corners, dtype)
        else:
            taps = _linear_taps(n_in, n_out, s, align_corners, dtype)
        x = _resample_axis(x, axis, taps)
    return x if x is not input else input.clone()


def upsample(input: Tensor, size=None, scale_factor=None, mode: str = "nearest",
             align_corners: bool | None = None) -> Tensor:
    """Deprecated alias of :func:`interpolate` (warns, as torch does)."""
    warnings.warn("nn.functional.upsample is deprecated. Use nn.functional.interpolate instead.",
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input: Tensor, size=None, scale_factor=None) -> Tensor:
    """Deprecated: ``interpolate(..., mode='nearest')`` (warns, as torch does)."""
    warnings.warn("nn.functional.upsample_nearest is deprecated. Use nn.functional.interpolate "
                  "instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input: Tensor, size=None, scale_factor=None) -> Tensor:
    """Deprecated: ``interpolate(..., mode='bilinear', align_corners=True)`` (warns)."""
    warnings.warn("nn.functional.upsample_bilinear is deprecated. Use nn.functional.interpolate "
                  "instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """``(*, C r^2, H, W) -> (*, C, H r, W r)``: ``y[c, h r + i, w r + j] = x[c r^2 + i r + j,
    h, w]``, as ``torch.nn.functional.pixel_shuffle`` (a reshape and a permutation)."""
    r = int(upscale_factor)
    if input.ndim < 3:
        raise RuntimeError(
            "pixel_shuffle expects input to have at least 3 dimensions, but got input with "
            f"{input.ndim} dimension(s)"
        )
    if r <= 0:
        raise RuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got {r}")
    *lead, c, h, w = input.shape
    if c % (r * r):
        raise RuntimeError(
            "pixel_shuffle expects its input's 'channel' dimension to be divisible by the square "
            f"of upscale_factor, but input.size(-3)={c} is not divisible by {r * r}"
        )
    k = len(lead)
    x = input.reshape(*lead, c // (r * r), r, r, h, w)
    x = x.permute(*range(k), k, k + 3, k + 1, k + 4, k + 2)
    return x.reshape(*lead, c // (r * r), h * r, w * r)


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """``(*, C, H r, W r) -> (*, C r^2, H, W)``, the inverse of :func:`pixel_shuffle`."""
    r = int(downscale_factor)
    if input.ndim < 3:
        raise RuntimeError(
            "pixel_unshuffle expects input to have at least 3 dimensions, but got input with "
            f"{input.ndim} dimension(s)"
        )
    if r <= 0:
        raise RuntimeError(f"pixel_unshuffle expects a positive downscale_factor, but got {r}")
    *lead, c, h, w = input.shape
    if h % r:
        raise RuntimeError(
            "pixel_unshuffle expects height to be divisible by downscale_factor, but "
            f"input.size(-2)={h} is not divisible by {r}"
        )
    if w % r:
        raise RuntimeError(
            "pixel_unshuffle expects width to be divisible by downscale_factor, but "
            f"input.size(-1)={w} is not divisible by {r}"
        )
    k = len(lead)
    x = input.reshape(*lead, c, h // r, r, w // r, r)
    x = x.permute(*range(k), k, k + 2, k + 4, k + 1, k + 3)
    return x.reshape(*lead, c * r * r, h // r, w // r)
