"""Scans and order statistics torch has at top level: ``cummax``/``cummin``, ``logcumsumexp``,
``quantile``/``nanquantile`` and ``nanmedian``.

``cummax``/``cummin`` route the gradient to the index each running extreme came from (the
*last* position holding it, torch's tie rule); ``logcumsumexp`` is its own op so that its
forward (``np.logaddexp.accumulate``) and backward stay finite for any input range; quantiles
are sort + gather + lerp, so their gradient goes to the two order statistics they interpolate,
as in torch.
"""

from __future__ import annotations

import math
from collections import namedtuple

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Op
from ._common import norm_dim, to_tensor

__all__ = ["cummax", "cummin", "logcumsumexp", "nanmedian", "nanquantile", "quantile"]

# torch.return_types-style results (named like torch's, module torch.return_types)
cummax_result = namedtuple("cummax", ["values", "indices"])
cummin_result = namedtuple("cummin", ["values", "indices"])
nanmedian_result = namedtuple("nanmedian", ["values", "indices"])
for _cls in (cummax_result, cummin_result, nanmedian_result):
    _cls.__module__ = "torch.return_types"
    _cls.__repr__ = lambda self, _n=_cls.__name__: (  # type: ignore[method-assign]
        f"torch.return_types.{_n}(\n"
        + ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
        + ")"
    )


# -- cummax / cummin ----------------------------------------------------------------------------


class CumExtreme(Op):
    """Running max/min along ``dim``; the gradient goes to the index of each running extreme."""

    backward_name = "CummaxminBackward0"
    formula = "y_i = max_{j<=i} x_j, k_i = last j<=i with x_j == y_i;  dx_j = sum_{i: k_i=j} dy_i"

    @staticmethod
    def forward(ctx, x, dim, idx):
        ctx.dim, ctx.idx, ctx.shape = dim, idx, x.shape
        return np.take_along_axis(x, idx, axis=dim) if x.ndim else x.copy()

    @staticmethod
    def backward(ctx, dy):
        if dy.ndim == 0:
            return dy, None, None
        zeros = Tensor._wrap(np.zeros(ctx.shape, dtype=dy._data.dtype))
        return zeros.scatter_add(ctx.dim, Tensor._wrap(ctx.idx), dy), None, None


class CumMax(CumExtreme):
    backward_name = "CummaxBackward0"


class CumMin(CumExtreme):
    backward_name = "CumminBackward0"


def _cum_extreme_indices(x: np.ndarray, dim: int, is_max: bool) -> np.ndarray:
    """Index of the running extreme: the last j <= i where x_j is (or ties) the extreme so far.

    x_j updates the running max iff x_j >= max so far, i.e. x_j equals the new running max; a
    NaN always updates (and the running value stays NaN after it), as in torch's kernel.
    """
    acc = np.maximum.accumulate(x, axis=dim) if is_max else np.minimum.accumulate(x, axis=dim)
    updates = x == acc
    if x.dtype.kind in "fc":
        updates |= np.isnan(x)
    shape = [1] * x.ndim
    shape[dim] = x.shape[dim]
    positions = np.arange(x.shape[dim], dtype=np.int64).reshape(shape)
    return np.maximum.accumulate(np.where(updates, positions, 0), axis=dim)


def _cum_extreme(input: Tensor, dim: int, is_max: bool):
    result = cummax_result if is_max else cummin_result
    d = norm_dim(dim, input.ndim)
    x = input._data
    if x.ndim == 0:
        idx = np.zeros((), dtype=np.int64)
    elif x.size == 0:
        idx = np.zeros(x.shape, dtype=np.int64)
    else:
        idx = _cum_extreme_indices(x, d, is_max)
    indices = Tensor._wrap(idx)
    if x.dtype.kind not in "fc":
        values = Tensor._wrap(np.take_along_axis(x, idx, axis=d) if x.ndim else x.copy())
        return result(values, indices)
    return result((CumMax if is_max else CumMin).apply(input, d, idx), indices)


