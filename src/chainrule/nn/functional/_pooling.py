"""Pooling: ``max_pool1d/2d``, ``avg_pool1d/2d``, ``lp_pool1d/2d`` and the adaptive pools.

Max and sum over a ``kH x kW`` window are separable: reduce each row segment of ``kW``
columns first (stage 1, over strided views of the padded input, one vectorized op per column
offset), then ``kH`` of those rows (stage 2). No window is ever copied out and no Python loop
touches a pixel or a batch item. Max pooling remembers, per output, which row won (``kh``)
and, per stage-1 segment, which column won (``kw``); its backward routes the gradient back
through the two stages the same way. Ties go to the first maximum in row-major window order
and a NaN wins over numbers (the last NaN, as torch's CPU kernel does).

The backward of each windowed op is an op whose own backward is the forward again (max:
scatter <-> gather; avg: window sum <-> its adjoint), so double backward works.
1-D pools run as 2-D ones with height 1.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..._tensor import Tensor
from ...autograd.function import Op
from ._fold import pad_zeros

__all__ = [
    "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d", "adaptive_max_pool1d",
    "adaptive_max_pool2d",
    "avg_pool1d", "avg_pool2d", "lp_pool1d", "lp_pool2d", "max_pool1d", "max_pool2d",
]


def _out_size(n, k, s, p, d, ceil_mode) -> int:
    """torch's ``pooling_output_shape``: a ceil-mode window must start inside input + left pad."""
    o = (n + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (o - 1) * s >= n + p:
        o -= 1
    return o


class PoolGeometry:
    """Window geometry of a 2-D pool: sizes, and the padding the windows actually read.

    ``pads = (top, bottom, left, right)``; bottom/right grow past the user's padding when
    ``ceil_mode`` lets the last window hang over the edge (those cells never win / add 0).
    """

    __slots__ = (
        "H",
        "Hp",
        "W",
        "Wp",
        "dH",
        "dW",
        "divisor",
        "kH",
        "kW",
        "oH",
        "oW",
        "pH",
        "pW",
        "pads",
        "sH",
        "sW",
    )

    def __init__(self, H, W, kernel, stride, padding, dilation, ceil_mode) -> None:
        self.H, self.W = H, W
        self.kH, self.kW = kernel
        self.sH, self.sW = stride
        self.pH, self.pW = padding
        self.dH, self.dW = dilation
        self.oH = _out_size(H, self.kH, self.sH, self.pH, self.dH, ceil_mode)
        self.oW = _out_size(W, self.kW, self.sW, self.pW, self.dW, ceil_mode)
        need_h = (self.oH - 1) * self.sH + self.dH * (self.kH - 1) + 1
        need_w = (self.oW - 1) * self.sW + self.dW * (self.kW - 1) + 1
        self.pads = (self.pH, max(0, need_h - H - self.pH), self.pW, max(0, need_w - W - self.pW))
        self.Hp = H + self.pads[0] + self.pads[1]
        self.Wp = W + self.pads[2] + self.pads[3]
        self.divisor = None

    def col_views(self, a: np.ndarray):
        """Stage-1 views: for each column offset, (..., rows, oW)."""
        span = self.sW * (self.oW - 1) + 1
        return [a[..., j * self.dW:j * self.dW + span:self.sW] for j in range(self.kW)]

    def row_views(self, a: np.ndarray):
        """Stage-2 views: for each row offset, (..., oH, oW)."""
        span = self.sH * (self.oH - 1) + 1
        return [a[..., i * self.dH:i * self.dH + span:self.sH, :] for i in range(self.kH)]


@lru_cache(maxsize=256)
def _pool_geometry(H, W, kernel, stride, padding, dilation, ceil_mode) -> PoolGeometry:
    return PoolGeometry(H, W, kernel, stride, padding, dilation, ceil_mode)


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _argmax_stage(views):
    """Running max over views, with the index of the first strict maximum per position."""
    if len(views) == 1:
        return views[0], None
    best = np.maximum(views[0], views[1])
    which = np.greater(views[1], views[0]).view(np.int8)
    if len(views) > 2:
        itype = np.int8 if len(views) <= 127 else np.int32
        which = which.astype(itype)
        for j in range(2, len(views)):
            # j exceeds every earlier index, so max() sets it exactly where views[j] wins
            np.maximum(which, np.greater(views[j], best).view(np.int8) * itype(j), out=which)
            np.maximum(best, views[j], out=best)
    return best, which


def _last_nan(views, which, best: np.ndarray):
    """torch's kernel keeps the last NaN of a window: fix the index where the max is NaN."""
    bad = np.isnan(best)
    if which is None or not bad.any():
        return which
    which = which.copy()
    for j, v in enumerate(views):
        which[bad & np.isnan(v)] = j
    return which


def _max_forward(x: np.ndarray, g: PoolGeometry, need_index: bool = True):
    xp = pad_zeros(x, g.pads, _lowest(x.dtype))
    if not need_index:  # inference: the maxima alone
        cols = g.col_views(xp)
        rows = cols[0] if len(cols) == 1 else np.maximum(cols[0], cols[1])
        for v in cols[2:]:
            np.maximum(rows, v, out=rows)
        rv = g.row_views(rows)
        y = rv[0].copy() if len(rv) == 1 else np.maximum(rv[0], rv[1])
        for v in rv[2:]:
            np.maximum(y, v, out=y)
        return y, None, None
    rows, kw = _argmax_stage(g.col_views(xp))
    y, kh = _argmax_stage(g.row_views(rows))
    if y.dtype.kind == "f" and np.isnan(y).any():
        kw = _last_nan(g.col_views(xp), kw, rows)
        kh = _last_nan(g.row_views(rows), kh, y)
    if kh is None and kw is None:  # 1x1 window: y would alias the input
        y = y.copy()
    return y, kh, kw


def _route_back(dy: np.ndarray, views_of, shape, which, disjoint: bool = False,
                axis: int = -1, covered: int = -1) -> np.ndarray:
    """Adds ``dy`` into every view of a zero array of ``shape`` (``which is None``: sums over
    windows) or only into the view ``which`` names per position (max pooling's winner).

    ``disjoint`` views (stride >= window span) are written in place instead of accumulated;
    when they tile ``axis`` up to ``covered`` (>= 0), only the tail past it needs zeros.
    """
    if disjoint and covered >= 0:
        out = np.empty(shape, dtype=dy.dtype)
        if covered < shape[axis]:
            out[(Ellipsis, slice(covered, None)) + (slice(None),) * (-1 - axis)] = 0
    else:
        out = np.zeros(shape, dtype=dy.dtype)
    views = views_of(out)
    for j, view in enumerate(views):
        if which is None:
            view += dy
        elif disjoint:
            mask = which if (j == 1 and len(views) == 2) else (which == j)
            np.multiply(dy, mask, out=view)
        else:
            view += dy * (which == j)
    return out


def _max_scatter(dy: np.ndarray, kh, kw, g: PoolGeometry) -> np.ndarray:
    N, C = dy.shape[:2]
    # windows that tile an axis (stride = kernel, no dilation) leave only its tail uncovered
    rows_tile = g.oH * g.sH if g.dH == 1 and g.sH == g.kH and kh is not None else -1
    cols_tile = g.oW * g.sW if g.dW == 1 and g.sW == g.kW and kw is not None else -1
    d_rows = _route_back(dy, g.row_views, (N, C, g.Hp, g.oW), kh,
                         g.sH >= g.dH * (g.kH - 1) + 1, -2, rows_tile)
    dxp = _route_back(d_rows, g.col_views, (N, C, g.Hp, g.Wp), kw,
                      g.sW >= g.dW * (g.kW - 1) + 1, -1, cols_tile)
    pt, _, pl, _ = g.pads
    return dxp[:, :, pt:pt + g.H, pl:pl + g.W]


def _max_gather(dx: np.ndarray, kh, kw, g: PoolGeometry) -> np.ndarray:
    dxp = pad_zeros(dx, g.pads)
    cols = g.col_views(dxp)
    rows = cols[0].copy() if kw is None else sum(v * (kw == j) for j, v in enumerate(cols))
    rv = g.row_views(rows)
    return rv[0].copy() if kh is None else sum(v * (kh == i) for i, v in enumerate(rv))


def _flat_indices(kh, kw, g: PoolGeometry, shape) -> np.ndarray:
    """Index of each output's winner in its (H*W) input plane, as torch returns it."""
    oh = np.arange(g.oH).reshape(-1, 1)
    ow = np.arange(g.oW)
    row_p = oh * g.sH + (0 if kh is None else kh.astype(np.int64) * g.dH)  # winner's padded row
    col = ow * g.sW - g.pW
    if kw is not None:
        row_b = np.broadcast_to(row_p, shape)
        col = col + np.take_along_axis(kw, row_b, axis=2).astype(np.int64) * g.dW
    return np.ascontiguousarray(np.broadcast_to((row_p - g.pH) * g.W + col, shape))


class MaxPool2dOp(Op):
    backward_name = "MaxPool2DWithIndicesBackward0"
    formula = "y = max over each window;  dx[argmax] += dy (first max in row-major order)"

    @staticmethod
    def forward(ctx, x, g, return_indices):
        y, kh, kw = _max_forward(x, g, bool(return_indices or ctx.needs_input_grad))
        if ctx.needs_input_grad:
            ctx.g = g
            ctx.save_for_backward(kh, kw)
        if return_indices:
            return y, _flat_indices(kh, kw, g, y.shape)
        return y

    @staticmethod
    def backward(ctx, dy, *unused):
        kh, kw = ctx.saved_arrays
        return MaxPoolScatter.apply(dy, kh, kw, ctx.g), None, None


class MaxPoolScatter(Op):
    backward_name = "MaxPool2DWithIndicesBackwardBackward0"
    formula = "dx = dy routed to each window's argmax;  d(dy) = d(dx) gathered at the argmax"

    @staticmethod
    def forward(ctx, dy, kh, kw, g):
        ctx.g, ctx.kh, ctx.kw = g, kh, kw
        return _max_scatter(dy, kh, kw, g)

    @staticmethod
    def backward(ctx, ddx):
        return MaxPoolGather.apply(ddx, ctx.kh, ctx.kw, ctx.g), None, None, None


class MaxPoolGather(Op):
    formula = "y = x at each window's saved argmax;  dx = dy routed to the argmax"

    @staticmethod
    def forward(ctx, x, kh, kw, g):
        ctx.g, ctx.kh, ctx.kw = g, kh, kw
        return _max_gather(x, kh, kw, g)

    @staticmethod
    def backward(ctx, dy):
        return MaxPoolScatter.apply(dy, ctx.kh, ctx.kw, ctx.g), None, None, None


def _divisor(g: PoolGeometry, count_include_pad: bool, divisor_override, dtype) -> np.ndarray:
    if divisor_override is not None:
        return np.asarray(divisor_override, dtype=dtype)

    def sizes(o, s, p, k, n):
        start = np.arange(o) * s - p
        end = np.minimum(start + k, n + p)
        full = end - start
        return full, np.minimum(end, n) - np.maximum(start, 0)

    fh, ch = sizes(g.oH, g.sH, g.pH, g.kH, g.H)
    fw, cw = sizes(g.oW, g.sW, g.pW, g.kW, g.W)
    if count_include_pad:
        return np.multiply.outer(fh, fw).astype(dtype)
    return np.multiply.outer(ch, cw).astype(dtype)


def _window_sum(x: np.ndarray, g: PoolGeometry) -> np.ndarray:
    xp = pad_zeros(x, g.pads)
    cols = g.col_views(xp)
    rows = cols[0].copy()
    for v in cols[1:]:
        rows += v
    rv = g.row_views(rows)
    out = rv[0].copy()
    for v in rv[1:]:
        out += v
    return out


def _window_sum_adjoint(dy: np.ndarray, g: PoolGeometry) -> np.ndarray:
    N, C = dy.shape[:2]
    d_rows = _route_back(dy, g.row_views, (N, C, g.Hp, g.oW), None)
    dxp = _route_back(d_rows, g.col_views, (N, C, g.Hp, g.Wp), None)
    pt, _, pl, _ = g.pads
    return dxp[:, :, pt:pt + g.H, pl:pl + g.W]


class AvgPool2dOp(Op):
    backward_name = "AvgPool2DBackward0"
    formula = "y = sum over window / divisor;  dx = sum over the windows holding x of dy / divisor"

    @staticmethod
    def forward(ctx, x, g, divisor):
        ctx.g, ctx.divisor = g, divisor
        out = _window_sum(x, g)
        out /= divisor
        return out

    @staticmethod
    def backward(ctx, dy):
        return AvgPoolAdjoint.apply(dy, ctx.g, ctx.divisor), None, None


class AvgPoolAdjoint(Op):
    backward_name = "AvgPool2DBackwardBackward0"
    formula = "dx = window-sum adjoint of dy / divisor;  d(dy) = avg_pool(d(dx))"

    @staticmethod
    def forward(ctx, dy, g, divisor):
        ctx.g, ctx.divisor = g, divisor
        return _window_sum_adjoint(dy / divisor, g)

    @staticmethod
    def backward(ctx, ddx):
        return AvgPool2dOp.apply(ddx, ctx.g, ctx.divisor), None, None


# -- argument handling -----------------------------------------------------------------------


def _tuple(v, n: int, name: str, fn: str) -> tuple:
    if isinstance(v, (int, np.integer)):
        return (int(v),) * n
    v = tuple(int(a) for a in v)
    if len(v) == 1:
        return v * n
    if len(v) != n:
        what = "a single int, or a tuple of two ints" if n == 2 else "a single int"
        raise RuntimeError(f"{fn}: {name} must either be {what}")
    return v


def _prepare(input: Tensor, kernel_size, stride, padding, dilation, ceil_mode, nd: int,
             fn: str):
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(
            f"{fn}: Expected {nd + 1}D or {nd + 2}D (batch mode) tensor for input, but got: "
            f"{list(input.shape)}"
        )
    k = _tuple(kernel_size, nd, "kernel_size", fn)
    s = k if stride is None or (not isinstance(stride, int) and len(stride) == 0) else \
        _tuple(stride, nd, "stride", fn)
    p = _tuple(padding, nd, "padding", fn)
    d = _tuple(dilation, nd, "dilation", fn)
    if any(v <= 0 for v in k):
        raise RuntimeError(f"kernel size should be greater than zero, but got {list(k)}")
    if any(v == 0 for v in s):
        raise RuntimeError("stride should not be zero")
    if any(v <= 0 for v in s):
        raise RuntimeError(f"stride should be greater than zero, but got {list(s)}")
    if any(v <= 0 for v in d):
        dd = d * 2 if nd == 1 else d
        raise RuntimeError(
            f"dilation should be greater than zero, but got dilationH: {dd[0]} dilationW: {dd[1]}"
        )
    for kk, pp, dd in zip(k, p, d):
        if pp < 0 or pp > ((kk - 1) * dd + 1) // 2:
            raise RuntimeError(
                f"pad should be at most half of effective kernel size, but got pad={pp}, "
                f"kernel_size={kk} and dilation={dd}"
            )
    batched = input.ndim == nd + 2
    x = input if batched else input.unsqueeze(0)
    if nd == 1:
        x = x.unsqueeze(2)
        k, s, p, d = (1,) + k, (1,) + s, (0,) + p, (1,) + d
    H, W = x.shape[2:]
    g = _pool_geometry(H, W, k, s, p, d, bool(ceil_mode))
    if g.oH < 1 or g.oW < 1:
        C = x.shape[1]
        raise RuntimeError(
            f"Given input size: ({C}x{H}x{W}). Calculated output size: ({C}x{g.oH}x{g.oW}). "
            "Output size is too small"
        )

    def finish(t: Tensor) -> Tensor:
        if nd == 1:
            t = t.squeeze(2)
        return t if batched else t.squeeze(0)

    return x, g, finish


def max_pool2d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
               ceil_mode: bool = False, return_indices: bool = False):
    """2-D max pooling, as ``torch.nn.functional.max_pool2d``.

    ``y[n, c, i, j] = max_{p, q} x_pad[n, c, i*sH + p*dH, j*sW + q*dW]`` with ``-inf`` padding;
    ``stride`` defaults to ``kernel_size``; ``padding`` is at most half the dilated kernel.
    With ``return_indices`` also returns, per output, the flat index ``h * W + w`` of the
    winner in its input plane (ties: first in row-major order).

    Shape: ``(N, C, H, W)`` or ``(C, H, W)`` -> ``(N, C, oH, oW)``,
    ``oH = floor_or_ceil((H + 2 pH - dH (kH - 1) - 1) / sH) + 1``.
    """
    x, g, finish = _prepare(input, kernel_size, stride, padding, dilation, ceil_mode, 2,
                            "max_pool2d")
    out = MaxPool2dOp.apply(x, g, bool(return_indices))
    if return_indices:
        return finish(out[0]), finish(out[1])
    return finish(out)


