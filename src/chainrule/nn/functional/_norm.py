"""Normalization: layer, batch, group, instance, RMS and local-response norm.

Layer and batch norm are single fused ops (normalize over ``axes``, then scale and shift):

    mu = mean(x), var = mean((x - mu)^2)   over the normalized axes (biased variance)
    x_hat = (x - mu) / sqrt(var + eps),   y = x_hat * w + b
    dx = rstd * (g - mean(g) - x_hat * mean(g * x_hat)),  g = dy * w
    dw = sum(dy * x_hat),  db = sum(dy)   over the axes the parameters are shared along

In batch norm's eval mode the statistics are constants (the running estimates), so
``dx = dy * w * rstd``. Group and instance norm reuse these ops on reshaped inputs.
"""

from __future__ import annotations

import math

import numpy as np

from ... import _creation, ops
from ..._tensor import Tensor
from ...autograd.function import Op
from ...autograd.grad_mode import STATE as _GRAD

__all__ = [
    "batch_norm",
    "group_norm",
    "instance_norm",
    "layer_norm",
    "local_response_norm",
    "rms_norm",
]


def _param_axes(ndim: int, param_shape: tuple) -> tuple:
    """Axes of a ``ndim`` array along which a parameter of broadcast shape is shared."""
    return tuple(i for i in range(ndim) if param_shape[i] == 1)


class _Normalize(Op):
    """Normalizes over ``axes`` (statistics from the batch, or constant ``stats``)."""

    @staticmethod
    def forward(ctx, x, w, b, axes, view, eps, stats=None, stats_out=None):
        if stats is None:
            mu = x.mean(axis=axes, keepdims=True)
            centered = x - mu
            var = (centered * centered).mean(axis=axes, keepdims=True)
            if stats_out is not None:
                stats_out["mean"], stats_out["var"] = mu, var
        else:
            mu, var = stats
            centered = x - mu
        rstd = (1.0 / np.sqrt(var + eps)).astype(x.dtype, copy=False)
        y = centered * rstd
        if w is not None:
            y *= w.reshape(view)
        if b is not None:
            y += b.reshape(view)
        ctx.axes, ctx.view, ctx.eps = axes, view, eps
        ctx.batch_stats = stats is None
        ctx.mu, ctx.rstd = mu, rstd
        ctx.save_for_backward(x, w)
        return y

    @staticmethod
    def backward(ctx, dy):
        x, w = ctx.saved_tensors
        needs = ctx.needs_input_grad
        axes, view = ctx.axes, ctx.view
        p_axes = _param_axes(x.ndim, view)
        if not _GRAD.enabled:
            d = dy._data
            x_hat = (x._data - ctx.mu) * ctx.rstd
            g = d * w._data.reshape(view) if w is not None else d
            dx = None
            if needs[0]:
                if ctx.batch_stats:
                    dx = ctx.rstd * (g - g.mean(axis=axes, keepdims=True)
                                     - x_hat * (g * x_hat).mean(axis=axes, keepdims=True))
                else:
                    dx = g * ctx.rstd
                dx = Tensor._wrap(dx.astype(d.dtype, copy=False))
            dw = Tensor._wrap((d * x_hat).sum(axis=p_axes).reshape(w.shape)) \
                if needs[1] else None
            db = Tensor._wrap(d.sum(axis=p_axes).reshape(ctx.view_b_shape)) \
                if needs[2] else None
            return dx, dw, db, None, None, None
        # create_graph: the same formulas with Tensor ops, statistics recomputed from x
        if ctx.batch_stats:
            mu = x.mean(axes, keepdim=True)
            centered = x - mu
            rstd = ((centered * centered).mean(axes, keepdim=True) + ctx.eps).rsqrt()
        else:
            centered = x - Tensor._wrap(ctx.mu)
            rstd = Tensor._wrap(ctx.rstd)
        x_hat = centered * rstd
        g = dy * w.reshape(view) if w is not None else dy
        dx = None
        if needs[0]:
            if ctx.batch_stats:
                dx = rstd * (g - g.mean(axes, keepdim=True)
                             - x_hat * (g * x_hat).mean(axes, keepdim=True))
            else:
                dx = g * rstd
        dw = (dy * x_hat).sum(p_axes).reshape(w.shape) if needs[1] else None
        db = dy.sum(p_axes).reshape(ctx.view_b_shape) if needs[2] else None
        return dx, dw, db, None, None, None


