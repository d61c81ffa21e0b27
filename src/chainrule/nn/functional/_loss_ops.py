"""Fused loss ops: one graph node for a loss that would otherwise be several, with torch's node
names (``MseLossBackward0``, ``NllLossBackward0`` ...).

``reduction`` is one of ``'none'``, ``'mean'``, ``'sum'``. Each ``backward`` builds the gradient
from the saved inputs with Tensor ops, so ``create_graph=True`` works; the hot ones (MSE, NLL)
also have a raw-array path when no graph is being built.
"""

from __future__ import annotations

import numpy as np

from ..._fp import quiet_fp
from ..._tensor import Tensor
from ...autograd.function import Op
from ...autograd.grad_mode import STATE as _GRAD

_wrap = Tensor._wrap


def _reduce_array(loss: np.ndarray, reduction: str, dtype) -> np.ndarray:
    if reduction == "none":
        return loss
    if reduction == "sum":
        return np.asarray(loss.sum(), dtype=dtype)
    n = loss.size
    if n and loss.dtype.kind == "f" and loss.dtype.itemsize >= 4:
        # ndarray.mean's Python wrapper costs ~2 us on small losses; this is its formula
        # (sum in the array's dtype, then divide; float16 keeps mean's float32 accumulation),
        # with add.reduce called directly (ndarray.sum's wrapper adds ~0.3 us)
        return np.asarray(np.add.reduce(loss, axis=None) / n, dtype=dtype)
    return np.asarray(loss.mean(), dtype=dtype)


def _scale_grad(dy: Tensor, reduction: str, n: int) -> Tensor:
    """The upstream gradient as seen by each element: dy, or dy / n for 'mean'."""
    if reduction == "mean":
        return dy / n
    return dy


def _numel(*tensors: Tensor) -> int:
    """Elements of the broadcast shape of ``tensors``."""
    n = 1
    for s in np.broadcast_shapes(*(t.shape for t in tensors)):
        n *= s
    return n


class MseLoss(Op):
    formula = "l = (x - t)^2 (then mean/sum);  dx = 2 (x - t) dl;  dt = -dx"

    @staticmethod
    def forward(ctx, x, t, reduction):
        diff = x - t
        ctx.reduction = reduction
        ctx.save_for_backward(x, t)
        return _reduce_array(diff * diff, reduction, x.dtype)

    @staticmethod
    def backward(ctx, dy):
        x, t = ctx.saved_tensors
        needs = ctx.needs_input_grad
        if not _GRAD.enabled:
            diff = x._data - t._data
            scale = 2.0 / diff.size if ctx.reduction == "mean" else 2.0
            g = dy * _wrap(diff * diff.dtype.type(scale))
        else:
            g = _scale_grad(dy, ctx.reduction, _numel(x, t)) * (x - t) * 2.0
        return (g if needs[0] else None), (-g if needs[1] else None), None

    @staticmethod
    def backward_arrays(ctx, dy):
        x, t = ctx.saved_arrays
        needs = ctx.needs_input_grad
        diff = x - t
        scale = 2.0 / diff.size if ctx.reduction == "mean" else 2.0
        g = dy * (diff * diff.dtype.type(scale))
        return (g if needs[0] else None), (-g if needs[1] else None), None


def nll_shapes(x: np.ndarray, target: np.ndarray):
    """``x`` as (N, C, *) and ``target`` as (N, *) (1-D input: N = 1)."""
    if x.ndim == 1:
        return x[None], target.reshape(1)
    return x, target


