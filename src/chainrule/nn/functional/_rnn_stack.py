"""Multi-layer, bidirectional recurrent stacks and the single-step cells, as torch's ``_VF.lstm``
/ ``_VF.gru`` / ``_VF.rnn_tanh`` and ``_VF.lstm_cell`` ... (what ``nn.LSTM`` and friends call).

Each layer computes the input projection of every time step in one matrix product, then runs
the recurrence either as one fused op (the fast path: ``_rnn_lstm.LSTMLayer``, which does the
projection itself, ``_rnn.GRULayer``, ``_rnn.RNNLayer``) or unrolled into per-step Tensor ops
(``FUSED = False``, and the cells): both give the same values and gradients.
Data arrives in one of three layouts (see ``_rnn``): ``"tb"`` ``(T, B, F)``, ``"bt"``
``(B, T, F)`` or ``"packed"`` ``(N, F)`` with per-step batch sizes.
"""

from __future__ import annotations

from ... import ops
from ..._creation import zeros
from ..._tensor import Tensor
from . import _rnn
from ._rnn_lstm import LSTMLayer

__all__: list[str] = []

GATES = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}


# -- single steps, as Tensor ops (cells and the unrolled path) ------------------------------------
def lstm_step(gates: Tensor, c: Tensor, w_hr: Tensor | None) -> tuple[Tensor, Tensor]:
    """``gates = x W_ih^T + b_ih + h W_hh^T + b_hh`` (B, 4H), ordered i, f, g, o."""
    i, f, g, o = gates.chunk(4, -1)
    c_new = f.sigmoid() * c + i.sigmoid() * g.tanh()
    h_new = o.sigmoid() * c_new.tanh()
    if w_hr is not None:
        h_new = ops.linear(h_new, w_hr)
    return h_new, c_new


def gru_step(gx: Tensor, gh: Tensor, h: Tensor) -> Tensor:
    """``gx = x W_ih^T + b_ih``, ``gh = h W_hh^T + b_hh`` (B, 3H), ordered r, z, n."""
    xr, xz, xn = gx.chunk(3, -1)
    hr, hz, hn = gh.chunk(3, -1)
    r = (xr + hr).sigmoid()
    z = (xz + hz).sigmoid()
    n = (xn + r * hn).tanh()
    return n + z * (h - n)


def rnn_step(pre: Tensor, relu: bool) -> Tensor:
    return pre.relu() if relu else pre.tanh()


# -- one layer, one direction ---------------------------------------------------------------------
def _project(x: Tensor, w_ih: Tensor, bias: Tensor | None) -> Tensor:
    """``x W_ih^T + bias`` for every row of every step, as one matrix product."""
    if x.ndim == 2:
        return ops.linear(x, w_ih, bias)
    lead = x.shape[:-1]
    flat = x.reshape(-1, x.shape[-1])
    return ops.linear(flat, w_ih, bias).reshape(*lead, w_ih.shape[0])


def _layer_unrolled(mode, gx, w_hh, b_hh, h0, c0, w_hr, plan, reverse, batch, layout):
    """The recurrence as per-step Tensor ops; returns ``(out, h_n, c_n or None)``."""
    P = w_hh.shape[1]
    H = w_hr.shape[1] if w_hr is not None else P
    h = h0 if h0 is not None else zeros(batch, P, dtype=gx.dtype)
    c = None
    if mode == "LSTM":
        c = c0 if c0 is not None else zeros(batch, H, dtype=gx.dtype)
    outs = []
    for idx, bs in reversed(plan) if reverse else plan:
        hp = h if bs == batch else h[:bs]
        x_t = gx[idx]
        if mode == "LSTM":
            cp = c if bs == batch else c[:bs]
            hn, cn = lstm_step(x_t + ops.linear(hp, w_hh), cp, w_hr)
            c = cn if bs == batch else ops.cat([cn, c[bs:]])
        elif mode == "GRU":
            hn = gru_step(x_t, ops.linear(hp, w_hh, b_hh), hp)
        else:
            hn = rnn_step(x_t + ops.linear(hp, w_hh), mode == "RNN_RELU")
        h = hn if bs == batch else ops.cat([hn, h[bs:]])
        outs.append(hn)
    if reverse:
        outs.reverse()
    if layout == "packed":
        out = ops.cat(outs, 0)
    else:
        out = ops.stack(outs, 0 if layout == "tb" else 1)
    return out, h, c


