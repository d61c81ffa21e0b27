"""The fused LSTM layer: input projection, recurrence and backpropagation through time of one
direction of one layer as a single graph node (see ``_rnn`` for layouts, plans and why fused).

Layout. Each step multiplies one matrix ``[x_t | 1 | h_{t-1}]`` (``B x (F + 1 + P)``, rows of
the array ``xh``) by the weights of all four gates stacked with their biases: the input
projection, both biases and the recurrent product in one BLAS call per gate, written straight
into that step's gate block. Gate values are stored gate-major: a step's gates are one
contiguous ``(4, B, H)`` block (``acts[t]``), each gate a contiguous ``(B, H)`` block, so every
elementwise operation runs on contiguous memory (NumPy is ~2x slower on the strided column
blocks of a ``(B, 4H)`` row-major layout). Backward's gate gradients are ``(4, T, B, H)``, one
``(T B, H)`` matrix per gate. The step's new ``h`` is written into the next row of ``xh``;
backward gets all weight and bias gradients from one product per gate ``dgates^T xh``.

Gate order. Forward stores a step's gates as i, f, o, g (torch's rows are i, f, g, o): the three
sigmoid gates are then one contiguous block. ``sigmoid(a) = (1 + tanh(a / 2)) / 2`` with the
i, f, o weight columns halved (exact in binary floating point), so one ``tanh`` over the four
gates and one scalar scale-and-shift of the first three give every activation (a scalar operand
runs ~3x faster in NumPy than a per-gate broadcast one). Backward keeps its gate gradients as o,
i, f, g: the three scaled by ``dc`` are then contiguous. Weights are reordered on entry (they
are copied anyway) and weight gradients written back in torch's order.

Memory. The per-sequence arrays come from ``_rnn_pool`` (no page faults per step). When every
step has all rows (the time-major layout, or packed with equal lengths) the states a step reads
are views of what the previous step wrote (``xh`` and the cell states have one extra slot for
the initial state); packed batches of unequal lengths copy the state rows per step.
"""

from __future__ import annotations

import numpy as np

from ..._tensor import Tensor
from ...autograd.function import Op
from ...autograd.grad_mode import STATE as _GRAD
from . import _rnn_pool as pool
from ._rnn import _layout, _recomputed_vjp

__all__: list[str] = []

_ALL = slice(None)
_CHUNK = 64
_FWD = (0, 1, 3, 2)  # forward's gate order i, f, o, g, as indices into torch's i, f, g, o
_BWD = (3, 0, 1, 2)  # backward's o, i, f, g