class NllLoss(Op):
    formula = ("l_n = -w[t_n] x[n, t_n] (0 where t_n = ignore_index);  mean: sum_n l_n / "
               "sum_n w[t_n];  dx[n, t_n] = -w[t_n] dl (/ sum w for mean), 0 elsewhere")

    @staticmethod
    def forward(ctx, x, target, weight, ignore_index, reduction):
        xx, tt = nll_shapes(x, target)
        n_classes = xx.shape[1]
        ignored = tt == ignore_index
        any_ignored = bool(np.logical_or.reduce(ignored, axis=None))  # ndarray.any's wrapper
        safe = np.where(ignored, 0, tt) if any_ignored else tt
        bad = (safe < 0) | (safe >= n_classes)
        if bad.any():
            raise IndexError(f"Target {int(safe[bad].flat[0])} is out of bounds.")
        if xx.ndim == 2:  # the common (N, C) case: plain fancy indexing is cheapest
            picked = xx[np.arange(xx.shape[0]), safe]
        else:
            picked = np.take_along_axis(xx, np.expand_dims(safe, 1), 1)[:, 0]
        if weight is not None:
            w = weight[safe].astype(x.dtype, copy=False)
            if any_ignored:
                w = np.where(ignored, 0, w).astype(x.dtype, copy=False)
        elif any_ignored:
            w = (~ignored).astype(x.dtype)
        else:
            w = None
        loss = -picked if w is None else -(w * picked)
        ctx.reduction = reduction
        ctx.x_shape = x.shape
        ctx.safe = safe
        ctx.w = w
        if reduction == "none":
            return loss.reshape(target.shape)
        total = np.add.reduce(loss, axis=None)  # loss.sum() without its Python wrapper
        if reduction == "sum":
            return np.asarray(total, dtype=x.dtype)
        count = w.sum() if w is not None else x.dtype.type(loss.size)
        ctx.total_weight = count
        # every target ignored: 0 / 0 = NaN, as torch
        return np.asarray(total / count if count != 0 else np.nan, dtype=x.dtype)

    @staticmethod
    def backward(ctx, dy):
        shape = ctx.x_shape
        full = (1,) + shape if len(shape) == 1 else shape
        dtype = dy._data.dtype
        coef = np.zeros(full, dtype=dtype)
        neg_w = -ctx.w if ctx.w is not None else np.full(ctx.safe.shape, -1, dtype=dtype)
        if ctx.reduction == "mean":
            total = ctx.total_weight
            neg_w = neg_w / total if total != 0 else np.full_like(neg_w, np.nan)
        neg_w = neg_w.astype(dtype, copy=False)
        if len(full) == 2:
            coef[np.arange(full[0]), ctx.safe] = neg_w
        else:
            np.put_along_axis(coef, np.expand_dims(ctx.safe, 1), np.expand_dims(neg_w, 1), 1)
        if ctx.reduction == "none":
            g = dy.reshape(ctx.safe.shape).unsqueeze(1)
        else:
            g = dy
        grad = g * _wrap(coef)
        if len(shape) == 1:
            grad = grad.reshape(shape)
        return grad, None, None, None, None


class BinaryCrossEntropy(Op):
    formula = ("l = -w (t max(log x, -100) + (1 - t) max(log(1 - x), -100));  "
               "dx = w (x - t) / max(x (1 - x), 1e-12) dl;  dt = w (log(1-x) - log x) dl")

    @staticmethod
    def forward(ctx, x, t, w, reduction):
        if ((x < 0) | (x > 1)).any():
            raise RuntimeError("all elements of input should be between 0 and 1")
        if ((t < 0) | (t > 1)).any():
            raise RuntimeError("all elements of target should be between 0 and 1")
        with quiet_fp():
            log_x = np.maximum(np.log(x), -100)
            log_1mx = np.maximum(np.log1p(-x), -100)
        loss = (t - 1) * log_1mx - t * log_x
        if w is not None:
            loss = loss * w
        ctx.reduction = reduction
        ctx.save_for_backward(x, t, w)
        return _reduce_array(loss.astype(x.dtype, copy=False), reduction, x.dtype)

    @staticmethod
    def backward(ctx, dy):
        x, t, w = ctx.saved_tensors
        needs = ctx.needs_input_grad
        g = _scale_grad(dy, ctx.reduction, _numel(x, t))
        if w is not None:
            g = g * w
        dx = dt = None
        if needs[0]:
            dx = g * (x - t) / (x * (1.0 - x)).clamp_min(1e-12)
        if needs[1]:
            dt = g * ((-x).log1p().clamp_min(-100) - x.log().clamp_min(-100))
        return dx, dt, None, None


