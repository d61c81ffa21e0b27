"""Primitives whose kinks and tails need care: xlogy, xlog1py, log_ndtr.

Gradients follow torch's conventions: d xlogy/dx = log(y), but 0 where x == 0 and y <= 0;
d xlogy/dy = x / y (so nan at x = y = 0, as torch).
"""

from __future__ import annotations

import math

import numpy as np

from ..autograd.function import Op

__all__ = ["LogNdtr", "XLog1pY", "XLogY"]


class XLogY(Op):
    backward_name = "XlogyBackward0"
    formula = "z = x log y (0 where x = 0);  dx = dz log y (0 where x = 0, y <= 0);  dy = dz x / y"

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = x * np.log(y)
        return np.where((x == 0) & ~np.isnan(y), 0, z).astype(z.dtype, copy=False)

    @staticmethod
    def backward(ctx, dz):
        x, y = ctx.saved_tensors
        gx = gy = None
        if ctx.needs_input_grad[0]:
            gx = (dz * y.log()).masked_fill((x == 0) & (y <= 0), 0.0)
        if ctx.needs_input_grad[1]:
            gy = dz * x / y
        return gx, gy


class XLog1pY(Op):
    backward_name = "Xlog1pyBackward0"
    formula = ("z = x log(1 + y) (0 where x = 0);  dx = dz log1p(y) (0 where x = 0, y <= -1);"
               "  dy = dz x / (1 + y)")

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = x * np.log1p(y)
        return np.where((x == 0) & ~np.isnan(y), 0, z).astype(z.dtype, copy=False)

    @staticmethod
    def backward(ctx, dz):
        x, y = ctx.saved_tensors
        gx = gy = None
        if ctx.needs_input_grad[0]:
            gx = (dz * y.log1p()).masked_fill((x == 0) & (y <= -1), 0.0)
        if ctx.needs_input_grad[1]:
            gy = dz * x / (y + 1.0)
        return gx, gy


def _log_ndtr_np(x: np.ndarray) -> np.ndarray:
    try:
        from scipy.special import log_ndtr

        return log_ndtr(x).astype(x.dtype, copy=False)
    except ImportError:  # pragma: no cover - exercised by the NumPy-only install
        pass
    x64 = x.astype(np.float64)
    # left tail: log Phi(x) = -x^2/2 - log(-x) - log(2 pi)/2 + log(1 - 1/x^2 + 3/x^4 - ...)
    tail = x64 < -20
    xt = np.where(tail, x64, -30.0)
    inv2 = 1.0 / (xt * xt)
    series = 1 - inv2 * (1 - inv2 * (3 - inv2 * (15 - inv2 * (105 - inv2 * 945))))
    asym = -0.5 * xt * xt - np.log(-xt) - 0.5 * math.log(2 * math.pi) + np.log(series)
    erfc = np.vectorize(math.erfc, otypes=[np.float64])  # exact tails without SciPy
    main = np.log(0.5 * erfc(-np.where(tail, 0.0, x64) / math.sqrt(2.0)))
    return np.where(tail, asym, main).astype(x.dtype, copy=False)


class LogNdtr(Op):
    backward_name = "SpecialLogNdtrBackward0"
    formula = "y = log Phi(x);  dx = dy * exp(-x^2/2 - y) / sqrt(2 pi)"

    @staticmethod
    def forward(ctx, x):
        y = _log_ndtr_np(x)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, dy):
        x, y = ctx.saved_tensors
        return dy * (-0.5 * x * x - y).exp() * (1.0 / math.sqrt(2 * math.pi))
