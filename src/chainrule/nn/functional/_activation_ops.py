"""Primitive activation ops: the ones where a composition of Tensor ops would be slower (several
graph nodes for one elementwise function) or less stable (softplus, log-sigmoid).

Each ``backward`` has two paths: without ``create_graph`` (grad mode off, the usual case) it
computes the gradient on raw arrays in one pass; with ``create_graph`` it uses Tensor ops, so
higher derivatives work. Kinks follow torch (noted per op).
"""

from __future__ import annotations

import math

import numpy as np

from ..._tensor import Tensor
from ...autograd.function import Op
from ...autograd.grad_mode import STATE as _GRAD
from ...ops.unary import _erf

_wrap = Tensor._wrap


def _mask(x: Tensor, cond: np.ndarray) -> Tensor:
    return _wrap(cond.astype(x._data.dtype))


class Threshold(Op):
    formula = "y = x if x > t else v;  dx = dy * [x > t]"

    @staticmethod
    def forward(ctx, x, threshold, value):
        ctx.threshold = threshold
        ctx.save_for_backward(x)
        return np.where(x > threshold, x, np.asarray(value, dtype=x.dtype))

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return dy * _mask(x, x._data > ctx.threshold), None, None


class LeakyRelu(Op):
    formula = "y = x if x > 0 else s*x;  dx = dy if x > 0 else s*dy   (slope s at x = 0)"

    @staticmethod
    def forward(ctx, x, slope):
        ctx.slope = slope
        ctx.save_for_backward(x)
        return np.where(x > 0, x, x * x.dtype.type(slope))

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        scale = np.where(x._data > 0, 1.0, ctx.slope).astype(x._data.dtype)
        return dy * _wrap(scale), None


class Hardtanh(Op):
    formula = "y = clamp(x, lo, hi);  dx = dy * [lo < x < hi]   (0 at both ends, as torch)"

    @staticmethod
    def forward(ctx, x, lo, hi):
        ctx.lo, ctx.hi = lo, hi
        ctx.save_for_backward(x)
        return np.clip(x, lo, hi)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        d = x._data
        return dy * _mask(x, (d > ctx.lo) & (d < ctx.hi)), None, None


class Elu(Op):
    formula = ("y = s*x if x > 0 else s*a*(exp(c*x) - 1);  "
               "dx = dy*s if x > 0 else dy*s*a*c*exp(c*x)   (x = 0 takes the exp branch)")

    @staticmethod
    def forward(ctx, x, alpha, scale, input_scale):
        ctx.params = (alpha, scale, input_scale)
        ctx.save_for_backward(x)
        neg = np.expm1(np.minimum(x, 0) * x.dtype.type(input_scale)) * x.dtype.type(alpha)
        return np.where(x > 0, x, neg) * x.dtype.type(scale)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        alpha, scale, c = ctx.params
        d = x._data
        if not _GRAD.enabled:
            neg = np.exp(np.minimum(d, 0) * d.dtype.type(c)) * d.dtype.type(scale * alpha * c)
            return dy * _wrap(np.where(d > 0, d.dtype.type(scale), neg)), None, None, None
        pos = _mask(x, d > 0)
        neg_part = (x.clamp_max(0) * c).exp() * (scale * alpha * c)
        return dy * (pos * scale + (1.0 - pos) * neg_part), None, None, None


class Gelu(Op):
    formula = ("exact: y = x * Phi(x);  dx = dy * (Phi(x) + x * phi(x));  "
               "tanh: y = x/2 * (1 + tanh(k (x + 0.044715 x^3))), k = sqrt(2/pi)")

    @staticmethod
    def forward(ctx, x, approximate):
        ctx.approximate = approximate
        ctx.save_for_backward(x)
        if approximate == "tanh":
            k = x.dtype.type(math.sqrt(2.0 / math.pi))
            inner = k * (x + x.dtype.type(0.044715) * x * x * x)
            return x.dtype.type(0.5) * x * (1 + np.tanh(inner))
        return x * (x.dtype.type(0.5) * (1 + _erf(x * x.dtype.type(math.sqrt(0.5)))))

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        if ctx.approximate == "tanh":
            k, kappa = math.sqrt(2.0 / math.pi), 0.044715
            if not _GRAD.enabled:
                d = x._data
                t = np.tanh(k * (d + kappa * d * d * d))
                deriv = 0.5 * (1 + t) + 0.5 * d * (1 - t * t) * k * (1 + 3 * kappa * d * d)
                return dy * _wrap(deriv.astype(d.dtype, copy=False)), None
            t = ((x + x * x * x * kappa) * k).tanh()
            deriv = (1.0 + t) * 0.5 + x * 0.5 * (1.0 - t * t) * k * (1.0 + x * x * (3 * kappa))
            return dy * deriv, None
        inv_sqrt_2pi = 1.0 / math.sqrt(2.0 * math.pi)
        if not _GRAD.enabled:
            d = x._data
            cdf = 0.5 * (1 + _erf(d * d.dtype.type(math.sqrt(0.5))))
            deriv = cdf + d * np.exp(-0.5 * d * d) * d.dtype.type(inv_sqrt_2pi)
            return dy * _wrap(deriv.astype(d.dtype, copy=False)), None
        cdf = ((x * math.sqrt(0.5)).erf() + 1.0) * 0.5
        return dy * (cdf + x * (x * x * -0.5).exp() * inv_sqrt_2pi), None