class BinaryCrossEntropyWithLogits(Op):
    formula = ("l = w ((1 - t) x + lw softplus(-x)),  lw = 1 + (pw - 1) t;  "
               "dx = w (sigmoid(x) lw - pw t) dl;  dt = w (-x + (pw - 1) softplus(-x)) dl")

    @staticmethod
    def forward(ctx, x, t, w, pw, reduction):
        softplus_neg = np.maximum(-x, 0) + np.log1p(np.exp(-np.abs(x)))
        if pw is not None:
            loss = (1 - t) * x + (1 + (pw - 1) * t) * softplus_neg
        else:
            loss = (1 - t) * x + softplus_neg
        if w is not None:
            loss = loss * w
        ctx.reduction = reduction
        ctx.save_for_backward(x, t, w, pw)
        return _reduce_array(loss.astype(x.dtype, copy=False), reduction, x.dtype)

    @staticmethod
    def backward(ctx, dy):
        x, t, w, pw = ctx.saved_tensors
        needs = ctx.needs_input_grad
        g = _scale_grad(dy, ctx.reduction, _numel(x, t))
        if w is not None:
            g = g * w
        dx = dt = None
        if needs[0]:
            s = x.sigmoid()
            dx = g * ((s * (1.0 + (pw - 1.0) * t) - pw * t) if pw is not None else (s - t))
        if needs[1]:
            if pw is not None:
                softplus_neg = (-x).clamp_min(0) + (-(x.abs())).exp().log1p()
                dt = g * (-x + (pw - 1.0) * softplus_neg)
            else:
                dt = g * -x
        return dx, dt, None, None, None


class XLogX(Op):
    """``x log x`` with 0 at x = 0 (torch's ``xlogy(x, x)``, including its gradient
    ``log x + x / x``, which is NaN at x = 0 as in torch)."""

    backward_name = "XlogyBackward0"
    formula = "y = x log x (0 at x = 0);  dx = dy ([x != 0] log x + x / x)"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with quiet_fp():
            return np.where(x == 0, 0, x * np.log(x)).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        nonzero = x != 0
        log_x = x.masked_fill(~nonzero, 1.0).log()
        return dy * (log_x + x / x)


class SmoothL1Loss(Op):
    formula = ("l = 0.5 d^2 / b if |d| < b else |d| - b/2,  d = x - t;  "
               "dx = clamp(d / b, -1, 1) dl;  dt = -dx")

    @staticmethod
    def forward(ctx, x, t, reduction, beta):
        d = x - t
        ad = np.abs(d)
        loss = np.where(ad < beta, 0.5 * d * d / beta, ad - 0.5 * beta).astype(x.dtype)
        ctx.reduction, ctx.beta = reduction, beta
        ctx.save_for_backward(x, t)
        return _reduce_array(loss, reduction, x.dtype)

    @staticmethod
    def backward(ctx, dy):
        x, t = ctx.saved_tensors
        needs = ctx.needs_input_grad
        g = _scale_grad(dy, ctx.reduction, _numel(x, t)) * ((x - t) / ctx.beta).clamp(-1.0, 1.0)
        return (g if needs[0] else None), (-g if needs[1] else None), None, None


class HuberLoss(Op):
    formula = ("l = 0.5 d^2 if |d| < delta else delta (|d| - delta/2),  d = x - t;  "
               "dx = clamp(d, -delta, delta) dl;  dt = -dx")

    @staticmethod
    def forward(ctx, x, t, reduction, delta):
        d = x - t
        ad = np.abs(d)
        loss = np.where(ad < delta, 0.5 * d * d, delta * (ad - 0.5 * delta)).astype(x.dtype)
        ctx.reduction, ctx.delta = reduction, delta
        ctx.save_for_backward(x, t)
        return _reduce_array(loss, reduction, x.dtype)

    @staticmethod
    def backward(ctx, dy):
        x, t = ctx.saved_tensors
        needs = ctx.needs_input_grad
        delta = ctx.delta
        g = _scale_grad(dy, ctx.reduction, _numel(x, t)) * (x - t).clamp(-delta, delta)
        return (g if needs[0] else None), (-g if needs[1] else None), None, None
