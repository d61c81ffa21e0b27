"""Adaptive pools: ``adaptive_avg_pool1d/2d`` and ``adaptive_max_pool1d/2d``.

Output cell ``i`` of an axis of length ``n`` pooled to ``m`` covers inputs
``[floor(i n / m), ceil((i + 1) n / m))`` (torch's rule; neighbouring windows may overlap).

* Average: separable, so ``y = A_h x A_w^T`` with a constant ``(m, n)`` averaging matrix per
  axis: two matrix products, differentiable (to any order) through matmul.
* Max: when ``n % m == 0`` on both axes it is plain max pooling (kernel = stride = n / m).
  Otherwise a separable running argmax over gathered columns then rows (one vectorized step
  per window offset); backward scatters into the flat input planes with one ``np.add.at``.
"""

from __future__ import annotations

import numpy as np

from ..._tensor import Tensor
from ...autograd.function import Op

__all__ = ["adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d",
           "adaptive_max_pool1d", "adaptive_max_pool2d"]


def _bounds(n: int, m: int):
    i = np.arange(m)
    start = (i * n) // m
    end = -((-(i + 1) * n) // m)
    return start, end


def _avg_matrix(n: int, m: int, dtype) -> np.ndarray:
    start, end = _bounds(n, m)
    pos = np.arange(n)
    inside = (pos >= start[:, None]) & (pos < end[:, None])
    return (inside / (end - start)[:, None]).astype(dtype)


def _sizes(output_size, in_sizes, nd: int, fn: str) -> tuple:
    if isinstance(output_size, (int, np.integer)) or output_size is None:
        output_size = (output_size,) * nd
    output_size = tuple(output_size)
    if len(output_size) != nd:
        raise RuntimeError(f"{fn}: output_size must be {nd}")
    return tuple(n if o is None else int(o) for o, n in zip(output_size, in_sizes))


def _check_input(input: Tensor, nd: int, fn: str) -> None:
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(
            f"{fn}(): Expected {nd + 1}D or {nd + 2}D tensor, but got: {list(input.shape)}"
        )
    if any(s == 0 for s in input.shape[-nd:]):
        raise RuntimeError(
            f"{fn}(): Expected input to have non-zero size for non-batch dimensions, but input "
            f"has sizes {list(input.shape)} with dimension {input.ndim - nd} being empty"
        )


def _const(a: np.ndarray) -> Tensor:
    return Tensor._wrap(a)


def adaptive_avg_pool2d(input: Tensor, output_size) -> Tensor:
    """Average over ``output_size`` adaptive windows, as ``torch.nn.functional.
    adaptive_avg_pool2d``: ``(N, C, H, W)`` or ``(C, H, W)`` -> ``(..., oH, oW)``; a ``None``
    in ``output_size`` keeps that input size."""
    _check_input(input, 2, "adaptive_avg_pool2d")
    H, W = input.shape[-2:]
    oH, oW = _sizes(output_size, (H, W), 2, "adaptive_avg_pool2d")
    if input._data.dtype.kind not in "fc":
        raise NotImplementedError(
            f'"adaptive_avg_pool2d" not implemented for \'{str(input.dtype)[6:].title()}\''
        )
    if oH == 1 and oW == 1:
        return input.mean((-2, -1), keepdim=True)
    dt = input._data.dtype
    x = input
    if oW != W:
        x = x @ _const(_avg_matrix(W, oW, dt).T)
    if oH != H:
        x = _const(_avg_matrix(H, oH, dt)) @ x
    if x is input:
        x = input.clone()
    return x


def adaptive_avg_pool3d(input: Tensor, output_size) -> Tensor:
    """3-D adaptive average pooling: ``(N, C, D, H, W)`` or ``(C, D, H, W)`` ->
    ``(..., oD, oH, oW)``; three averaging-matrix products."""
    _check_input(input, 3, "adaptive_avg_pool3d")
    D, H, W = input.shape[-3:]
    oD, oH, oW = _sizes(output_size, (D, H, W), 3, "adaptive_avg_pool3d")
    if input._data.dtype.kind not in "fc":
        raise NotImplementedError(
            f'"adaptive_avg_pool3d" not implemented for \'{str(input.dtype)[6:].title()}\''
        )
    if oD == 1 and oH == 1 and oW == 1:
        return input.mean((-3, -2, -1), keepdim=True)
    dt = input._data.dtype
    x = input
    if oW != W:
        x = x @ _const(_avg_matrix(W, oW, dt).T)
    if oH != H:
        x = _const(_avg_matrix(H, oH, dt)) @ x
    if oD != D:
        x = (x.transpose(-3, -1) @ _const(_avg_matrix(D, oD, dt).T)).transpose(-3, -1)
    return input.clone() if x is input else x


def adaptive_avg_pool1d(input: Tensor, output_size) -> Tensor:
    """1-D adaptive average pooling: ``(N, C, L)`` or ``(C, L)`` -> ``(..., oL)``."""
    _check_input(input, 1, "adaptive_avg_pool1d")
    (L,) = input.shape[-1:]
    (oL,) = _sizes(output_size, (L,), 1, "adaptive_avg_pool1d")
    if input._data.dtype.kind not in "fc":
        raise NotImplementedError(
            f'"adaptive_avg_pool1d" not implemented for \'{str(input.dtype)[6:].title()}\''
        )
    if oL == 1:
        return input.mean(-1, keepdim=True)
    if oL == L:
        return input.clone()
    return input @ _const(_avg_matrix(L, oL, input._data.dtype).T)


def _window_index(n: int, m: int) -> np.ndarray:
    """(m, kmax) input positions of each window, the short ones padded with their last one."""
    start, end = _bounds(n, m)
    kmax = int((end - start).max())
    return np.minimum(start[:, None] + np.arange(kmax), end[:, None] - 1)


class AdaptiveMaxOp(Op):
    backward_name = "AdaptiveMaxPool2DBackward0"
    formula = "y = max over each adaptive window;  dx[argmax] += dy"

    @staticmethod
    def forward(ctx, x, out_hw, return_indices):
        from ._pooling import _argmax_stage, _last_nan

        H, W = x.shape[2:]
        rows_i = _window_index(H, out_hw[0])
        cols_i = _window_index(W, out_hw[1])
        cviews = [np.take(x, cols_i[:, j], axis=3) for j in range(cols_i.shape[1])]
        rows, kw = _argmax_stage(cviews)
        rviews = [np.take(rows, rows_i[:, i], axis=2) for i in range(rows_i.shape[1])]
        y, kh = _argmax_stage(rviews)
        if y.dtype.kind == "f" and np.isnan(y).any():
            kw = _last_nan(cviews, kw, rows)
            kh = _last_nan(rviews, kh, y)
        if kh is None and kw is None:
            y = y.copy()
        oh = np.arange(out_hw[0])[:, None]
        h = rows_i[oh, 0 if kh is None else kh]  # winner's row, (N, C, oH, oW)
        h = np.broadcast_to(h, y.shape)
        kw_win = 0 if kw is None else np.take_along_axis(kw, h, axis=2)
        idx = h * W + cols_i[np.arange(out_hw[1]), kw_win]
        if ctx.needs_input_grad:
            ctx.shape = x.shape
            ctx.save_for_backward(idx)
        return (y, idx) if return_indices else y

    @staticmethod
    def backward(ctx, dy, *unused):
        (idx,) = ctx.saved_arrays
        return PlaneScatter.apply(dy, idx, ctx.shape), None, None


class PlaneScatter(Op):
    formula = "dx[n, c].flat[idx] += dy[n, c];  d(dy) = d(dx)[n, c].flat[idx]"

    @staticmethod
    def forward(ctx, dy, idx, shape):
        ctx.idx = idx
        N, C = shape[:2]
        plane = int(np.prod(shape[2:]))
        flat = idx.reshape(N * C, -1) + (np.arange(N * C) * plane)[:, None]
        out = np.zeros(N * C * plane, dtype=dy.dtype)
        np.add.at(out, flat.ravel(), dy.ravel())
        return out.reshape(shape)

    @staticmethod
    def backward(ctx, ddx):
        return PlaneGather.apply(ddx, ctx.idx), None, None


class PlaneGather(Op):
    formula = "y[n, c] = x[n, c].flat[idx];  dx[n, c].flat[idx] += dy"

    @staticmethod
    def forward(ctx, x, idx):
        ctx.idx, ctx.shape = idx, x.shape
        N, C = x.shape[:2]
        planes = x.reshape(N, C, -1)
        return np.take_along_axis(planes, idx.reshape(N, C, -1), axis=2).reshape(idx.shape)

    @staticmethod
    def backward(ctx, dy):
        return PlaneScatter.apply(dy, ctx.idx, ctx.shape), None


def _adaptive_max(input: Tensor, output_size, return_indices: bool, nd: int):
    fn = f"adaptive_max_pool{nd}d"
    _check_input(input, nd, fn)
    in_sizes = tuple(input.shape[-nd:])
    out = _sizes(output_size, in_sizes, nd, fn)
    batched = input.ndim == nd + 2
    x = input if batched else input.unsqueeze(0)
    if nd == 1:
        x = x.unsqueeze(2)
        in_sizes, out = (1,) + in_sizes, (1,) + out
    if all(o > 0 and n % o == 0 for n, o in zip(in_sizes, out)):
        from ._pooling import max_pool2d

        k = tuple(n // o for n, o in zip(in_sizes, out))
        result = max_pool2d(x, k, k, 0, 1, False, return_indices)
    else:
        result = AdaptiveMaxOp.apply(x, out, bool(return_indices))

    def finish(t: Tensor) -> Tensor:
        if nd == 1:
            t = t.squeeze(2)
        return t if batched else t.squeeze(0)

    if return_indices:
        return finish(result[0]), finish(result[1])
    return finish(result)


def adaptive_max_pool2d(input: Tensor, output_size, return_indices: bool = False):
    """Max over ``output_size`` adaptive windows, as ``torch.nn.functional.
    adaptive_max_pool2d`` (ties: first in row-major order); indices are flat ``h * W + w``."""
    return _adaptive_max(input, output_size, return_indices, 2)


def adaptive_max_pool1d(input: Tensor, output_size, return_indices: bool = False):
    """1-D adaptive max pooling: ``(N, C, L)`` or ``(C, L)`` -> ``(..., oL)``."""
    return _adaptive_max(input, output_size, return_indices, 1)