def run_layer(mode, x, weights, h0, c0, plan, reverse, batch, layout):
    """One direction of one layer. ``weights = (w_ih, w_hh, b_ih, b_hh[, w_hr])`` (biases may be
    None). Returns ``(out, h_n, c_n or None)``."""
    w_ih, w_hh, b_ih, b_hh = weights[:4]
    w_hr = weights[4] if len(weights) > 4 else None
    if x.dtype != w_hh.dtype or (h0 is not None and h0.dtype != w_hh.dtype):
        raise RuntimeError(
            f"expected scalar type {w_hh.dtype} but found "
            f"{x.dtype if x.dtype != w_hh.dtype else h0.dtype} (input, hx and weights of a "
            "recurrent layer must share one dtype)"
        )
    if mode == "LSTM" and _rnn.FUSED:
        return LSTMLayer.apply(x, w_ih, w_hh, b_ih, b_hh, h0, c0, w_hr, plan=plan,
                               reverse=reverse, batch=batch)
    if mode == "GRU":
        gx = _project(x, w_ih, b_ih)
    else:
        gx = _project(x, w_ih, None if b_ih is None else b_ih + b_hh)
    if not _rnn.FUSED:
        return _layer_unrolled(
            mode, gx, w_hh, b_hh if mode == "GRU" else None, h0, c0, w_hr, plan, reverse,
            batch, layout,
        )
    if mode == "GRU":
        out, h = _rnn.GRULayer.apply(gx, w_hh, b_hh, h0, plan=plan, reverse=reverse, batch=batch)
        return out, h, None
    out, h = _rnn.RNNLayer.apply(gx, w_hh, h0, plan=plan, reverse=reverse, batch=batch,
                                 relu=mode == "RNN_RELU")
    return out, h, None


# -- the stack ------------------------------------------------------------------------------------
def run_stack(
    mode: str,
    x: Tensor,
    layout: str,
    plan: tuple,
    batch: int,
    hx: Tensor | None,
    cx: Tensor | None,
    weights: list,
    num_layers: int,
    bidirectional: bool,
    dropout: float,
    training: bool,
) -> tuple[Tensor, Tensor, Tensor | None]:
    """Runs ``num_layers`` layers (each one or two directions) over ``x``.

    ``weights`` holds one tuple per (layer, direction) in torch's order (layer 0 forward, layer
    0 reverse, layer 1 ...). ``hx``/``cx`` are ``(num_layers * D, B, *)`` or None. Dropout with
    probability ``dropout`` is applied to every layer's output except the last, when training.
    Returns ``(output, h_n, c_n or None)``, ``output`` in ``x``'s layout.
    """
    D = 2 if bidirectional else 1
    h_finals, c_finals = [], []
    batch_first = layout == "bt"
    if batch_first:
        # time-major inside: every step's rows are then contiguous (BLAS writes them in place);
        # the copy is of the narrow input, not of the 4H-wide gates
        x = x.transpose(0, 1)
        layout = "tb"
        plan = _rnn.step_plan("tb", x.shape)
    layer_input = x
    for layer in range(num_layers):
        outs = []
        for d in range(D):
            k = layer * D + d
            h0 = hx[k] if hx is not None else None
            c0 = cx[k] if cx is not None else None
            out, h_n, c_n = run_layer(mode, layer_input, weights[k], h0, c0, plan, d == 1,
                                      batch, layout)
            outs.append(out)
            h_finals.append(h_n)
            c_finals.append(c_n)
        layer_input = outs[0] if D == 1 else ops.cat(outs, -1)
        if dropout > 0 and training and layer < num_layers - 1:
            from ._dropout import dropout as _dropout

            layer_input = _dropout(layer_input, dropout, True)
    if len(h_finals) == 1:  # one layer, one direction: a view, no copy
        h_n = h_finals[0].unsqueeze(0)
        c_n = c_finals[0].unsqueeze(0) if mode == "LSTM" else None
    else:
        h_n = ops.stack(h_finals, 0)
        c_n = ops.stack(c_finals, 0) if mode == "LSTM" else None
    if batch_first:
        layer_input = layer_input.transpose(0, 1)
    return layer_input, h_n, c_n
