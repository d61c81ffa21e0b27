"""Fused recurrent layers: one op runs a whole sequence through an LSTM, GRU or Elman RNN layer.

A recurrent layer unrolled into per-step Tensor ops records ~15 graph nodes per time step; its
cost is Python overhead, not arithmetic. These ops run the recurrence in NumPy and write
backpropagation through time (BPTT) by hand, so a layer is one node. For GRU and RNN the input
projection ``x W_ih^T + b`` of all time steps is not part of the op: the caller computes it in
one matrix product (an ordinary ``linear`` node) and passes it in as ``gx``. The LSTM
(``_rnn_lstm``) takes ``x`` and the weights and does the projection itself.

Layouts. ``gx`` is ``(T, B, G)`` (time-major), ``(B, T, G)`` (batch-first) or ``(N, G)`` (the
``data`` of a PackedSequence, ``N = sum(batch_sizes)``). A *plan* lists, in time order, the
index of each step's rows in that layout and the number ``bs`` of active sequences; active
sequences are always the first ``bs`` rows of the state (packed batches are sorted by length),
so inactive rows simply keep their state: the final state of each sequence is the state after
its own last step, in both directions.

Double backward. The hand-written BPTT runs on arrays and records no graph. When backward runs
with ``create_graph=True``, the op instead runs its layer again as per-step Tensor ops on
stand-ins of its inputs and differentiates that with ``create_graph`` (see ``_recomputed_vjp``):
the gradients it returns are then ordinary graph tensors, and every derivative order works.
``chainrule.nn.functional._rnn.FUSED = False`` makes the modules unroll from the start.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..._tensor import Tensor
from ...autograd.function import Op
from ...autograd.grad_mode import STATE as _GRAD

__all__: list[str] = []

FUSED = True  # False: recurrent modules unroll into per-step Tensor ops


def step_plan(layout: str, shape: tuple, batch_sizes=None) -> tuple:
    """``((index, bs), ...)`` in time order for data laid out as ``layout``.

    ``layout`` is ``"tb"`` (time-major, ``shape[:2] = (T, B)``), ``"bt"`` (batch-first) or
    ``"packed"`` (``batch_sizes`` gives each step's number of rows).
    """
    if layout == "packed":
        plan = []
        offset = 0
        for bs in batch_sizes:
            bs = int(bs)
            plan.append(((slice(offset, offset + bs),), bs))
            offset += bs
        return tuple(plan)
    return _dense_plan(layout, int(shape[0]), int(shape[1]))


@lru_cache(maxsize=64)
def _dense_plan(layout: str, d0: int, d1: int) -> tuple:
    # plans are immutable tuples, rebuilt for every call of a module otherwise
    if layout == "tb":
        return tuple(((t,), d1) for t in range(d0))
    return tuple(((slice(None), t), d0) for t in range(d1))


def _sigmoid_(a: np.ndarray) -> np.ndarray:
    """In place ``1 / (1 + exp(-a))`` as ``(1 + tanh(a / 2)) / 2``: no overflow at any ``a``."""
    a *= 0.5
    np.tanh(a, out=a)
    a *= 0.5
    a += 0.5
    return a


def _state(h0, batch: int, size: int, dtype) -> np.ndarray:
    return np.zeros((batch, size), dtype) if h0 is None else h0.copy()


def _wrap(a):
    return None if a is None else Tensor._wrap(a)


def _rows(a: np.ndarray) -> np.ndarray:
    """All rows of a layout-shaped array as one 2-D matrix (every row is written by a step)."""
    return a.reshape(-1, a.shape[-1])


def _layout(gx: np.ndarray, plan: tuple) -> str:
    if gx.ndim == 2:
        return "packed"
    return "tb" if len(plan[0][0]) == 1 else "bt"


class _Cut(Op):
    """Identity. While a nested backward runs on a recomputed layer its input edge is removed,
    so that pass stops here; restored afterwards, it links the result to the layer's inputs."""

    backward_name = "AliasBackward0"
    formula = "y = x;  dx = dy"

    @staticmethod
    def forward(ctx, x):
        return x.view()

    @staticmethod
    def backward(ctx, dy):
        return dy


def _recomputed_vjp(ctx, mode: str, inputs: tuple, grad_outputs: tuple, b_hh=None) -> tuple:
    """The layer's input gradients as differentiable Tensors (backward with create_graph).

    ``inputs`` are the op's saved input tensors (``x, w_ih, w_hh, b_ih, b_hh, h0, c0, w_hr``
    for the LSTM, ``gx, w_hh, [b_hh,] h0`` for GRU and RNN);
    the layer is rerun as per-step Tensor ops on :class:`_Cut` stand-ins of those that need a
    gradient and differentiated with ``create_graph=True``; the stand-ins keep the result
    connected to the real inputs for the next derivative order.
    """
    from ... import autograd
    from ._rnn_stack import _layer_unrolled, _project

    needs = ctx.needs_input_grad
    stand, cuts = [], []
    for t, need in zip(inputs, needs):
        if t is not None and need:
            s = _Cut.apply(t)
            cuts.append((s.grad_fn, s.grad_fn.edges))
            s.grad_fn.edges = [None]
            stand.append(s)
        else:
            stand.append(t)
    try:
        if mode == "LSTM":
            x, w_ih, w_hh, b_ih, b_hh, h0, c0, w_hr = stand
            gx = _project(x, w_ih, None if b_ih is None else b_ih + b_hh)
            b_hh = None
        elif mode == "GRU":
            gx, w_hh, b_hh, h0 = stand
            c0 = w_hr = None
        else:
            gx, w_hh, h0 = stand
            c0 = w_hr = None
        layout = _layout(gx._data, ctx.plan)
        out, h_n, c_n = _layer_unrolled(mode, gx, w_hh, b_hh, h0, c0, w_hr, ctx.plan,
                                        ctx.reverse, ctx.batch, layout)
        outs = [out, h_n] + ([c_n] if c_n is not None else [])
        wrt = [s for s, (t, need) in zip(stand, zip(inputs, needs)) if t is not None and need]
        grads = iter(autograd.grad(outs, wrt, list(grad_outputs), retain_graph=True,
                                   create_graph=True, allow_unused=True))
    finally:
        for node, edges in cuts:
            node.edges = edges
    return tuple(next(grads) if t is not None and need else None
                 for t, need in zip(inputs, needs))


class GRULayer(Op):
    """One GRU layer over a whole sequence (one direction), gates ordered r, z, n as torch.

    ``n = tanh(gx_n + r * (W_hn h + b_hn))``, ``h' = (1 - z) * n + z * h``. Shapes: ``gx``
    layout-shaped ``(..., 3H)`` (``x W_ih^T + b_ih``), ``w_hh`` ``(3H, H)``, ``b_hh`` ``(3H,)``
    or None, ``h0`` ``(B, H)``. Returns ``out`` (layout-shaped ``(..., H)``) and ``h_n``.
    """

    backward_name = "GruBackward0"
    formula = (
        "per step: gh = W_hh h + b_hh;  r,z = sigmoid(gx_rz + gh_rz);  n = tanh(gx_n + r gh_n);  "
        "h' = n + z (h - n);  BPTT: dn = dh' (1-z) (1-n^2), dz = dh' (h-n) z(1-z), "
        "dr = dn gh_n r(1-r);  dgx = (dr, dz, dn);  dgh = (dr, dz, dn r);  "
        "dh_prev = dgh W_hh + dh' z;  dW_hh = sum dgh^T h;  db_hh = sum dgh"
    )

    @staticmethod
    def forward(ctx, gx, w_hh, b_hh, h0, plan, reverse, batch):
        H = w_hh.shape[1]
        dt = gx.dtype
        h = _state(h0, batch, H, dt)
        out = np.empty(gx.shape[:-1] + (H,), dt)
        lay = gx.shape[:-1]
        keep = bool(ctx.needs_input_grad)
        if keep:
            rz_all = np.empty(lay + (2 * H,), dt)
            n_all = np.empty(lay + (H,), dt)
            ghn_all = np.empty(lay + (H,), dt)
            h_prev = np.empty(lay + (H,), dt)
        w_hh_t = np.ascontiguousarray(w_hh.T)  # faster BLAS than a transposed view
        for idx, bs in reversed(plan) if reverse else plan:
            hp = h[:bs]
            gh = hp @ w_hh_t
            if b_hh is not None:
                gh += b_hh
            x = gx[idx]
            rz = x[:, : 2 * H] + gh[:, : 2 * H]
            _sigmoid_(rz)
            ghn = gh[:, 2 * H :]
            n = rz[:, :H] * ghn
            n += x[:, 2 * H :]
            np.tanh(n, out=n)
            hn = hp - n
            hn *= rz[:, H:]
            hn += n
            if keep:
                rz_all[idx] = rz
                n_all[idx] = n
                ghn_all[idx] = ghn
                h_prev[idx] = hp
            h[:bs] = hn
            out[idx] = hn
        if keep:
            ctx.plan, ctx.reverse, ctx.batch = plan, reverse, batch
            ctx.save_for_backward(gx, w_hh, b_hh, h0, rz_all, n_all, ghn_all, h_prev)
        return out, h

    @staticmethod
    def backward(ctx, d_out, d_hn):
        if _GRAD.enabled:  # create_graph: gradients as graph tensors
            return _recomputed_vjp(ctx, "GRU", ctx.saved_tensors[:4], (d_out, d_hn))
        _, w_hh, _, _, rz_all, n_all, ghn_all, h_prev = ctx.saved_arrays
        needs = ctx.needs_input_grad
        H = w_hh.shape[1]
        d_out = d_out._data
        dh = d_hn._data.copy()
        dgx = np.empty(rz_all.shape[:-1] + (3 * H,), rz_all.dtype)
        dgh = np.empty_like(dgx)
        for idx, bs in ctx.plan if ctx.reverse else reversed(ctx.plan):
            d = dh[:bs] + d_out[idx]
            rz = rz_all[idx]
            r, z = rz[:, :H], rz[:, H:]
            n = n_all[idx]
            hp = h_prev[idx]
            dx = dgx[idx]
            dn = 1.0 - n * n
            dn *= 1.0 - z
            dn *= d
            dx[:, 2 * H :] = dn
            np.multiply(dn, ghn_all[idx], out=dx[:, :H])
            dx[:, :H] *= r * (1.0 - r)
            np.subtract(hp, n, out=dx[:, H : 2 * H])
            dx[:, H : 2 * H] *= d
            dx[:, H : 2 * H] *= z * (1.0 - z)
            dg = dgh[idx]
            dg[:, : 2 * H] = dx[:, : 2 * H]
            np.multiply(dn, r, out=dg[:, 2 * H :])
            dhp = dg @ w_hh
            dhp += d * z
            dh[:bs] = dhp
        d_whh = _rows(dgh).T @ _rows(h_prev) if needs[1] else None
        d_bhh = _rows(dgh).sum(0) if len(needs) > 2 and needs[2] else None
        return _wrap(dgx), _wrap(d_whh), _wrap(d_bhh), _wrap(dh) if needs[3] else None


class RNNLayer(Op):
    """One Elman RNN layer over a whole sequence: ``h' = act(gx_t + W_hh h)``, act tanh/relu.

    Shapes: ``gx`` layout-shaped ``(..., H)`` (``x W_ih^T + b_ih + b_hh``), ``w_hh``
    ``(H, H)``, ``h0`` ``(B, H)``. Returns ``out`` (layout-shaped ``(..., H)``) and ``h_n``.
    """

    backward_name = "RnnBackward0"
    formula = (
        "per step: h' = act(gx_t + W_hh h);  BPTT: da = dh' act'(.) (tanh: 1 - h'^2, relu: "
        "[h' > 0]);  dgx = da;  dh_prev = da W_hh;  dW_hh = sum da^T h"
    )

    @staticmethod
    def forward(ctx, gx, w_hh, h0, plan, reverse, batch, relu):
        H = w_hh.shape[1]
        h = _state(h0, batch, H, gx.dtype)
        out = np.empty_like(gx)
        keep = bool(ctx.needs_input_grad)
        h_prev = np.empty_like(gx) if keep else None
        w_hh_t = np.ascontiguousarray(w_hh.T)  # faster BLAS than a transposed view
        for idx, bs in reversed(plan) if reverse else plan:
            hp = h[:bs]
            a = hp @ w_hh_t
            a += gx[idx]
            if relu:
                np.maximum(a, 0, out=a)
            else:
                np.tanh(a, out=a)
            if keep:
                h_prev[idx] = hp
            h[:bs] = a
            out[idx] = a
        if keep:
            ctx.plan, ctx.reverse, ctx.batch, ctx.relu = plan, reverse, batch, relu
            # a copy of the output: the returned tensor may be changed in place by the caller
            ctx.save_for_backward(gx, w_hh, h0, out.copy(), h_prev)
        return out, h

    @staticmethod
    def backward(ctx, d_out, d_hn):
        if _GRAD.enabled:  # create_graph: gradients as graph tensors
            mode = "RNN_RELU" if ctx.relu else "RNN_TANH"
            return _recomputed_vjp(ctx, mode, ctx.saved_tensors[:3], (d_out, d_hn))
        _, w_hh, _, out, h_prev = ctx.saved_arrays
        needs = ctx.needs_input_grad
        d_out = d_out._data
        dh = d_hn._data.copy()
        dgx = np.empty_like(out)
        for idx, bs in ctx.plan if ctx.reverse else reversed(ctx.plan):
            y = out[idx]
            da = dgx[idx]
            np.add(dh[:bs], d_out[idx], out=da)
            if ctx.relu:
                da *= y > 0
            else:
                da *= 1.0 - y * y
            dh[:bs] = da @ w_hh
        d_whh = _rows(dgx).T @ _rows(h_prev) if needs[1] else None
        return _wrap(dgx), _wrap(d_whh), _wrap(dh) if needs[2] else None
