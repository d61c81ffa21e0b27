"""The fused LSTM layer: input projection, recurrence and backpropagation through time of one
direction of one layer as a single graph node (see ``_rnn`` for layouts, plans and why fused).

Layout. Each step multiplies one matrix ``[x_t | 1 | h_{t-1}]`` (``B x (F + 1 + P)``, rows of
the array ``xh``) by the weights of all four gates stacked with their biases: the input
projection, both biases and the recurrent product in one BLAS call per gate and column block
(``_chunks``), written straight into a step-sized gate buffer that stays in cache. Every per-row
array is ``(N, *)`` with its rows in time order (batch-first input is transposed on entry and
the output back on exit: a step's rows are then contiguous, and strided row blocks cost NumPy
~3x per elementwise call). Gate values are stored gate-major, each gate a contiguous ``(B, H)``
block. The step's new ``h`` is written into the next row of ``xh``; backward gets all weight and
bias gradients from one product per gate ``dgates^T xh``.

Backward's factors. While a step's gates are hot, forward stores per row only what backward
needs, six ``(N, H)`` slots ``k = (hh (1-o), ig (1-i), fc (1-f), i (1-g^2), o (1-tanh(c')^2),
f)`` (``hh = o tanh(c')``, ``ig = i g``, ``fc = f c``); backward scales them in place by ``dh``
and ``dc`` into the gate gradients. Computing them from saved gates in backward instead reads
and writes every ``(N, H)`` array again from outside the cache (memory-bound, ~0.6 ms per
training step of the benchmark LSTM, against ~0.4 ms extra forward). A second backward through
a retained graph recomputes them.

Gate order. Gates are o, i, f, g (torch's rows are i, f, g, o): the three sigmoid gates are one
contiguous block, and so are the three that backward scales by ``dc``.
``sigmoid(a) = (1 + tanh(a / 2)) / 2`` with the o, i, f weight columns halved (exact in binary
floating point), so one ``tanh`` over the four gates and one scalar scale-and-shift of the first
three give every activation (a scalar operand runs ~3x faster in NumPy than a per-gate broadcast
one). Weights are reordered on entry (they are copied anyway) and weight gradients written back
in torch's order.

Memory. The per-sequence arrays come from ``_rnn_pool`` (no page faults per step). When every
step has all rows (time-major, batch-first, or packed with equal lengths) the state a step reads
is the ``xh`` block the previous step wrote (``xh`` has one extra block for the initial state);
packed batches of unequal lengths copy the state rows per step.
"""

from __future__ import annotations

import numpy as np

from ..._tensor import Tensor
from ...autograd.function import Op
from ...autograd.grad_mode import STATE as _GRAD
from . import _rnn_pool as pool
from ._rnn import _layout, _recomputed_vjp

__all__: list[str] = []

_CHUNK = 64
_GATES = (3, 0, 1, 2)  # the gate order o, i, f, g, as indices into torch's i, f, g, o


def _stacked_weights(w_ih, w_hh, b_ih, b_hh, dtype, chunks: int) -> np.ndarray:
    """``(4, chunks, F + 1 + P, H / chunks)``: per gate (o, i, f, g) ``[W_ih^T; b_ih + b_hh;
    W_hh^T]``, the sigmoid gates halved, the columns split into ``chunks`` blocks (``_chunks``)."""
    G, F = w_ih.shape
    H, P = G // 4, w_hh.shape[1]
    n = H // chunks
    w = np.empty((4, chunks, F + 1 + P, n), dtype)
    for dst, src in enumerate(_GATES):  # per gate: no fancy-indexed temporaries
        scale = 0.5 if dst < 3 else 1.0
        rows = slice(src * H, (src + 1) * H)
        np.multiply(w_ih[rows].reshape(chunks, n, F).transpose(0, 2, 1), scale,
                    out=w[dst, :, :F])
        np.multiply(w_hh[rows].reshape(chunks, n, P).transpose(0, 2, 1), scale,
                    out=w[dst, :, F + 1 :])
        if b_ih is None:
            w[dst, :, F] = 0
        else:
            bias = w[dst, :, F]
            np.add(b_ih[rows].reshape(chunks, n), b_hh[rows].reshape(chunks, n), out=bias)
            bias *= scale
    return w


