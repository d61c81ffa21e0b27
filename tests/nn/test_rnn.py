"""RNN, LSTM, GRU, their cells and nn.utils.rnn against torch (float64, weights via state_dict).

Every case compares outputs, final states, the input's gradient and every parameter's gradient
under random upstream gradients on all outputs (output and final states).
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
import torch
import torch.nn.utils.rnn as trnn

import chainrule as cr
import chainrule.nn.utils.rnn as crnn
from chainrule.nn.functional import _rnn

TOL = dict(rtol=1e-9, atol=1e-10)
KINDS = ["RNN_TANH", "RNN_RELU", "GRU", "LSTM"]


def _pair(kind: str, *args, **kwargs):
    """A torch module and a chainrule one with the same (torch's) weights, float64."""
    if kind.startswith("RNN"):
        kwargs["nonlinearity"] = "tanh" if kind == "RNN_TANH" else "relu"
        t_cls, c_cls = torch.nn.RNN, cr.nn.RNN
    else:
        t_cls, c_cls = getattr(torch.nn, kind), getattr(cr.nn, kind)
    t = t_cls(*args, dtype=torch.float64, **kwargs)
    c = c_cls(*args, dtype=cr.float64, **kwargs)
    assert list(c.state_dict()) == list(t.state_dict())
    c.load_state_dict({k: cr.tensor(v.numpy()) for k, v in t.state_dict().items()})
    return t, c


def _cell_pair(kind: str, *args, **kwargs):
    if kind.startswith("RNN"):
        kwargs["nonlinearity"] = "tanh" if kind == "RNN_TANH" else "relu"
        t_cls, c_cls = torch.nn.RNNCell, cr.nn.RNNCell
    else:
        t_cls, c_cls = getattr(torch.nn, kind + "Cell"), getattr(cr.nn, kind + "Cell")
    t = t_cls(*args, dtype=torch.float64, **kwargs)
    c = c_cls(*args, dtype=cr.float64, **kwargs)
    assert list(c.state_dict()) == list(t.state_dict())
    c.load_state_dict({k: cr.tensor(v.numpy()) for k, v in t.state_dict().items()})
    return t, c


def _leaves(rng, *shapes):
    arrays = [rng.standard_normal(s) for s in shapes]
    return ([torch.tensor(a, requires_grad=True) for a in arrays],
            [cr.tensor(a, requires_grad=True) for a in arrays])


def _flat(out):
    if isinstance(out, (tuple, list)):
        return [t for o in out for t in _flat(o)]
    if isinstance(out, (trnn.PackedSequence, crnn.PackedSequence)):
        return [out.data]
    return [out]


def _check(t_out, c_out, t_inputs, c_inputs, t_mod, c_mod, rng):
    """Values of all outputs, then gradients of inputs and parameters under random upstreams."""
    t_flat, c_flat = _flat(t_out), _flat(c_out)
    assert len(t_flat) == len(c_flat)
    t_loss = 0
    c_loss = 0
    for t, c in zip(t_flat, c_flat):
        assert tuple(c.shape) == tuple(t.shape)
        assert c.dtype == cr.float64
        np.testing.assert_allclose(c.detach().numpy(), t.detach().numpy(), **TOL)
        g = rng.standard_normal(tuple(t.shape))
        t_loss = t_loss + (t * torch.tensor(g)).sum()
        c_loss = c_loss + (c * cr.tensor(g)).sum()
    t_loss.backward()
    c_loss.backward()
    for t, c in zip(t_inputs, c_inputs):
        np.testing.assert_allclose(c.grad.numpy(), t.grad.numpy(), **TOL)
    c_params = dict(c_mod.named_parameters())
    for name, p in t_mod.named_parameters():
        assert c_params[name].grad is not None, name
        np.testing.assert_allclose(c_params[name].grad.numpy(), p.grad.numpy(), **TOL,
                                   err_msg=name)


@pytest.fixture(params=[True, False], ids=["fused", "unrolled"])
def fused(request):
    old = _rnn.FUSED
    _rnn.FUSED = request.param
    yield request.param
    _rnn.FUSED = old


CASES = [
    (kind, layers, bidir, batch_first, bias, with_state, proj)
    for kind, layers, bidir, batch_first, bias, with_state, proj in itertools.product(
        KINDS, [1, 2], [False, True], [False, True], [True, False], [False, True], [0, 2])
    if (proj == 0 or kind == "LSTM") and (bias or (batch_first and layers == 2))
]


@pytest.mark.parametrize("kind,layers,bidir,batch_first,bias,with_state,proj", CASES)
def test_stack_matches_torch(kind, layers, bidir, batch_first, bias, with_state, proj, fused):
    rng = np.random.default_rng(len(CASES))
    kw = dict(num_layers=layers, bidirectional=bidir, batch_first=batch_first, bias=bias)
    if proj:
        kw["proj_size"] = proj
    t_mod, c_mod = _pair(kind, 3, 5, **kw)
    T, B, D = 4, 3, 2 if bidir else 1
    x_shape = (B, T, 3) if batch_first else (T, B, 3)
    shapes = [x_shape]
    if with_state:
        shapes.append((layers * D, B, proj or 5))
        if kind == "LSTM":
            shapes.append((layers * D, B, 5))
    t_in, c_in = _leaves(rng, *shapes)
    if with_state:
        t_state = tuple(t_in[1:]) if kind == "LSTM" else t_in[1]
        c_state = tuple(c_in[1:]) if kind == "LSTM" else c_in[1]
        t_out, c_out = t_mod(t_in[0], t_state), c_mod(c_in[0], c_state)
    else:
        t_out, c_out = t_mod(t_in[0]), c_mod(c_in[0])
    _check(t_out, c_out, t_in, c_in, t_mod, c_mod, rng)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("with_state", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
def test_unbatched_input(kind, with_state, batch_first, fused):
    rng = np.random.default_rng(1)
    t_mod, c_mod = _pair(kind, 3, 4, num_layers=2, bidirectional=True, batch_first=batch_first)
    shapes = [(5, 3)] + ([(4, 4)] * (2 if kind == "LSTM" else 1) if with_state else [])
    t_in, c_in = _leaves(rng, *shapes)
    args_t, args_c = [t_in[0]], [c_in[0]]
    if with_state:
        args_t.append(tuple(t_in[1:]) if kind == "LSTM" else t_in[1])
        args_c.append(tuple(c_in[1:]) if kind == "LSTM" else c_in[1])
    _check(t_mod(*args_t), c_mod(*args_c), t_in, c_in, t_mod, c_mod, rng)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("layers,bidir", [(1, False), (2, True)])
@pytest.mark.parametrize("with_state", [False, True])
@pytest.mark.parametrize("enforce_sorted", [False, True])
def test_packed_sequence(kind, layers, bidir, with_state, enforce_sorted, fused):
    rng = np.random.default_rng(2)
    lengths = [5, 4, 4, 2, 1] if enforce_sorted else [2, 5, 1, 4, 4]
    t_mod, c_mod = _pair(kind, 3, 4, num_layers=layers, bidirectional=bidir)
    D = 2 if bidir else 1
    shapes = [(5, 5, 3)] + ([(layers * D, 5, 4)] * (2 if kind == "LSTM" else 1)
                            if with_state else [])
    t_in, c_in = _leaves(rng, *shapes)
    t_packed = trnn.pack_padded_sequence(t_in[0], lengths, enforce_sorted=enforce_sorted)
    c_packed = crnn.pack_padded_sequence(c_in[0], lengths, enforce_sorted=enforce_sorted)
    args_t, args_c = [t_packed], [c_packed]
    if with_state:
        args_t.append(tuple(t_in[1:]) if kind == "LSTM" else t_in[1])
        args_c.append(tuple(c_in[1:]) if kind == "LSTM" else c_in[1])
    t_out, c_out = t_mod(*args_t), c_mod(*args_c)
    assert isinstance(c_out[0], crnn.PackedSequence)
    for name in ("batch_sizes", "sorted_indices", "unsorted_indices"):
        t_v, c_v = getattr(t_out[0], name), getattr(c_out[0], name)
        assert (t_v is None) == (c_v is None)
        if t_v is not None:
            np.testing.assert_array_equal(c_v.numpy(), t_v.numpy())
    # padded view of the output too: pad_packed_sequence is part of what is checked
    t_pad, _ = trnn.pad_packed_sequence(t_out[0], padding_value=0.5)
    c_pad, _ = crnn.pad_packed_sequence(c_out[0], padding_value=0.5)
    _check((t_pad, t_out[1]), (c_pad, c_out[1]), t_in, c_in, t_mod, c_mod, rng)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("with_state", [False, True])
@pytest.mark.parametrize("bias", [True, False])
def test_cells(kind, batched, with_state, bias):
    rng = np.random.default_rng(3)
    t_mod, c_mod = _cell_pair(kind, 3, 4, bias=bias)
    lead = (2,) if batched else ()
    shapes = [lead + (3,)] + ([lead + (4,)] * (2 if kind == "LSTM" else 1) if with_state else [])
    t_in, c_in = _leaves(rng, *shapes)
    args_t, args_c = [t_in[0]], [c_in[0]]
    if with_state:
        args_t.append(tuple(t_in[1:]) if kind == "LSTM" else t_in[1])
        args_c.append(tuple(c_in[1:]) if kind == "LSTM" else c_in[1])
    _check(t_mod(*args_t), c_mod(*args_c), t_in, c_in, t_mod, c_mod, rng)


def test_cell_repr_and_errors():
    assert repr(cr.nn.RNNCell(3, 4, bias=False, nonlinearity="relu")) == repr(
        torch.nn.RNNCell(3, 4, bias=False, nonlinearity="relu"))
    assert repr(cr.nn.LSTMCell(3, 4)) == repr(torch.nn.LSTMCell(3, 4))
    cell = cr.nn.GRUCell(3, 4)
    with pytest.raises(ValueError, match="GRUCell: Expected input to be 1D or 2D, got 3D"):
        cell(cr.zeros(1, 2, 3))
    with pytest.raises(RuntimeError, match="input has inconsistent input_size: got 2 expected 3"):
        cell(cr.zeros(2, 2))
    with pytest.raises(RuntimeError, match="hidden0 has inconsistent hidden_size"):
        cell(cr.zeros(2, 3), cr.zeros(2, 5))


def test_float32_default_and_init_bounds():
    m = cr.nn.LSTM(6, 16, num_layers=2, proj_size=4)
    t = torch.nn.LSTM(6, 16, num_layers=2, proj_size=4)
    assert [(k, tuple(v.shape)) for k, v in m.state_dict().items()] == [
        (k, tuple(v.shape)) for k, v in t.state_dict().items()]
    bound = 1 / 4  # 1/sqrt(hidden_size)
    for p in m.parameters():
        assert p.dtype == cr.float32
        data = p.detach().numpy()
        assert np.all(np.abs(data) <= bound) and data.std() > bound / 3
    out, (h, c) = m(cr.randn(5, 2, 6))
    assert out.dtype == h.dtype == c.dtype == cr.float32
    assert tuple(out.shape) == (5, 2, 4) and tuple(h.shape) == (2, 2, 4)
    assert tuple(c.shape) == (2, 2, 16)
    m.flatten_parameters()  # a no-op, as on CPU in torch
    assert repr(m) == repr(t)


def test_state_dict_moves_both_ways():
    t = torch.nn.GRU(3, 4, num_layers=2, bidirectional=True)
    c = cr.nn.GRU(3, 4, num_layers=2, bidirectional=True)
    t.load_state_dict({k: torch.tensor(v.numpy()) for k, v in c.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((4, 2, 3)).astype(np.float32)
    np.testing.assert_allclose(c(cr.tensor(x))[0].detach().numpy(),
                               t(torch.tensor(x))[0].detach().numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kind", KINDS)
def test_gradcheck(kind, fused):
    rng = np.random.default_rng(4)
    _, c_mod = _pair(kind, 2, 3, num_layers=2, bidirectional=True)
    x = cr.tensor(rng.standard_normal((3, 2, 2)), requires_grad=True)
    w = c_mod.weight_hh_l0

    def fn(x, w):
        out, h = c_mod(x)
        h = h[0] if kind == "LSTM" else h
        return out, h

    assert cr.autograd.gradcheck(fn, (x, w))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("packed", [False, True])
def test_double_backward(kind, packed, fused):
    """create_graph through a layer: the fused op reruns it as Tensor ops (any order works)."""
    rng = np.random.default_rng(5)
    t_mod, c_mod = _pair(kind, 2, 3, bidirectional=True)
    (tx,), (cx,) = _leaves(rng, (4, 3, 2))

    def run(mod, x, nn_utils):
        if packed:
            x = nn_utils.pack_padded_sequence(x, [4, 2, 3], enforce_sorted=False)
        out, h = mod(x)
        out = out.data if packed else out
        h = h[1] if kind == "LSTM" else h
        return (out.pow(2).sum() + (h * h.sum()).sum())

    t_params = [tx] + list(t_mod.parameters())
    c_params = [cx] + list(c_mod.parameters())
    t_g = torch.autograd.grad(run(t_mod, tx, trnn), t_params, create_graph=True)
    c_g = cr.autograd.grad(run(c_mod, cx, crnn), c_params, create_graph=True)
    weights = [rng.standard_normal(tuple(g.shape)) for g in t_g]
    sum(((g * torch.tensor(w)).sum() for g, w in zip(t_g, weights))).backward()
    sum(((g * cr.tensor(w)).sum() for g, w in zip(c_g, weights))).backward()
    for t, c in zip(t_params, c_params):
        np.testing.assert_allclose(c.grad.numpy(), t.grad.numpy(), **TOL)


def test_gradgradcheck_fused_lstm():
    rng = np.random.default_rng(11)
    _, c_mod = _pair("LSTM", 2, 2, proj_size=1)
    x = cr.tensor(rng.standard_normal((3, 1, 2)), requires_grad=True)
    w = c_mod.weight_hh_l0

    def fn(x, w):
        out, (h, c) = c_mod(x)
        return out, c

    assert cr.autograd.gradgradcheck(fn, (x, w))


def test_retain_graph_backward_twice():
    rng = np.random.default_rng(6)
    t_mod, c_mod = _pair("GRU", 2, 3)
    x = rng.standard_normal((3, 2, 2))
    tx, cx = torch.tensor(x, requires_grad=True), cr.tensor(x, requires_grad=True)
    t_out, c_out = t_mod(tx)[0].sum(), c_mod(cx)[0].sum()
    t_out.backward(retain_graph=True)
    t_out.backward()
    c_out.backward(retain_graph=True)
    c_out.backward()
    np.testing.assert_allclose(cx.grad.numpy(), tx.grad.numpy(), **TOL)
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        c_out.backward()


def test_no_grad_forward_records_nothing():
    m = cr.nn.LSTM(3, 4)
    with cr.no_grad():
        out, _ = m(cr.randn(5, 2, 3))
    assert out.grad_fn is None and not out.requires_grad


def test_dropout_between_layers():
    m = cr.nn.LSTM(4, 8, num_layers=3, dropout=0.5)
    x = cr.randn(6, 3, 4)
    m.eval()
    ref = m(x)[0]
    _rnn_old = _rnn.FUSED
    m.dropout = 0.0
    m.train()
    np.testing.assert_allclose(m(x)[0].detach().numpy(), ref.detach().numpy(), rtol=1e-6)
    m.dropout = 0.5
    outs = [m(x)[0].detach().numpy() for _ in range(2)]
    assert not np.allclose(outs[0], ref.detach().numpy())
    assert not np.allclose(outs[0], outs[1])  # fresh masks each call
    assert _rnn.FUSED == _rnn_old
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        cr.nn.GRU(2, 3, dropout=0.2)


def test_errors_match_torch():
    lstm = cr.nn.LSTM(3, 4, num_layers=2)
    with pytest.raises(ValueError, match="LSTM: Expected input to be 2D or 3D, got 4D instead"):
        lstm(cr.zeros(1, 2, 3, 3))
    with pytest.raises(RuntimeError, match="input.size\\(-1\\) must be equal to input_size. "
                                           "Expected 3, got 2"):
        lstm(cr.zeros(5, 2, 2))
    with pytest.raises(RuntimeError, match=r"Expected hidden\[0\] size \(2, 2, 4\), got "
                                           r"\[1, 2, 4\]"):
        lstm(cr.zeros(5, 2, 3), (cr.zeros(1, 2, 4), cr.zeros(2, 2, 4)))
    with pytest.raises(RuntimeError, match="For unbatched 2-D input, hx and cx should also be "
                                           "2-D but got \\(3-D, 3-D\\) tensors"):
        lstm(cr.zeros(5, 3), (cr.zeros(2, 1, 4), cr.zeros(2, 1, 4)))
    with pytest.raises(ValueError, match="does not match weight dtype"):
        lstm(cr.zeros(5, 2, 3, dtype=cr.float64))
    gru = cr.nn.GRU(3, 4)
    with pytest.raises(RuntimeError, match=r"Expected hidden size \(1, 2, 4\), got \[1, 3, 4\]"):
        gru(cr.zeros(5, 2, 3), cr.zeros(1, 3, 4))
    with pytest.raises(RuntimeError, match="For batched 3-D input, hx should also be 3-D"):
        gru(cr.zeros(5, 2, 3), cr.zeros(2, 4))
    with pytest.raises(ValueError, match="proj_size argument is only supported for LSTM"):
        cr.nn.GRU(3, 4, proj_size=2)
    with pytest.raises(ValueError, match="Unknown nonlinearity 'gelu'"):
        cr.nn.RNN(3, 4, nonlinearity="gelu")
    with pytest.raises(ValueError, match="proj_size has to be smaller than hidden_size"):
        cr.nn.LSTM(3, 4, proj_size=4)
    with pytest.raises(ValueError, match="dropout should be a number in range"):
        cr.nn.LSTM(3, 4, dropout=1.5)


def test_positional_nonlinearity_and_repr():
    for args, kwargs in [((3, 4, 2, "relu"), {}), ((3, 4), dict(bias=False, batch_first=True,
                                                              bidirectional=True))]:
        assert repr(cr.nn.RNN(*args, **kwargs)) == repr(torch.nn.RNN(*args, **kwargs))
    assert cr.nn.RNN(3, 4, 2, "relu").mode == "RNN_RELU"
    m = cr.nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    assert [[tuple(p.shape) for p in ws] for ws in m.all_weights] == [
        [tuple(p.shape) for p in ws] for ws in torch.nn.LSTM(3, 4, 2, bidirectional=True)
        .all_weights]


# -- nn.utils.rnn ---------------------------------------------------------------------------------
LENGTHS = [3, 5, 1, 5, 2]


def _sequences(rng):
    arrays = [rng.standard_normal((n, 2)) for n in LENGTHS]
    return ([torch.tensor(a, requires_grad=True) for a in arrays],
            [cr.tensor(a, requires_grad=True) for a in arrays])


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("side", ["right", "left"])
def test_pad_sequence(batch_first, side):
    rng = np.random.default_rng(7)
    t_seqs, c_seqs = _sequences(rng)
    t = trnn.pad_sequence(t_seqs, batch_first=batch_first, padding_value=-1.5, padding_side=side)
    c = crnn.pad_sequence(c_seqs, batch_first=batch_first, padding_value=-1.5, padding_side=side)
    g = rng.standard_normal(tuple(t.shape))
    (t * torch.tensor(g)).sum().backward()
    (c * cr.tensor(g)).sum().backward()
    np.testing.assert_array_equal(c.detach().numpy(), t.detach().numpy())
    for ts, cs in zip(t_seqs, c_seqs):
        np.testing.assert_array_equal(cs.grad.numpy(), ts.grad.numpy())
    with pytest.raises(ValueError, match="Expected padding_side to be one of left or right"):
        crnn.pad_sequence(c_seqs, padding_side="middle")


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("enforce_sorted", [False, True])
@pytest.mark.parametrize("lengths_as_tensor", [False, True])
def test_pack_and_pad_packed(batch_first, enforce_sorted, lengths_as_tensor):
    rng = np.random.default_rng(8)
    lengths = sorted(LENGTHS, reverse=True) if enforce_sorted else LENGTHS
    shape = (len(lengths), 6, 2) if batch_first else (6, len(lengths), 2)
    (tx,), (cx,) = _leaves(rng, shape)
    t_len = torch.tensor(lengths) if lengths_as_tensor else lengths
    c_len = cr.tensor(lengths) if lengths_as_tensor else lengths
    t_p = trnn.pack_padded_sequence(tx, t_len, batch_first, enforce_sorted)
    c_p = crnn.pack_padded_sequence(cx, c_len, batch_first, enforce_sorted)
    assert isinstance(c_p, tuple) and c_p._fields == t_p._fields
    for t_v, c_v in zip(t_p, c_p):
        assert (t_v is None) == (c_v is None)
        if t_v is not None:
            np.testing.assert_array_equal(c_v.detach().numpy(), t_v.detach().numpy())
            assert str(c_v.dtype) == str(t_v.dtype)
    for total in (None, 8):
        t_pad, t_l = trnn.pad_packed_sequence(t_p, not batch_first, 2.5, total)
        c_pad, c_l = crnn.pad_packed_sequence(c_p, not batch_first, 2.5, total)
        np.testing.assert_array_equal(c_pad.detach().numpy(), t_pad.detach().numpy())
        np.testing.assert_array_equal(c_l.numpy(), t_l.numpy())
        assert c_l.dtype == cr.int64
    g = rng.standard_normal(tuple(t_pad.shape))
    (t_pad * torch.tensor(g)).sum().backward()
    (c_pad * cr.tensor(g)).sum().backward()
    np.testing.assert_array_equal(cx.grad.numpy(), tx.grad.numpy())
    with pytest.raises(ValueError, match="Expected total_length to be at least"):
        crnn.pad_packed_sequence(c_p, total_length=3)


def test_pack_sequence_unpack_and_errors():
    rng = np.random.default_rng(9)
    t_seqs, c_seqs = _sequences(rng)
    t_p = trnn.pack_sequence(t_seqs, enforce_sorted=False)
    c_p = crnn.pack_sequence(c_seqs, enforce_sorted=False)
    np.testing.assert_array_equal(c_p.data.detach().numpy(), t_p.data.detach().numpy())
    np.testing.assert_array_equal(c_p.unsorted_indices.numpy(), t_p.unsorted_indices.numpy())
    for t, c in zip(trnn.unpack_sequence(t_p), crnn.unpack_sequence(c_p)):
        np.testing.assert_array_equal(c.detach().numpy(), t.detach().numpy())
    padded = crnn.pad_sequence(c_seqs, batch_first=True)
    for c, seq in zip(crnn.unpad_sequence(padded, cr.tensor(LENGTHS), batch_first=True), c_seqs):
        np.testing.assert_array_equal(c.detach().numpy(), seq.detach().numpy())
    with pytest.raises(RuntimeError, match="must be sorted in decreasing order"):
        crnn.pack_sequence(c_seqs)
    with pytest.raises(RuntimeError, match="Length of all samples has to be greater than 0"):
        crnn.pack_padded_sequence(cr.zeros(3, 2, 1), [3, 0])
    with pytest.raises(RuntimeError, match="Expected `len\\(lengths\\)` to be equal to batch"):
        crnn.pack_padded_sequence(cr.zeros(3, 2, 1), [3, 2, 1])
    p = c_p.to(cr.float32)
    assert p.data.dtype == cr.float32 and p.batch_sizes is c_p.batch_sizes
    assert c_p.double() is c_p
    assert crnn.PackedSequence(c_p.data, c_p.batch_sizes).unsorted_indices is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert repr(c_p).startswith("PackedSequence(data=tensor(")


@pytest.mark.parametrize("bidir", [False, True])
def test_packed_lstm_with_projection(bidir, fused):
    rng = np.random.default_rng(10)
    lengths = [3, 6, 2, 6]
    t_mod, c_mod = _pair("LSTM", 3, 5, num_layers=2, bidirectional=bidir, proj_size=2,
                         batch_first=True)
    D = 2 if bidir else 1
    t_in, c_in = _leaves(rng, (4, 6, 3), (2 * D, 4, 2), (2 * D, 4, 5))
    t_p = trnn.pack_padded_sequence(t_in[0], lengths, batch_first=True, enforce_sorted=False)
    c_p = crnn.pack_padded_sequence(c_in[0], lengths, batch_first=True, enforce_sorted=False)
    t_out, (t_h, t_c) = t_mod(t_p, (t_in[1], t_in[2]))
    c_out, (c_h, c_c) = c_mod(c_p, (c_in[1], c_in[2]))
    t_pad, _ = trnn.pad_packed_sequence(t_out, batch_first=True)
    c_pad, _ = crnn.pad_packed_sequence(c_out, batch_first=True)
    _check((t_pad, t_h, t_c), (c_pad, c_h, c_c), t_in, c_in, t_mod, c_mod, rng)