def cummax(input: Tensor, dim: int):
    """(values, indices): ``values[i] = max(input[..., :i+1])`` along ``dim``.

    ``indices[i]`` is the last position holding that maximum (torch's rule for ties); NaN
    propagates and each new NaN takes the index. The gradient flows to ``indices``.
    """
    return _cum_extreme(input, dim, True)


def cummin(input: Tensor, dim: int):
    """(values, indices) of the running minimum along ``dim`` (see :func:`cummax`)."""
    return _cum_extreme(input, dim, False)


# -- logcumsumexp -------------------------------------------------------------------------------


class LogCumSumExp(Op):
    backward_name = "LogcumsumexpBackward0"
    formula = ("y_i = log sum_{j<=i} exp(x_j);  dx_j = sum_{i>=j} dy_i exp(x_j - y_i), "
               "computed as exp(x_j + rlcse(log dy+ - y)_j) - exp(x_j + rlcse(log dy- - y)_j)")

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        y = x.copy() if x.ndim == 0 else np.logaddexp.accumulate(x, axis=dim)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, dy):
        x, y = ctx.saved_tensors
        if dy.ndim == 0:
            return dy, None
        d = ctx.dim
        # Split dy by sign so each part is a logsumexp of finite logs: the sum over i >= j of
        # dy_i exp(x_j - y_i) never forms exp(-y_i) (overflow) or exp(x_j) alone (underflow).
        # Where y_i = -inf (every x up to i is -inf) the term is dropped, as torch does.
        from .pointwise import where

        dt = y._data.dtype
        neg_inf = Tensor._wrap(np.array(-math.inf, dtype=dt))
        one = Tensor._wrap(np.ones((), dtype=dt))
        y_safe = y.masked_fill(Tensor._wrap(np.isneginf(y._data)), 0.0)
        x_out = Tensor._wrap(np.isneginf(x._data))
        x_safe = x.masked_fill(x_out, 0.0)
        usable = np.isfinite(y._data)
        grad = None
        for positive in (True, False):
            part = ((dy._data > 0) if positive else (dy._data < 0)) & usable
            if not part.any():
                continue
            part_t = Tensor._wrap(part)
            mag = where(part_t, dy if positive else -dy, one)
            log_part = where(part_t, mag.log() - y_safe, neg_inf)
            rev = logcumsumexp(log_part.flip(d), d).flip(d)
            term = (x_safe + rev).exp().masked_fill(x_out, 0.0)
            if grad is None:
                grad = term if positive else -term
            else:
                grad = grad - term
        if grad is None:
            grad = dy * 0.0
        return grad, None


def logcumsumexp(input: Tensor, dim: int, *, out=None) -> Tensor:
    """``log(cumsum(exp(input), dim))`` computed without overflow (``np.logaddexp``).

    Floating inputs only, as in torch.
    """
    if out is not None:
        raise NotImplementedError("logcumsumexp(out=...) is not supported by chainrule")
    x = to_tensor(input)
    if x._data.dtype.kind not in "fc":
        from .extra_pointwise import _word

        raise NotImplementedError(
            f'"logcumsumexp_out_cpu" not implemented for \'{_word(x._data)}\'')
    return LogCumSumExp.apply(x, norm_dim(dim, x.ndim))


# -- quantile / nanquantile ---------------------------------------------------------------------