def _stacked_weights(w_ih, w_hh, b_ih, b_hh, dtype, chunks: int) -> np.ndarray:
    """``(4, chunks, F + 1 + P, H / chunks)``: per gate (i, f, o, g) ``[W_ih^T; b_ih + b_hh;
    W_hh^T]``, the sigmoid gates halved, the columns split into ``chunks`` blocks (``_chunks``)."""
    G, F = w_ih.shape
    H, P = G // 4, w_hh.shape[1]
    n = H // chunks
    w = np.empty((4, chunks, F + 1 + P, n), dtype)
    fwd = list(_FWD)
    w[:, :, :F] = w_ih.reshape(4, chunks, n, F)[fwd].transpose(0, 1, 3, 2)
    if b_ih is None:
        w[:, :, F] = 0
    else:
        w[:, :, F] = (b_ih + b_hh).reshape(4, chunks, n)[fwd]
    w[:, :, F + 1 :] = w_hh.reshape(4, chunks, n, P)[fwd].transpose(0, 1, 3, 2)
    w[:3] *= 0.5
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
    whose leading axis holds backward's gates o, i, f, g, in torch's order i, f, g, o."""
    out = np.empty(shape, dw.dtype)
    gates = out.reshape(dw.shape)
    gates[:3] = dw[1:]
    gates[3] = dw[0]
    return out


def _steps(x: np.ndarray, plan: tuple, reverse: bool, batch: int) -> tuple[list, bool]:
    """``([(index, rows), ...] in processing order, uniform)``.

    Uniform (every step has all ``batch`` rows, time-major or packed): the data is viewed as
    ``(T, B, *)`` and ``index`` is ``(t,)``. Otherwise the plan's own indices.
    """
    layout = _layout(x, plan)
    if layout == "tb" or (layout == "packed" and all(bs == batch for _, bs in plan)):
        ts = range(len(plan) - 1, -1, -1) if reverse else range(len(plan))
        return [((t,), batch) for t in ts], True
    return list(plan[::-1] if reverse else plan), False


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
        H = w_hh.shape[0] // 4
        P = w_hh.shape[1]
        F = x.shape[-1]
        K = F + 1 + P
        dt = x.dtype
        keep = any(ctx.needs_input_grad)
        steps, uniform = _steps(x, plan, reverse, batch)
        chunks = _chunks(batch, K, H)
        n = H // chunks
        w = _stacked_weights(w_ih, w_hh, b_ih, b_hh, dt, chunks)
        w_hr_t = np.ascontiguousarray(w_hr.T) if w_hr is not None else None
        if uniform:
            T = len(plan)
            lay = (T, batch)
            # xh[r] = [x_t | 1 | h_{t-1}]: rows 0..T-1 (1..T in reverse) hold x, the extra row
            # the last state; step t writes its h into the row the next step reads
            xh = pool.take((T + 1, batch, K), dt)
            cs = pool.take((T + 1, batch, H), dt)
            rows = slice(1, None) if reverse else slice(None, -1)
            news = slice(None, -1) if reverse else slice(1, None)
            xh[rows, :, :F] = x.reshape(T, batch, F)
            first = T if reverse else 0
            xh[first, :, F + 1 :] = 0 if h0 is None else h0
            cs[first] = 0 if c0 is None else c0
            xh_rows, c_prev, c_new = xh[rows], cs[rows], cs[news]
            h_new = xh[news, :, F + 1 :]
            # a step's four gate blocks contiguous: (T, 4, B, H)
            acts = pool.take((T, 4, batch, H), dt)
            blocks = acts.reshape(T, 4, batch, chunks, n).transpose(0, 1, 3, 2, 4)
        else:
            lay = x.shape[:-1]
            xh_rows = pool.take(lay + (K,), dt)
            xh_rows[..., :F] = x
            h_new = out = pool.take(lay + (P,), dt)
            h = np.zeros((batch, P), dt) if h0 is None else h0.copy()
            c = np.zeros((batch, H), dt) if c0 is None else c0.copy()
            acts = pool.take((4,) + lay + (H,), dt)
            blocks = np.moveaxis(acts.reshape((4,) + lay + (chunks, n)), -2, 1)
            c_prev = pool.take(lay + (H,), dt) if keep else None
        xh_rows[..., F] = 1
        tanh_c = pool.take(lay + (H,), dt) if keep else None
        hh_all = pool.take(lay + (H,), dt) if keep and w_hr is not None else None
        scratch = np.empty((4, batch, H), dt)
        for idx, bs in steps:
            if uniform:
                a, out_blocks = acts[idx], blocks[idx]
                cp, cn = c_prev[idx], c_new[idx]
            else:  # the state rows this step reads are copied in
                a, out_blocks = acts[(_ALL,) + idx], blocks[(_ALL, _ALL) + idx]
                xh_rows[idx + (slice(F + 1, None),)] = h[:bs]
                cp = cn = c[:bs]  # updated in place, after its copy was saved
                if keep:
                    c_prev[idx] = cp
            np.matmul(xh_rows[idx], w, out=out_blocks)
            np.tanh(a, out=a)
            sig = a[:3]  # i, f, o
            sig *= 0.5
            sig += 0.5
            ig = scratch[0, :bs]
            np.multiply(a[0], a[3], out=ig)
            np.multiply(a[1], cp, out=cn)
            cn += ig
            tc = tanh_c[idx] if keep else scratch[1, :bs]
            np.tanh(cn, out=tc)
            hn = h_new[idx]
            if w_hr_t is None:
                np.multiply(a[2], tc, out=hn)
            else:
                hh = hh_all[idx] if keep else scratch[3, :bs]
                np.multiply(a[2], tc, out=hh)
                np.matmul(hh, w_hr_t, out=hn)
            if not uniform:
                h[:bs] = hn
        if uniform:
            out = pool.take(lay + (P,), dt)
            np.copyto(out, h_new)
            last = steps[-1][0]
            h, c = out[last].copy(), c_new[last].copy()
            out = out.reshape(x.shape[:-1] + (P,))
        if keep:
            ctx.plan, ctx.reverse, ctx.batch = plan, reverse, batch
            ctx.steps, ctx.uniform, ctx.x_shape = steps, uniform, x.shape
            # ``out`` is saved as the output, so an in-place change of it is refused at backward
            ctx.save_for_backward(x, w_ih, w_hh, b_ih, b_hh, h0, c0, w_hr, out, xh_rows, acts,
                                  c_prev, tanh_c, hh_all)
        return out, h, c

    @staticmethod
    def backward_arrays(ctx, d_out, d_hn, d_cn):
        (_, w_ih, w_hh, _, _, _, _, w_hr, out, xh_rows, acts, c_prev, tanh_c,
         hh_all) = ctx.saved_arrays
        needs = ctx.needs_input_grad
        H = w_hh.shape[0] // 4
        P = w_hh.shape[1]
        F = w_ih.shape[1]
        dt = acts.dtype
        lay = tanh_c.shape[:-1]
        batch = ctx.batch
        steps = ctx.steps
        d_out = d_out.reshape(lay + (P,))
        dh = np.zeros((batch, P), dt) if d_hn is None else d_hn.copy()
        dc = np.zeros((batch, H), dt) if d_cn is None else d_cn.copy()
        # Every step's gate derivatives at once: d a = k * (dh, dc, dc, dc) per step for the
        # gates o, i, f, g, next to dc's factor from h, k_c = o (1 - tanh(c')^2), in one array
        # [k_c, k] (one call scales both by dh). With hh = o tanh(c') (the output, or before the
        # projection) and ig = i g: tanh(c') o(1-o) = hh (1-o), k_c = o - hh tanh(c'),
        # g i(1-i) = ig (1-i), i (1-g^2) = i - ig g, c f(1-f) as it stands.
        i, f, o, g = acts.transpose(1, 0, 2, 3) if ctx.uniform else acts
        hh = hh_all if w_hr is not None else out.reshape(lay + (H,))
        kk = pool.take((5,) + lay + (H,), dt)  # becomes (dc part, d a), step by step
        k_c, k = kk[0], kk[1:]
        np.subtract(1.0, o, out=k[0])
        k[0] *= hh
        np.multiply(hh, tanh_c, out=k_c)
        np.subtract(o, k_c, out=k_c)
        np.multiply(i, g, out=k[3])  # ig, for now
        np.subtract(1.0, i, out=k[1])
        k[1] *= k[3]
        k[3] *= g
        np.subtract(i, k[3], out=k[3])
        np.subtract(1.0, f, out=k[2])
        k[2] *= f
        k[2] *= c_prev
        w4 = _rows(w_hh, _BWD)
        scratch = np.empty((batch, H), dt)
        parts_buf = np.empty((4, batch, P), dt)
        dh_all = pool.take(lay + (P,), dt) if w_hr is not None else None
        need_dh0 = needs[5]
        for s, (idx, bs) in enumerate(steps[::-1]):
            dhb, dcb = dh[:bs], dc[:bs]
            if w_hr is None:
                dhb += d_out[idx]
                m = dhb
            else:
                d = dh_all[idx]
                np.add(dhb, d_out[idx], out=d)
                m = np.matmul(d, w_hr, out=scratch[:bs])
            z5 = kk[(_ALL,) + idx]
            z5[:2] *= m  # dc's part from h, and d a_o
            dcb += z5[0]
            z5[2:] *= dcb
            dcb *= f[idx]
            if s + 1 < len(steps) or need_dh0:
                parts = parts_buf[:, :bs]
                np.matmul(z5[1:], w4, out=parts)
                np.add.reduce(parts, axis=0, out=dhb)
        z = k.reshape(4, -1, H)
        d_x = d_wih = d_whh = d_b = d_whr = None
        if needs[0]:
            d_x = np.add.reduce(np.matmul(z, _rows(w_ih, _BWD)), axis=0)
            d_x = d_x.reshape(ctx.x_shape)
        if needs[1] or needs[2] or needs[3] or needs[4]:
            dw = np.matmul(z.transpose(0, 2, 1), xh_rows.reshape(-1, F + 1 + P))
            if needs[1]:
                d_wih = _owned(dw[:, :, :F], (4 * H, F))
            if needs[2]:
                d_whh = _owned(dw[:, :, F + 1 :], (4 * H, P))
            if needs[3] or needs[4]:
                d_b = _owned(dw[:, :, F], (4 * H,))
        if needs[7]:
            d_whr = dh_all.reshape(-1, P).T @ hh_all.reshape(-1, H)
        return (d_x, d_wih, d_whh, d_b if needs[3] else None, d_b if needs[4] else None,
                dh if need_dh0 else None, dc if needs[6] else None, d_whr)

    @staticmethod
    def backward(ctx, d_out, d_hn, d_cn):
        if _GRAD.enabled:  # create_graph: gradients as graph tensors
            return _recomputed_vjp(ctx, "LSTM", ctx.saved_tensors[:8], (d_out, d_hn, d_cn))
        grads = LSTMLayer.backward_arrays(ctx, *(None if g is None else g._data
                                                 for g in (d_out, d_hn, d_cn)))
        return tuple(None if g is None else Tensor._wrap(g) for g in grads)