def max_pool1d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
               ceil_mode: bool = False, return_indices: bool = False):
    """1-D max pooling, as ``torch.nn.functional.max_pool1d``: ``(N, C, L)`` -> ``(N, C, oL)``;
    indices are positions along ``L``."""
    x, g, finish = _prepare(input, kernel_size, stride, padding, dilation, ceil_mode, 1,
                            "max_pool1d")
    out = MaxPool2dOp.apply(x, g, bool(return_indices))
    if return_indices:
        return finish(out[0]), finish(out[1])
    return finish(out)


def _avg(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override,
         nd, fn):
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    x, g, finish = _prepare(input, kernel_size, stride, padding, 1, ceil_mode, nd, fn)
    if x._data.dtype.kind not in "fc":
        raise NotImplementedError(f'"{fn}" not implemented for \'{str(x.dtype)[6:].title()}\'')
    divisor = _divisor(g, bool(count_include_pad), divisor_override, x._data.dtype)
    return finish(AvgPool2dOp.apply(x, g, divisor))


def avg_pool2d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """2-D average pooling, as ``torch.nn.functional.avg_pool2d``.

    ``y = (sum of the window) / divisor`` where the divisor is ``divisor_override`` if given,
    else the window's size clipped to input + padding (``count_include_pad=True``) or to the
    input alone (``False``). Shape as :func:`max_pool2d` (no dilation).
    """
    return _avg(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                divisor_override, 2, "avg_pool2d")