_MODES = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantile(input: Tensor, q, dim, keepdim: bool, interpolation: str, ignore_nan: bool,
              name: str) -> Tensor:
    x = to_tensor(input)
    if x._data.dtype.kind != "f":
        raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
    if x._data.size == 0:
        raise RuntimeError(f"{name}() input tensor must be non-empty")
    if interpolation not in _MODES:
        raise RuntimeError(
            f"{name}() interpolation must be one of linear, lower, higher, midpoint or "
            f"nearest, but got {interpolation}")
    if isinstance(dim, (tuple, list)):
        raise TypeError(f"{name}() received an invalid combination of arguments: dim must be "
                        f"an int or None, got {type(dim).__name__}")
    np_dtype = x._data.dtype
    if isinstance(q, Tensor):
        if q.ndim > 1:
            raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
        if q._data.dtype != np_dtype:
            raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
        qs = q._data
        if not ((qs >= 0) & (qs <= 1)).all():
            raise RuntimeError(f"{name}() q values must be in the range [0, 1]")
    else:
        if not 0 <= q <= 1:
            raise RuntimeError(f"{name}() q must be in the range [0, 1] but got {q}")
        qs = np.array(q, dtype=np_dtype)
    scalar_q = qs.ndim == 0

    # the reduced slice goes last; dim=None flattens
    if dim is None:
        x_last = x.reshape(-1)
        out_shape = [1] * x.ndim if keepdim else []
    else:
        d = norm_dim(dim, x.ndim)
        x_last = x.movedim(d, -1) if x.ndim else x.reshape(1)
        out_shape = list(x.shape)
        if x.ndim:
            if keepdim:
                out_shape[d] = 1
            else:
                del out_shape[d]
    n = x_last.shape[-1]
    sorted_x = x_last.sort(-1).values  # NaN sorts last, as in torch
    nan_mask = np.isnan(sorted_x._data)
    # ranks are computed in the input's dtype, as torch does (float32 ranks for float32 data)
    q_row = qs.reshape(-1)
    if ignore_nan:
        valid = (n - nan_mask.sum(-1, keepdims=True)).astype(np_dtype)
        scale = valid - 1
        # an all-NaN slice reads position n - 1 (a NaN): its quantile is NaN
        forced = np.broadcast_to(valid == 0, nan_mask.shape[:-1] + q_row.shape)
    else:
        scale = np.full(nan_mask.shape[:-1] + (1,), n - 1, dtype=np_dtype)
        # any NaN in the slice makes the result NaN: read the last position (a NaN)
        forced = np.broadcast_to(nan_mask[..., -1:], nan_mask.shape[:-1] + q_row.shape)
    ranks = np.where(forced, np_dtype.type(n - 1), q_row * scale).astype(np_dtype, copy=False)

    def take(pos: np.ndarray) -> Tensor:
        return sorted_x.gather(-1, Tensor._wrap(np.clip(pos, 0, n - 1).astype(np.int64)))

    if interpolation in ("lower", "higher", "nearest"):
        pos = {"lower": np.floor, "higher": np.ceil, "nearest": np.round}[interpolation](ranks)
        result = take(pos)
    else:
        from .pointwise import where

        below = np.floor(ranks)
        above = np.ceil(ranks)
        if interpolation == "linear":
            w_np = (ranks - below).astype(np_dtype, copy=False)
            w = Tensor._wrap(w_np)
            if isinstance(q, Tensor) and q.requires_grad:
                # the weight is q (n - 1) - floor(rank): linear quantiles are differentiable
                # in q too (slope (hi - lo)(n - 1)), as torch's composite is
                w_q = q.reshape(-1) * Tensor._wrap(scale) - Tensor._wrap(below)
                w = where(Tensor._wrap(forced), w, w_q)
        else:
            w_np = np.where(above > below, np_dtype.type(0.5), np_dtype.type(0.0))
            w = Tensor._wrap(w_np)
        lo, hi = take(below), take(above)
        diff = hi - lo
        # torch's lerp: from the nearer end, so a weight near 1 lands exactly on ``hi``
        result = where(Tensor._wrap(w_np < 0.5), lo + diff * w, hi - diff * (1 - w))
    # result: [..., len(q)] -> q's dim first, then out_shape
    if scalar_q:
        return result.reshape(out_shape)
    return result.movedim(-1, 0).reshape([q_row.shape[0], *out_shape])