def _rows(w: np.ndarray, order: tuple) -> np.ndarray:
    """``w``'s four gate blocks of rows (torch's order) in ``order``: ``(4, H, ...)``."""
    return w.reshape((4, w.shape[0] // 4) + w.shape[1:])[list(order)]


def _chunks(batch: int, K: int, H: int) -> int:
    """Column blocks per gate for the per-step products: blocks of 64 columns while a block's
    product stays small (``B K 64 <= 1e6``), where OpenBLAS's small-matrix kernels make four
    gates x two halves of ``(32 x 161) @ (161 x 64)`` ~25% faster than four whole gates; larger
    products are left whole (splitting them is slower)."""
    if H > _CHUNK and H % _CHUNK == 0 and batch * K * _CHUNK <= 1_000_000:
        return H // _CHUNK
    return 1


def _owned(dw: np.ndarray, shape: tuple) -> np.ndarray:
    """A fresh array of ``shape`` (a gradient the engine can keep as ``.grad``) holding ``dw``,
    whose leading axis holds the gates o, i, f, g, in torch's order i, f, g, o."""
    out = np.empty(shape, dw.dtype)
    gates = out.reshape(dw.shape)
    gates[:3] = dw[1:]
    gates[3] = dw[0]
    return out


def _steps(x: np.ndarray, plan: tuple, reverse: bool, batch: int) -> tuple[list, bool, str]:
    """``([(rows, bs, key), ...] in processing order, uniform, layout)``.

    Every per-row array of the layer is ``(N, *)``, its ``N`` rows in time order: a step owns
    the ``bs`` rows ``rows`` (a slice). ``key`` indexes the step in the caller's layout:
    uniform (every step has all ``batch`` rows: time-major, batch-first, or packed with equal
    lengths) the time index into a ``(T, B, *)`` view, otherwise the packed rows.
    """
    layout = _layout(x, plan)
    if layout != "packed" or all(bs == batch for _, bs in plan):
        ts = range(len(plan) - 1, -1, -1) if reverse else range(len(plan))
        return [(slice(t * batch, (t + 1) * batch), batch, t) for t in ts], True, layout
    steps = [(idx[0], bs, idx[0]) for idx, bs in plan]
    return steps[::-1] if reverse else steps, False, layout


def _time_major(a: np.ndarray, layout: str, batch: int) -> np.ndarray:
    """A uniform layer's layout-shaped ``a`` as a ``(T, B, *)`` view."""
    if layout == "bt":
        return a.transpose(1, 0, 2)
    return a.reshape((-1, batch) + a.shape[1:]) if layout == "packed" else a


def _run(x, w_ih, w_hh, b_ih, b_hh, h0, c0, w_hr, steps, uniform, layout, reverse, batch,
         keep):
    """The forward recurrence: ``(out, h_n, c_n, saved)``, ``saved = (xh_rows, kk, hh_all)``
    (None unless ``keep``): the rows ``[x | 1 | h_prev]``, backward's gate factors (see
    ``LSTMLayer.backward_arrays``) and, with a projection, ``o tanh(c')`` per row."""
    H = w_hh.shape[0] // 4
    P = w_hh.shape[1]
    F = x.shape[-1]
    K = F + 1 + P
    dt = x.dtype
    chunks = _chunks(batch, K, H)
    n = H // chunks
    w = _stacked_weights(w_ih, w_hh, b_ih, b_hh, dt, chunks)
    w_hr_t = np.ascontiguousarray(w_hr.T) if w_hr is not None else None
    N = sum(bs for _, bs, _ in steps)
    h = np.zeros((batch, P), dt) if h0 is None else h0.copy()
    c = np.zeros((batch, H), dt) if c0 is None else c0.copy()
    if uniform:
        # xh has one extra block of rows: step t reads block t (t + 1 in reverse) and writes
        # its h into the block the next step reads, so no state is copied per step
        T = len(steps)
        xh = pool.take((N + batch, K), dt)
        xh_rows = xh[batch:] if reverse else xh[:N]
        h_rows = xh[:N] if reverse else xh[batch:]
        xh_rows[steps[0][0], F + 1 :] = h
        xh_rows.reshape(T, batch, K)[:, :, :F] = _time_major(x, layout, batch)
    else:
        xh_rows = pool.take((N, K), dt)
        xh_rows[:, :F] = x
        h_rows = out = pool.take((N, P), dt)
    xh_rows[:, F] = 1
    # one step's values, hot in cache: gates o, i, f, g, then tanh(c'), hh = o tanh(c'), i g,
    # f c; kept per row only as backward's six factors
    a_all = np.empty((8, batch, H), dt)
    blocks = np.moveaxis(a_all[:4].reshape(4, batch, chunks, n), 2, 1)
    kk = pool.take((6, N, H), dt) if keep else None
    hh_all = pool.take((N, H), dt) if keep and w_hr is not None else None
    for rows, bs, _ in steps:
        a = a_all[:, :bs]
        if not uniform:
            xh_rows[rows, F + 1 :] = h[:bs]
        cb = c[:bs]
        np.matmul(xh_rows[rows], w, out=blocks[:, :, :bs])
        gates = a[:4]
        np.tanh(gates, out=gates)
        sig = a[:3]  # o, i, f
        sig *= 0.5
        sig += 0.5
        np.multiply(a[1], a[3], out=a[6])
        np.multiply(a[2], cb, out=a[7])
        np.add(a[6], a[7], out=cb)
        np.tanh(cb, out=a[4])
        hh = np.multiply(a[0], a[4], out=a[5])
        hn = h_rows[rows]
        if w_hr_t is not None:
            np.matmul(hh, w_hr_t, out=hn[:, F + 1 :] if uniform else hn)
        elif uniform:
            hn[:, F + 1 :] = hh
        else:
            np.copyto(hn, hh)
        if not uniform:
            h[:bs] = hn
        if keep:
            # k = (hh (1-o), ig (1-i), fc (1-f), i (1-g^2), o (1-tanh(c')^2), f), with
            # i (1-g^2) = i - ig g and o (1-tanh^2) = o - hh tanh(c')
            kt = kk[:, rows]
            np.subtract(1.0, sig, out=kt[:3])
            kt[:3] *= a[5:8]
            np.multiply(a[5:7], a[4:2:-1], out=kt[4:2:-1])
            np.subtract(a[:2], kt[4:2:-1], out=kt[4:2:-1])
            kt[5] = a[2]
            if hh_all is not None:
                hh_all[rows] = hh
    if uniform:
        h_seq = h_rows[:, F + 1 :].reshape(T, batch, P)
        out = pool.take(x.shape[:-1] + (P,), dt)
        np.copyto(_time_major(out, layout, batch), h_seq)
        h = h_seq[steps[-1][2]].copy()
    return out, h, c, (xh_rows, kk, hh_all) if keep else None


class LSTMLayer(Op):
    """One LSTM layer over a whole sequence (one direction).

    Shapes: ``x`` layout-shaped ``(..., F)``; ``w_ih`` ``(4H, F)``, ``w_hh`` ``(4H, P)``,
    ``b_ih``/``b_hh`` ``(4H,)`` or None, gates in torch's order i, f, g, o; ``h0`` ``(B, P)``,
    ``c0`` ``(B, H)`` or None (zeros); ``w_hr`` ``(P, H)`` or None (then ``P = H``). Returns
    ``out`` (layout-shaped ``(..., P)``), ``h_n`` ``(B, P)``, ``c_n`` ``(B, H)``.
    """

    backward_name = "LstmBackward0"
    formula = (
        "per step: a = W_ih x_t + b_ih + W_hh h + b_hh;  i,f,o = sigmoid(a_i,a_f,a_o);  "
        "g = tanh(a_g);  c' = f*c + i*g;  h' = W_hr (o * tanh(c'));  BPTT: dc += dh' o "
        "(1 - tanh(c')^2), da_i = dc g i(1-i), da_f = dc c f(1-f), da_g = dc i (1-g^2), "
        "da_o = dh' tanh(c') o(1-o), dc_prev = dc f, dh_prev = da W_hh;  "
        "[dW_ih | db | dW_hh] = sum da^T [x | 1 | h], dx = da W_ih"
    )

    @staticmethod
    def forward(ctx, x, w_ih, w_hh, b_ih, b_hh, h0, c0, w_hr, plan, reverse, batch):
        keep = any(ctx.needs_input_grad)
        steps, uniform, layout = _steps(x, plan, reverse, batch)
        out, h, c, saved = _run(x, w_ih, w_hh, b_ih, b_hh, h0, c0, w_hr, steps, uniform,
                                layout, reverse, batch, keep)
        if keep:
            ctx.plan, ctx.reverse, ctx.batch = plan, reverse, batch
            ctx.steps, ctx.layout, ctx.uniform = steps, layout, uniform
            ctx.x_shape = x.shape
            # backward turns the gate factors into the gate gradients in place: a second
            # backward (retain_graph) recomputes them
            ctx.lstm_saved = saved
            # ``out`` is saved as the output, so an in-place change of it is refused at backward
            ctx.save_for_backward(x, w_ih, w_hh, b_ih, b_hh, h0, c0, w_hr, out)
        return out, h, c

    @staticmethod
    def backward_arrays(ctx, d_out, d_hn, d_cn):
        x, w_ih, w_hh, b_ih, b_hh, h0, c0, w_hr, _ = ctx.saved_arrays
        needs = ctx.needs_input_grad
        batch = ctx.batch
        steps = ctx.steps
        uniform = ctx.uniform
        saved, ctx.lstm_saved = ctx.lstm_saved, None
        if saved is None:  # spent by an earlier backward
            saved = _run(x, w_ih, w_hh, b_ih, b_hh, h0, c0, w_hr, steps, uniform, ctx.layout,
                         ctx.reverse, batch, True)[3]
        xh_rows, kk, hh_all = saved
        H = w_hh.shape[0] // 4
        P = w_hh.shape[1]
        F = w_ih.shape[1]
        dt = kk.dtype
        N = xh_rows.shape[0]
        d_view = _time_major(d_out, ctx.layout, batch) if uniform else d_out
        dh = np.zeros((batch, P), dt) if d_hn is None else d_hn.copy()
        dc = np.zeros((batch, H), dt) if d_cn is None else d_cn.copy()
        # Per step, with forward's factors k (k_o, k_i, k_f, k_g, k_c, f): d a_o = dh k_o,
        # dc += dh k_c, d a_{i,f,g} = dc k_{i,f,g}, dc_prev = dc f; kk[:4] becomes d a.
        cb = _chunks(batch, H, P)
        nb = P // cb
        # dh_prev = sum over gates of d a_gate W_hh[gate]: each gate's product in column blocks
        # as forward's (``_chunks``), the sum written straight into dh
        w4 = np.empty((4, cb, H, nb), dt)
        for dst, src in enumerate(_GATES):
            w4[dst] = w_hh[src * H : (src + 1) * H].reshape(H, cb, nb).transpose(1, 0, 2)
        scratch = np.empty((batch, H), dt)
        parts_buf = np.empty((4, cb, batch, nb), dt)
        dh_all = pool.take((N, P), dt) if w_hr is not None else None
        need_dh0 = needs[5]
        for s, (rows, bs, key) in enumerate(steps[::-1]):
            dhb, dcb = dh[:bs], dc[:bs]
            if w_hr is None:
                dhb += d_view[key]
                m = dhb
            else:
                d = dh_all[rows]
                np.add(dhb, d_view[key], out=d)
                m = np.matmul(d, w_hr, out=scratch[:bs])
            kt = kk[:, rows]
            kh = kt[0:5:4]
            kh *= m  # d a_o, and dc's part from h
            dcb += kt[4]
            kc = kt[1:4]
            kc *= dcb
            dcb *= kt[5]
            if s + 1 < len(steps) or need_dh0:
                parts = parts_buf[:, :, :bs]
                np.matmul(kt[:4, None], w4, out=parts)
                np.add.reduce(parts, axis=0, out=dhb.reshape(bs, cb, nb).transpose(1, 0, 2))
        z = kk[:4]
        d_x = d_wih = d_whh = d_b = d_whr = None
        if needs[0]:
            d_x = np.add.reduce(np.matmul(z, _rows(w_ih, _GATES)), axis=0)
            if uniform and ctx.layout == "bt":
                d_x = np.ascontiguousarray(
                    d_x.reshape(len(steps), batch, F).transpose(1, 0, 2))
            d_x = d_x.reshape(ctx.x_shape)
        if needs[1] or needs[2] or needs[3] or needs[4]:
            dw = np.matmul(z.transpose(0, 2, 1), xh_rows)
            if needs[1]:
                d_wih = _owned(dw[:, :, :F], (4 * H, F))
            if needs[2]:
                d_whh = _owned(dw[:, :, F + 1 :], (4 * H, P))
            if needs[3] or needs[4]:
                d_b = _owned(dw[:, :, F], (4 * H,))
        if needs[7]:
            d_whr = dh_all.T @ hh_all
        return (d_x, d_wih, d_whh, d_b if needs[3] else None, d_b if needs[4] else None,
                dh if need_dh0 else None, dc if needs[6] else None, d_whr)

    @staticmethod
    def backward(ctx, d_out, d_hn, d_cn):
        if _GRAD.enabled:  # create_graph: gradients as graph tensors
            return _recomputed_vjp(ctx, "LSTM", ctx.saved_tensors[:8], (d_out, d_hn, d_cn))
        grads = LSTMLayer.backward_arrays(ctx, *(None if g is None else g._data
                                                 for g in (d_out, d_hn, d_cn)))
        return tuple(None if g is None else Tensor._wrap(g) for g in grads)