def avg_pool1d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """1-D average pooling, as ``torch.nn.functional.avg_pool1d``."""
    return _avg(input, kernel_size, stride, padding, ceil_mode, count_include_pad, None, 1,
                "avg_pool1d")


def lp_pool2d(input: Tensor, norm_type: float, kernel_size, stride=None,
              ceil_mode: bool = False) -> Tensor:
    """Power-average pooling, as ``torch.nn.functional.lp_pool2d``:
    ``y = (sum over window of x^p)^(1/p)`` (``p = inf`` is max pooling)."""
    from ...ops.pointwise import clamp

    kh, kw = _tuple(kernel_size, 2, "kernel_size", "lp_pool2d")
    out = avg_pool2d(input.pow(norm_type), (kh, kw), stride, 0, ceil_mode)
    return (out.sign() * clamp(out.abs(), min=0)).mul(kh * kw).pow(1.0 / norm_type)


def lp_pool1d(input: Tensor, norm_type: float, kernel_size, stride=None,
              ceil_mode: bool = False) -> Tensor:
    """1-D power-average pooling, as ``torch.nn.functional.lp_pool1d``."""
    from ...ops.pointwise import clamp

    (k,) = _tuple(kernel_size, 1, "kernel_size", "lp_pool1d")
    out = avg_pool1d(input.pow(norm_type), k, stride, 0, ceil_mode)
    return (out.sign() * clamp(out.abs(), min=0)).mul(k).pow(1.0 / norm_type)


from ._pooling_adaptive import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_avg_pool3d,
    adaptive_max_pool1d,
    adaptive_max_pool2d,
)