class NativeLayerNorm(_Normalize):
    formula = ("y = (x - mean) / sqrt(var + eps) * w + b over the last dims;  "
               "dx = rstd (g - mean(g) - x_hat mean(g x_hat)), g = dy w")


class NativeBatchNorm(_Normalize):
    formula = ("y = (x - mean_c) / sqrt(var_c + eps) * w_c + b_c, statistics per channel over "
               "batch and spatial dims;  dx as layer norm (eval: dx = dy w rstd)")


def _apply_norm(op, x: Tensor, w, b, axes, view, eps, stats=None, stats_out=None) -> Tensor:
    # the bias gradient's shape, kept on the node (b may be None while w is not)
    out = op.apply(x, w, b, axes, view, eps, stats=stats, stats_out=stats_out)
    if out.grad_fn is not None:
        out.grad_fn.view_b_shape = tuple(b.shape) if b is not None else None
    return out


def layer_norm(input: Tensor, normalized_shape, weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Normalizes over the last ``len(normalized_shape)`` dims, then ``* weight + bias``
    (both of shape ``normalized_shape``)."""
    if isinstance(normalized_shape, int):
        normalized_shape = (normalized_shape,)
    normalized_shape = tuple(int(s) for s in normalized_shape)
    k = len(normalized_shape)
    if k == 0 or tuple(input.shape[input.dim() - k:]) != normalized_shape or input.dim() < k:
        raise RuntimeError(
            f"Given normalized_shape={list(normalized_shape)}, expected input with shape "
            f"[*, {', '.join(map(str, normalized_shape))}], but got input of size"
            f"{list(input.shape)}"
        )
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None and tuple(p.shape) != normalized_shape:
            raise RuntimeError(
                f"Expected {name} to be of same shape as normalized_shape, but got {name} of "
                f"shape {p.shape} and normalized_shape = {list(normalized_shape)}"
            )
    axes = tuple(range(input.dim() - k, input.dim()))
    view = (1,) * (input.dim() - k) + normalized_shape
    return _apply_norm(NativeLayerNorm, input, weight, bias, axes, view, eps)


def _update_running(running: Tensor, batch_value: np.ndarray, momentum: float) -> None:
    data = running._data
    data *= data.dtype.type(1.0 - momentum)
    data += (batch_value.reshape(data.shape) * momentum).astype(data.dtype, copy=False)
    running._vc[0] += 1


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
               weight: Tensor | None = None, bias: Tensor | None = None,
               training: bool = False, momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Per-channel normalization of ``(N, C, *)`` input.

    Training: batch statistics (biased variance) normalize, and the running estimates move
    ``running = (1 - momentum) running + momentum * batch`` (the unbiased variance,
    ``n / (n - 1)`` times the biased one). Eval: the running estimates normalize.
    """
    if input.dim() < 2:
        raise ValueError(f"Expected 2D or more input (got {input.dim()}D input)")
    n_channels = input.shape[1]
    if training:
        size = tuple(input.shape)
        count = size[0] * math.prod(size[2:])
        if count == 1:
            raise ValueError(
                f"Expected more than 1 value per channel when training, got input size "
                f"{input.size()}"
            )
    elif running_mean is None or running_var is None:
        raise RuntimeError("running_mean and running_var must be defined in evaluation mode")
    for name, t in (("weight", weight), ("bias", bias), ("running_mean", running_mean),
                    ("running_var", running_var)):
        if t is not None and t.numel() != n_channels:
            raise RuntimeError(
                f"{name} should contain {n_channels} elements not {t.numel()}"
            )
    axes = (0,) + tuple(range(2, input.dim()))
    view = (1, n_channels) + (1,) * (input.dim() - 2)
    dtype = input._data.dtype
    if not training:
        stats = (running_mean._data.reshape(view).astype(dtype, copy=False),
                 running_var._data.reshape(view).astype(dtype, copy=False))
        return _apply_norm(NativeBatchNorm, input, weight, bias, axes, view, eps, stats=stats)
    stats_out: dict = {}
    out = _apply_norm(NativeBatchNorm, input, weight, bias, axes, view, eps,
                      stats_out=stats_out)
    if running_mean is not None:
        _update_running(running_mean, stats_out["mean"], momentum)
    if running_var is not None:
        n = input.numel() // n_channels
        _update_running(running_var, stats_out["var"] * (n / max(n - 1, 1)), momentum)
    return out


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Normalizes each group of ``C / num_groups`` channels (with all spatial positions) of
    each sample, then applies per-channel ``weight`` and ``bias``."""
    if input.dim() < 2:
        raise RuntimeError(
            f"Expected at least 2 dimensions for input tensor but received {input.dim()}"
        )
    n, c = input.shape[0], input.shape[1]
    if c % num_groups != 0:
        raise RuntimeError(
            f"Expected number of channels in input to be divisible by num_groups, but got "
            f"input of shape {list(input.shape)} and num_groups={num_groups}"
        )
    grouped = input.reshape(n, num_groups, -1)
    normed = _apply_norm(NativeLayerNorm, grouped, None, None, (2,), (1, 1, 1), eps)
    out = normed.reshape(input.shape)
    view = (1, c) + (1,) * (input.dim() - 2)
    if weight is not None:
        out = out * weight.reshape(view)
    if bias is not None:
        out = out + bias.reshape(view)
    return out


def instance_norm(input: Tensor, running_mean: Tensor | None = None,
                  running_var: Tensor | None = None, weight: Tensor | None = None,
                  bias: Tensor | None = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalizes each channel of each sample over its spatial positions (batch norm on the
    input seen as one sample of ``N * C`` channels, as torch computes it)."""
    if input.dim() < 3:
        raise ValueError(
            f"Expected 2D (unbatched) or 3D (batched) input to instance_norm, but got input of "
            f"size: {input.size()}"
        )
    if use_input_stats:
        spatial = math.prod(input.shape[2:])
        if spatial == 1:
            raise ValueError(
                f"Expected more than 1 spatial element when training, got input size "
                f"{input.size()}"
            )
    n, c = input.shape[0], input.shape[1]
    folded = input.reshape((1, n * c) + tuple(input.shape[2:]))
    rm = None if running_mean is None else Tensor._wrap(np.tile(running_mean._data, n))
    rv = None if running_var is None else Tensor._wrap(np.tile(running_var._data, n))
    w = None if weight is None else weight.repeat(n)
    b = None if bias is None else bias.repeat(n)
    out = batch_norm(folded, rm, rv, w, b, use_input_stats, momentum, eps)
    if use_input_stats:
        for running, folded_stat in ((running_mean, rm), (running_var, rv)):
            if running is not None:
                running._data[...] = folded_stat._data.reshape(n, c).mean(0)
                running._vc[0] += 1
    return out.reshape(input.shape)


def rms_norm(input: Tensor, normalized_shape, weight: Tensor | None = None,
             eps: float | None = None) -> Tensor:
    """``x / sqrt(mean(x^2) + eps) * weight`` over the last dims (eps defaults to the dtype's
    machine epsilon)."""
    if isinstance(normalized_shape, int):
        normalized_shape = (normalized_shape,)
    k = len(normalized_shape)
    if tuple(input.shape[input.dim() - k:]) != tuple(normalized_shape):
        raise RuntimeError(
            f"Given normalized_shape={list(normalized_shape)}, expected input with shape "
            f"[*, {', '.join(map(str, normalized_shape))}], but got input of size"
            f"{list(input.shape)}"
        )
    if eps is None:
        eps = float(np.finfo(input._data.dtype).eps)
    dims = tuple(range(input.dim() - k, input.dim()))
    out = input * ((input * input).mean(dims, keepdim=True) + eps).rsqrt()
    if weight is not None:
        out = out * weight
    return out


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75,
                        k: float = 1.0) -> Tensor:
    """``x / (k + alpha * mean of x^2 over `size` neighbouring channels)^beta``."""
    dim = input.dim()
    if dim < 3:
        raise ValueError(
            f"Expected 3D or higher dimensionality input (got {dim} dimensions)"
        )
    if input.numel() == 0:
        return input
    sq = input * input
    c = input.shape[1]
    front, back = size // 2, (size - 1) // 2
    pad_shape = list(input.shape)
    parts = []
    if front:
        pad_shape[1] = front
        parts.append(_creation.zeros(tuple(pad_shape), dtype=input.dtype))
    parts.append(sq)
    if back:
        pad_shape[1] = back
        parts.append(_creation.zeros(tuple(pad_shape), dtype=input.dtype))
    padded = ops.cat(parts, 1) if len(parts) > 1 else sq
    window = padded.narrow(1, 0, c)
    for j in range(1, size):  # a loop over the window size (a few channels), not over data
        window = window + padded.narrow(1, j, c)
    div = (window * (alpha / size) + k) ** beta
    return input / div