def quantile(input: Tensor, q, dim=None, keepdim: bool = False, *,
             interpolation: str = "linear", out=None) -> Tensor:
    """The ``q``-th quantiles of ``input`` along ``dim`` (all elements when ``dim`` is None).

    With ``n`` values sorted as ``v_0 <= ... <= v_{n-1}``, the rank is ``r = q (n - 1)``;
    ``linear`` gives ``v_floor(r) + (r - floor(r)) (v_ceil(r) - v_floor(r))``, ``lower``/
    ``higher`` ``v_floor(r)``/``v_ceil(r)``, ``midpoint`` their mean, ``nearest``
    ``v_round(r)`` (ties to even, as torch). A 1-D ``q`` adds a leading dim of size ``len(q)``.
    A slice with a NaN gives NaN. The gradient flows to the (at most two) values used.
    """
    if out is not None:
        raise NotImplementedError("quantile(out=...) is not supported by chainrule")
    return _quantile(input, q, dim, keepdim, interpolation, False, "quantile")


def nanquantile(input: Tensor, q, dim=None, keepdim: bool = False, *,
                interpolation: str = "linear", out=None) -> Tensor:
    """:func:`quantile` ignoring NaN values (an all-NaN slice gives NaN)."""
    if out is not None:
        raise NotImplementedError("nanquantile(out=...) is not supported by chainrule")
    return _quantile(input, q, dim, keepdim, interpolation, True, "nanquantile")


# -- nanmedian ----------------------------------------------------------------------------------


class NanMedianAll(Op):
    backward_name = "NanmedianBackward0"
    formula = ("y = lower median of the non-NaN x;  dx = dy * [x == y] / count(x == y)   "
               "(ties share evenly)")

    @staticmethod
    def forward(ctx, x):
        flat = x.reshape(-1)
        flat = flat[~np.isnan(flat)] if x.dtype.kind in "fc" else flat
        if flat.size:
            k = (flat.size - 1) // 2
            y = np.asarray(np.partition(flat, k)[k])
        else:
            y = np.asarray(np.nan, x.dtype)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, dy):
        x, y = ctx.saved_arrays
        mask = (x == y) | (np.isnan(x) & np.isnan(y))
        mask = mask.astype(x.dtype)
        mask /= mask.sum()
        return dy * Tensor._wrap(mask)


def nanmedian(input: Tensor, dim=None, keepdim: bool = False):
    """The lower median of the non-NaN values; with ``dim``, (values, indices).

    A slice of only NaN gives NaN (its index is 0 here; torch's is an artifact of its
    selection algorithm). Without ``dim`` the gradient is shared among tied elements; with
    ``dim`` it goes to the returned index.
    """
    x = to_tensor(input)
    if dim is None:
        if x._data.dtype.kind not in "fc":
            flat = np.sort(x._data.reshape(-1))
            if flat.size == 0:
                raise RuntimeError("nanmedian() input tensor must be non-empty")
            return Tensor._wrap(np.asarray(flat[(flat.size - 1) // 2]))
        return NanMedianAll.apply(x)
    d = norm_dim(dim, x.ndim)
    if x.ndim and x.shape[d] == 0:
        raise IndexError(f"median(): Expected reduction dim {d} to have non-zero size.")
    if x.ndim == 0:
        return nanmedian_result(x.clone(), Tensor._wrap(np.zeros((), dtype=np.int64)))
    data = x._data
    order = np.argsort(data, axis=d, kind="stable")  # NaN last
    valid = (~np.isnan(data)).sum(axis=d, keepdims=True) if data.dtype.kind in "fc" else \
        np.full([1 if i == d else s for i, s in enumerate(data.shape)], data.shape[d])
    # lower median of the valid values; an all-NaN slice reads position 0 (a NaN)
    k = np.maximum(valid - 1, 0) // 2
    idx = np.take_along_axis(order, k, axis=d).astype(np.int64)
    idx_t = Tensor._wrap(idx)
    values = x.gather(d, idx_t)
    if not keepdim:
        values, idx_t = values.squeeze(d), idx_t.squeeze(d)
    return nanmedian_result(values, idx_t)