def _sigmoid(d: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(d))
    return np.where(d >= 0, 1 / (1 + e), e / (1 + e)).astype(d.dtype, copy=False)


def _softplus(d: np.ndarray) -> np.ndarray:
    """log(1 + exp(d)) without overflow: max(d, 0) + log1p(exp(-|d|))."""
    return np.maximum(d, 0) + np.log1p(np.exp(-np.abs(d)))


class Silu(Op):
    formula = "y = x * sigmoid(x);  dx = dy * s * (1 + x (1 - s)),  s = sigmoid(x)"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * _sigmoid(x)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        if not _GRAD.enabled:
            d = x._data
            s = _sigmoid(d)
            return dy * _wrap(s * (1 + d * (1 - s)))
        s = x.sigmoid()
        return dy * (s * (1.0 + x * (1.0 - s)))


class Mish(Op):
    formula = ("y = x * tanh(softplus(x));  "
               "dx = dy * (t + x * sigmoid(x) * (1 - t^2)),  t = tanh(softplus(x))")

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * np.tanh(_softplus(x))

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        if not _GRAD.enabled:
            d = x._data
            t = np.tanh(_softplus(d))
            return dy * _wrap(t + d * _sigmoid(d) * (1 - t * t))
        t = Softplus.apply(x, 1.0, 20.0).tanh()
        return dy * (t + x * x.sigmoid() * (1.0 - t * t))


class Softplus(Op):
    formula = ("y = log(1 + exp(b x)) / b  (y = x where b x > threshold);  "
               "dx = dy * sigmoid(b x)  (dy where b x > threshold)")

    @staticmethod
    def forward(ctx, x, beta, threshold):
        ctx.beta, ctx.threshold = beta, threshold
        ctx.save_for_backward(x)
        bx = x * x.dtype.type(beta)
        soft = _softplus(bx) / x.dtype.type(beta) if beta != 1 else _softplus(bx)
        return np.where(bx > threshold, x, soft)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        beta, threshold = ctx.beta, ctx.threshold
        bx_raw = x._data * x._data.dtype.type(beta)
        linear = bx_raw > threshold
        if not _GRAD.enabled:
            return dy * _wrap(np.where(linear, 1, _sigmoid(bx_raw)).astype(x._data.dtype)), None, \
                None
        lin = _mask(x, linear)
        return dy * (lin + (1.0 - lin) * (x * beta).sigmoid()), None, None


class LogSigmoid(Op):
    formula = "y = -softplus(-x) = min(x, 0) - log1p(exp(-|x|));  dx = dy * sigmoid(-x)"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        if not _GRAD.enabled:
            return dy * _wrap(_sigmoid(-x._data))
        return dy * (-x).sigmoid()


class Hardsigmoid(Op):
    formula = "y = relu6(x + 3) / 6;  dx = dy / 6 for -3 < x < 3, else 0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.clip(x + 3, 0, 6) / x.dtype.type(6)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        d = x._data
        return dy * _wrap(((d > -3) & (d < 3)).astype(d.dtype) / d.dtype.type(6))


class Hardswish(Op):
    formula = ("y = x * relu6(x + 3) / 6;  dx = 0 for x <= -3, dy (x/3 + 1/2) for -3 < x < 3, "
               "dy for x >= 3")

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * np.clip(x + 3, 0, 6) / x.dtype.type(6)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        d = x._data
        if not _GRAD.enabled:
            deriv = np.where(d <= -3, 0, np.where(d < 3, d / 3 + 0.5, 1)).astype(d.dtype)
            return dy * _wrap(deriv)
        mid = _mask(x, (d > -3) & (d < 3))
        hi = _mask(x, d >= 3)
        return dy * (mid * (x / 3.0 + 0.5) + hi)


class Shrink(Op):
    """Soft (``soft=True``) or hard shrinkage; both pass dy only where |x| > lambda."""

    backward_name = "SoftshrinkBackward0"
    formula = ("softshrink: y = x - l sign(x) for |x| > l, else 0;  hardshrink: y = x for "
               "|x| > l, else 0;  dx = dy * [|x| > l]")

    @staticmethod
    def forward(ctx, x, lambd, soft):
        ctx.lambd = lambd
        ctx.save_for_backward(x)
        keep = (x > lambd) | (x < -lambd)
        if soft:
            return np.where(keep, x - np.sign(x) * x.dtype.type(lambd), 0).astype(x.dtype)
        return np.where(keep, x, 0).astype(x.dtype)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        d = x._data
        return dy * _mask(x, (d > ctx.lambd) | (d < -ctx.lambd)), None, None


class Hardshrink(Shrink):
    backward_name = "HardshrinkBackward0"
