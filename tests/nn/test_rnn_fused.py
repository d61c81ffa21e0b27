"""The fused LSTM layer's fast paths against torch: column-split products (hidden 128), equal-length
packed batches, float32, and the buffer pool (buffers lent again only when nothing holds them).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.utils.rnn as trnn

import chainrule as cr
import chainrule.nn.utils.rnn as crnn
from chainrule.nn.functional import _rnn, _rnn_lstm, _rnn_pool

TOL = {"rtol": 1e-9, "atol": 1e-10}


def _pair(*args, dtype=torch.float64, **kwargs):
    t = torch.nn.LSTM(*args, dtype=dtype, **kwargs)
    c = cr.nn.LSTM(*args, dtype=getattr(cr, str(dtype).split(".")[-1]), **kwargs)
    c.load_state_dict({k: cr.tensor(v.numpy()) for k, v in t.state_dict().items()})
    return t, c


def _grads(mod):
    return {name: p.grad.numpy().copy() for name, p in mod.named_parameters()}


def _assert_grads(c_mod, t_mod, **tol):
    c_grads = _grads(c_mod)
    for name, g in _grads(t_mod).items():
        np.testing.assert_allclose(c_grads[name], g, err_msg=name, **(tol or TOL))


def _run(mod, lib, x, upstream, state=None):
    """``out``, ``h_n``, ``c_n`` and the loss that weights each by a fixed random upstream."""
    out, (h, c) = mod(x, state) if state is not None else mod(x)
    if isinstance(out, (trnn.PackedSequence, crnn.PackedSequence)):
        out = out.data
    loss = sum((v * lib.tensor(u)).sum() for v, u in zip((out, h, c), upstream))
    return out, h, c, loss


def _upstream(rng, *shapes):
    return [rng.standard_normal(s) for s in shapes]


@pytest.mark.parametrize("bidir", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
def test_column_split_products_match_torch(bidir, batch_first):
    # hidden 128, batch 4: the per-step products run as two 64-column halves per gate
    H, B, T, F = 128, 4, 3, 5
    assert _rnn_lstm._chunks(B, F + 1 + H, H) == 2
    rng = np.random.default_rng(0)
    t_mod, c_mod = _pair(F, H, bidirectional=bidir, batch_first=batch_first)
    D = 2 if bidir else 1
    x = rng.standard_normal((B, T, F) if batch_first else (T, B, F))
    h0, c0 = rng.standard_normal((D, B, H)), rng.standard_normal((D, B, H))
    tx, th, tc = (torch.tensor(a, requires_grad=True) for a in (x, h0, c0))
    cx, ch, cc = (cr.tensor(a, requires_grad=True) for a in (x, h0, c0))
    out_shape = (B, T, D * H) if batch_first else (T, B, D * H)
    up = _upstream(rng, out_shape, (D, B, H), (D, B, H))
    t_res = _run(t_mod, torch, tx, up, (th, tc))
    c_res = _run(c_mod, cr, cx, up, (ch, cc))
    for t, c in zip(t_res[:3], c_res[:3]):
        np.testing.assert_allclose(c.detach().numpy(), t.detach().numpy(), **TOL)
    t_res[3].backward()
    c_res[3].backward()
    for t, c in zip((tx, th, tc), (cx, ch, cc)):
        np.testing.assert_allclose(c.grad.numpy(), t.grad.numpy(), **TOL)
    _assert_grads(c_mod, t_mod)


def test_equal_length_packed_batch_takes_the_uniform_path():
    rng = np.random.default_rng(1)
    t_mod, c_mod = _pair(3, 4, bidirectional=True)
    x = rng.standard_normal((5, 3, 3))
    tx, cx = torch.tensor(x, requires_grad=True), cr.tensor(x, requires_grad=True)
    tp = trnn.pack_padded_sequence(tx, [5, 5, 5])
    cp = crnn.pack_padded_sequence(cx, [5, 5, 5])
    plan = _rnn.step_plan("packed", None, [3] * 5)
    assert _rnn_lstm._steps(cp.data.detach().numpy(), plan, False, 3)[1]  # uniform
    up = _upstream(rng, (15, 8), (2, 3, 4), (2, 3, 4))
    t_res = _run(t_mod, torch, tp, up)
    c_res = _run(c_mod, cr, cp, up)
    for t, c in zip(t_res[:3], c_res[:3]):
        np.testing.assert_allclose(c.detach().numpy(), t.detach().numpy(), **TOL)
    t_res[3].backward()
    c_res[3].backward()
    np.testing.assert_allclose(cx.grad.numpy(), tx.grad.numpy(), **TOL)
    _assert_grads(c_mod, t_mod)


def test_float32_workload_size_matches_torch():
    # the benchmark's shapes in float32: the tanh form of sigmoid stays within float32 noise
    rng = np.random.default_rng(2)
    t_mod, c_mod = _pair(32, 128, batch_first=True, dtype=torch.float32)
    x = rng.standard_normal((8, 35, 32)).astype(np.float32)
    up = [u.astype(np.float32) for u in _upstream(rng, (8, 35, 128), (1, 8, 128), (1, 8, 128))]
    t_res = _run(t_mod, torch, torch.tensor(x), up)
    c_res = _run(c_mod, cr, cr.tensor(x), up)
    for t, c in zip(t_res[:3], c_res[:3]):
        assert c.dtype == cr.float32
        np.testing.assert_allclose(c.detach().numpy(), t.detach().numpy(), rtol=1e-4, atol=2e-6)
    t_res[3].backward()
    c_res[3].backward()
    c_grads = _grads(c_mod)
    for name, g in _grads(t_mod).items():
        assert c_grads[name].dtype == np.float32
        scale = np.abs(g).max()
        np.testing.assert_allclose(c_grads[name], g, rtol=0, atol=2e-5 * scale, err_msg=name)


def _workload(seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((4, 3, 6)), _upstream(rng, (4, 3, 128), (1, 3, 128), (1, 3, 128))


def test_two_graphs_alive_before_backward():
    # the second forward must not reuse the first graph's saved buffers
    t_mod, c_mod = _pair(6, 128)
    t_loss = c_loss = 0
    outs = []
    for seed in (3, 4):
        x, up = _workload(seed)
        t_res = _run(t_mod, torch, torch.tensor(x), up)
        c_res = _run(c_mod, cr, cr.tensor(x), up)
        outs.append((t_res[0], c_res[0]))
        t_loss, c_loss = t_loss + t_res[3], c_loss + c_res[3]
    t_loss.backward()
    c_loss.backward()
    _assert_grads(c_mod, t_mod)
    for t, c in outs:  # outputs the caller kept are left alone by later layers' buffers
        np.testing.assert_allclose(c.detach().numpy(), t.detach().numpy(), **TOL)


def test_kept_output_survives_later_steps():
    t_mod, c_mod = _pair(6, 128)
    x, _ = _workload(5)
    kept = c_mod(cr.tensor(x))[0]
    expected = t_mod(torch.tensor(x))[0].detach().numpy()
    for seed in (6, 7):  # later steps, forward and backward
        x2, up2 = _workload(seed)
        _run(c_mod, cr, cr.tensor(x2), up2)[3].backward()
    np.testing.assert_allclose(kept.detach().numpy(), expected, **TOL)


def test_backward_twice_with_retain_graph():
    t_mod, c_mod = _pair(6, 128)
    x, up = _workload(8)
    t_loss = _run(t_mod, torch, torch.tensor(x), up)[3]
    c_loss = _run(c_mod, cr, cr.tensor(x), up)[3]
    for _ in range(2):
        t_loss.backward(retain_graph=True)
        c_loss.backward(retain_graph=True)
        x2, _ = _workload(9)  # a step in between must not take the retained buffers
        c_mod.zero_grad()
        t_mod.zero_grad()
        with cr.no_grad():
            c_mod(cr.tensor(x2))
    t_loss.backward()
    c_loss.backward()
    _assert_grads(c_mod, t_mod)


def test_in_place_change_of_output_is_refused():
    _, c_mod = _pair(3, 4, batch_first=True)
    out, _ = c_mod(cr.tensor(np.ones((2, 3, 3))))
    out[:, -1].mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.sum().backward()


def test_pool_lends_a_buffer_again_only_when_free():
    _rnn_pool.clear()
    a = _rnn_pool.take((3, 4), np.float32)
    b = _rnn_pool.take((3, 4), np.float32)
    assert a is not b
    view = a[1:]
    del a
    c = _rnn_pool.take((3, 4), np.float32)
    assert c is not view.base and c is not b  # a view keeps its base in use
    del view
    d = _rnn_pool.take((3, 4), np.float32)
    assert d.shape == (3, 4) and d is not b and d is not c
    assert _rnn_pool.take((3, 4), np.float64).dtype == np.float64
    _rnn_pool.clear()


def test_pool_stays_within_its_byte_budget(monkeypatch):
    _rnn_pool.clear()
    monkeypatch.setattr(_rnn_pool, "MAX_BYTES", 1000)
    held = [_rnn_pool.take((100,), np.float32) for _ in range(3)]  # 400 bytes each
    assert sum(b.nbytes for b in _rnn_pool._LOCAL.pool) <= 1000
    del held
    _rnn_pool.take((200,), np.float32)  # 800 bytes: the free ones make room
    assert sum(b.nbytes for b in _rnn_pool._LOCAL.pool) <= 1000
    _rnn_pool.clear()


@pytest.mark.parametrize("packed", [False, True])
def test_second_backward_recomputes_the_spent_gate_factors(packed):
    # backward scales forward's saved gate factors in place; a retained graph's second backward
    # (batch-first or unequal packed lengths, with a projection) must recompute them
    rng = np.random.default_rng(10)
    t_mod, c_mod = _pair(3, 8, proj_size=5, batch_first=True)
    x = rng.standard_normal((3, 4, 3))
    tx, cx = torch.tensor(x, requires_grad=True), cr.tensor(x, requires_grad=True)
    if packed:
        tx_in = trnn.pack_padded_sequence(tx, [4, 2, 1], batch_first=True)
        cx_in = crnn.pack_padded_sequence(cx, [4, 2, 1], batch_first=True)
        out_shape = (7, 5)
    else:
        tx_in, cx_in, out_shape = tx, cx, (3, 4, 5)
    up = _upstream(rng, out_shape, (1, 3, 5), (1, 3, 8))
    t_loss = _run(t_mod, torch, tx_in, up)[3]
    c_loss = _run(c_mod, cr, cx_in, up)[3]
    for _ in range(2):
        t_loss.backward(retain_graph=True)
        c_loss.backward(retain_graph=True)
    np.testing.assert_allclose(cx.grad.numpy(), tx.grad.numpy(), **TOL)
    _assert_grads(c_mod, t_mod)
