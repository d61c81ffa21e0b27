"""Transformer encoder/decoder layers, stacks and nn.Transformer against torch (float64).

torch's weights are loaded through the state dict; outputs, input gradients and every
parameter gradient are compared under random upstream gradients, in train mode (dropout 0)
and eval mode, with masks of every kind, norm_first both ways and relu/gelu/callable.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import chainrule as cr

TOL = dict(rtol=1e-8, atol=1e-10)


def _leaf(rng, shape):
    a = rng.standard_normal(shape)
    return torch.tensor(a, requires_grad=True), cr.tensor(a, requires_grad=True)


def _load(t_mod, c_mod):
    assert [(k, tuple(v.shape)) for k, v in c_mod.state_dict().items()] == [
        (k, tuple(v.shape)) for k, v in t_mod.state_dict().items()]
    c_mod.load_state_dict({k: cr.tensor(v.numpy()) for k, v in t_mod.state_dict().items()})


def _compare(t_out, c_out, inputs, t_mod, c_mod, rng):
    assert tuple(c_out.shape) == tuple(t_out.shape)
    np.testing.assert_allclose(c_out.detach().numpy(), t_out.detach().numpy(), **TOL)
    g = rng.standard_normal(tuple(t_out.shape))
    (t_out * torch.tensor(g)).sum().backward()
    (c_out * cr.tensor(g)).sum().backward()
    for name, t, c in inputs:
        np.testing.assert_allclose(c.grad.numpy(), t.grad.numpy(), **TOL, err_msg=name)
    c_params = dict(c_mod.named_parameters())
    for name, p in t_mod.named_parameters():
        np.testing.assert_allclose(c_params[name].grad.numpy(), p.grad.numpy(), **TOL,
                                   err_msg=name)


def _activation(kind):
    if kind == "callable":
        return (lambda x: torch.tanh(x) * x), (lambda x: cr.tanh(x) * x)
    if kind == "module":
        return torch.nn.GELU(), cr.nn.GELU()
    return kind, kind


def _mask_pair(rng, kind, shape):
    """('bool' | 'float' | None) masks; bool True = not allowed, keeping one key per row."""
    if kind is None:
        return None, None
    m = rng.random(shape) < 0.3
    m[..., 0] = False
    if kind == "float":
        m = np.where(m, -np.inf, 0.0) + rng.standard_normal(shape) * 0.1
    return torch.tensor(m), cr.tensor(m)


ENC_MASKS = ((None, None), ("bool", "bool"), ("float", "float"), ("bool", None), (None, "float"))
ENC_CASES = (
    # every activation and layout, with both masks, in training mode
    [(nf, act, bf, ("bool", "bool"), "train", True) for nf in (False, True)
     for act in ("relu", "gelu", "callable", "module") for bf in (False, True)]
    # every mask combination in both modes
    + [(nf, "gelu", True, masks, mode, True) for nf in (False, True) for masks in ENC_MASKS
       for mode in ("train", "eval")]
    # no biases anywhere
    + [(nf, "relu", False, ("float", "float"), "eval", False) for nf in (False, True)]
)


@pytest.mark.parametrize("norm_first,act,batch_first,masks,mode,bias", ENC_CASES)
def test_encoder_layer(norm_first, act, batch_first, masks, mode, bias):
    rng = np.random.default_rng(0)
    t_act, c_act = _activation(act)
    kw = dict(dim_feedforward=12, dropout=0.0, batch_first=batch_first, norm_first=norm_first,
              bias=bias)
    t_mod = torch.nn.TransformerEncoderLayer(6, 2, activation=t_act, dtype=torch.float64, **kw)
    c_mod = cr.nn.TransformerEncoderLayer(6, 2, activation=c_act, dtype=cr.float64, **kw)
    _load(t_mod, c_mod)
    getattr(t_mod, mode)()
    getattr(c_mod, mode)()
    N, S = 3, 5
    tx, cx = _leaf(rng, (N, S, 6) if batch_first else (S, N, 6))
    t_m, c_m = _mask_pair(rng, masks[0], (S, S))
    t_k, c_k = _mask_pair(rng, masks[1], (N, S))
    t_out = t_mod(tx, src_mask=t_m, src_key_padding_mask=t_k)
    c_out = c_mod(cx, src_mask=c_m, src_key_padding_mask=c_k)
    _compare(t_out, c_out, [("src", tx, cx)], t_mod, c_mod, rng)


# (tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask); the float causal
# mask goes with a float (or no) tgt padding mask: mixed types warn, in torch too
DEC_MASKS = ((None, None, None, None), ("bool", "bool", "bool", "bool"),
             ("float", "float", "float", "float"), ("causal", None, "float", "bool"),
             ("causal", "bool", None, None))
DEC_CASES = (
    [(nf, act, bf, DEC_MASKS[1], "train") for nf in (False, True) for act in ("relu", "gelu")
     for bf in (False, True)]
    + [(nf, "relu", False, masks, mode) for nf in (False, True) for masks in DEC_MASKS
       for mode in ("train", "eval")]
)


@pytest.mark.parametrize("norm_first,act,batch_first,masks,mode", DEC_CASES)
def test_decoder_layer(norm_first, act, batch_first, masks, mode):
    rng = np.random.default_rng(1)
    kw = dict(dim_feedforward=12, dropout=0.0, batch_first=batch_first, norm_first=norm_first,
              activation=act)
    t_mod = torch.nn.TransformerDecoderLayer(6, 2, dtype=torch.float64, **kw)
    c_mod = cr.nn.TransformerDecoderLayer(6, 2, dtype=cr.float64, **kw)
    _load(t_mod, c_mod)
    getattr(t_mod, mode)()
    getattr(c_mod, mode)()
    N, T, S = 2, 4, 5
    tt, ct = _leaf(rng, (N, T, 6) if batch_first else (T, N, 6))
    tm, cm = _leaf(rng, (N, S, 6) if batch_first else (S, N, 6))
    t_kw, c_kw = {}, {}
    if masks[0] == "causal":
        t_kw["tgt_mask"] = torch.nn.Transformer.generate_square_subsequent_mask(
            T, dtype=torch.float64)
        c_kw["tgt_mask"] = cr.nn.Transformer.generate_square_subsequent_mask(T, dtype=cr.float64)
        t_kw["tgt_is_causal"] = c_kw["tgt_is_causal"] = True
    else:
        t_kw["tgt_mask"], c_kw["tgt_mask"] = _mask_pair(rng, masks[0], (T, T))
    t_kw["memory_mask"], c_kw["memory_mask"] = _mask_pair(rng, masks[1], (T, S))
    t_kw["tgt_key_padding_mask"], c_kw["tgt_key_padding_mask"] = _mask_pair(
        rng, masks[2], (N, T))
    t_kw["memory_key_padding_mask"], c_kw["memory_key_padding_mask"] = _mask_pair(
        rng, masks[3], (N, S))
    t_out = t_mod(tt, tm, **t_kw)
    c_out = c_mod(ct, cm, **c_kw)
    _compare(t_out, c_out, [("tgt", tt, ct), ("memory", tm, cm)], t_mod, c_mod, rng)


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("is_causal", [None, True, False])
def test_encoder_stack(batch_first, norm_first, is_causal):
    rng = np.random.default_rng(2)
    kw = dict(dim_feedforward=10, dropout=0.0, batch_first=batch_first, norm_first=norm_first)
    t_layer = torch.nn.TransformerEncoderLayer(4, 2, dtype=torch.float64, **kw)
    c_layer = cr.nn.TransformerEncoderLayer(4, 2, dtype=cr.float64, **kw)
    t_mod = torch.nn.TransformerEncoder(t_layer, 2, torch.nn.LayerNorm(4, dtype=torch.float64),
                                        enable_nested_tensor=False)
    c_mod = cr.nn.TransformerEncoder(c_layer, 2, cr.nn.LayerNorm(4, dtype=cr.float64),
                                     enable_nested_tensor=False)
    # layers are deep copies: give them different weights so a mix-up would show
    with torch.no_grad():
        for p in t_mod.layers[1].parameters():
            p.add_(torch.tensor(rng.standard_normal(tuple(p.shape)) * 0.1))
    _load(t_mod, c_mod)
    N, S = 2, 5
    tx, cx = _leaf(rng, (N, S, 4) if batch_first else (S, N, 4))
    t_mask = torch.nn.Transformer.generate_square_subsequent_mask(S, dtype=torch.float64)
    c_mask = cr.nn.Transformer.generate_square_subsequent_mask(S, dtype=cr.float64)
    kpm = np.zeros((N, S))
    kpm[1, 3:] = -np.inf
    t_out = t_mod(tx, mask=t_mask, src_key_padding_mask=torch.tensor(kpm), is_causal=is_causal)
    c_out = c_mod(cx, mask=c_mask, src_key_padding_mask=cr.tensor(kpm), is_causal=is_causal)
    _compare(t_out, c_out, [("src", tx, cx)], t_mod, c_mod, rng)


def test_encoder_nested_tensor_zeros_padding_in_inference():
    rng = np.random.default_rng(3)
    t_layer = torch.nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, batch_first=True,
                                               dtype=torch.float64)
    c_layer = cr.nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, batch_first=True,
                                            dtype=cr.float64)
    t_mod = torch.nn.TransformerEncoder(t_layer, 2)
    c_mod = cr.nn.TransformerEncoder(c_layer, 2)
    assert c_mod.use_nested_tensor and t_mod.use_nested_tensor
    _load(t_mod, c_mod)
    t_mod.eval()
    c_mod.eval()
    x = rng.standard_normal((2, 5, 4))
    kpm = np.zeros((2, 5), bool)
    kpm[0, 3:] = True
    with torch.no_grad():
        t_out = t_mod(torch.tensor(x), src_key_padding_mask=torch.tensor(kpm))
    with cr.no_grad():
        c_out = c_mod(cr.tensor(x), src_key_padding_mask=cr.tensor(kpm))
    np.testing.assert_allclose(c_out.numpy(), t_out.numpy(), **TOL)
    assert np.all(c_out.numpy()[0, 3:] == 0)
    # with gradients torch takes the ordinary path: padded rows are computed
    tx, cx = _leaf(rng, (2, 5, 4))
    t_out = t_mod(tx, src_key_padding_mask=torch.tensor(kpm))
    c_out = c_mod(cx, src_key_padding_mask=cr.tensor(kpm))
    assert np.any(c_out.detach().numpy()[0, 3:] != 0)
    _compare(t_out, c_out, [("src", tx, cx)], t_mod, c_mod, rng)


def test_encoder_nested_warning_like_torch():
    layer = cr.nn.TransformerEncoderLayer(4, 2, 8, norm_first=True, batch_first=True)
    with pytest.warns(UserWarning, match="because encoder_layer.norm_first was True"):
        enc = cr.nn.TransformerEncoder(layer, 1)
    assert not enc.use_nested_tensor
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cr.nn.TransformerEncoder(layer, 1, enable_nested_tensor=False)


@pytest.mark.parametrize("batch_first", [False, True])
def test_decoder_stack_detects_causal_mask(batch_first):
    rng = np.random.default_rng(4)
    kw = dict(dim_feedforward=10, dropout=0.0, batch_first=batch_first)
    t_mod = torch.nn.TransformerDecoder(
        torch.nn.TransformerDecoderLayer(4, 2, dtype=torch.float64, **kw), 2,
        torch.nn.LayerNorm(4, dtype=torch.float64))
    c_mod = cr.nn.TransformerDecoder(cr.nn.TransformerDecoderLayer(4, 2, dtype=cr.float64, **kw),
                                     2, cr.nn.LayerNorm(4, dtype=cr.float64))
    _load(t_mod, c_mod)
    tt, ct = _leaf(rng, (2, 4, 4) if batch_first else (4, 2, 4))
    tm, cm = _leaf(rng, (2, 3, 4) if batch_first else (3, 2, 4))
    t_out = t_mod(tt, tm, tgt_mask=torch.nn.Transformer.generate_square_subsequent_mask(
        4, dtype=torch.float64))
    c_out = c_mod(ct, cm, tgt_mask=cr.nn.Transformer.generate_square_subsequent_mask(
        4, dtype=cr.float64))
    _compare(t_out, c_out, [("tgt", tt, ct), ("memory", tm, cm)], t_mod, c_mod, rng)


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("norm_first", [False, True])
def test_transformer(batch_first, norm_first):
    rng = np.random.default_rng(5)
    kw = dict(d_model=8, nhead=2, num_encoder_layers=2, num_decoder_layers=1,
              dim_feedforward=16, dropout=0.0, batch_first=batch_first, norm_first=norm_first,
              activation="gelu")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch and chainrule both warn about nested tensors
        t_mod = torch.nn.Transformer(dtype=torch.float64, **kw)
        c_mod = cr.nn.Transformer(dtype=cr.float64, **kw)
    _load(t_mod, c_mod)
    N, S, T = 2, 5, 4
    ts, cs = _leaf(rng, (N, S, 8) if batch_first else (S, N, 8))
    tt, ct = _leaf(rng, (N, T, 8) if batch_first else (T, N, 8))
    kpm = np.zeros((N, S), bool)
    kpm[1, 4] = True
    t_out = t_mod(ts, tt, tgt_mask=t_mod.generate_square_subsequent_mask(T, dtype=torch.float64),
                  src_key_padding_mask=torch.tensor(kpm),
                  memory_key_padding_mask=torch.tensor(kpm))
    c_out = c_mod(cs, ct, tgt_mask=c_mod.generate_square_subsequent_mask(T, dtype=cr.float64),
                  src_key_padding_mask=cr.tensor(kpm), memory_key_padding_mask=cr.tensor(kpm))
    _compare(t_out, c_out, [("src", ts, cs), ("tgt", tt, ct)], t_mod, c_mod, rng)


def test_transformer_init_masks_and_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = cr.nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1,
                                  dim_feedforward=16)
        ref = torch.nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1,
                                   num_decoder_layers=1, dim_feedforward=16)
    assert repr(model) == repr(ref)
    w = model.encoder.layers[0].linear1.weight.detach().numpy()
    assert np.abs(w).max() <= np.sqrt(6 / (8 + 16))  # xavier uniform on every matrix
    mask = cr.nn.Transformer.generate_square_subsequent_mask(4)
    assert mask.dtype == cr.float32
    np.testing.assert_array_equal(mask.numpy(),
                                  torch.nn.Transformer.generate_square_subsequent_mask(4).numpy())
    with pytest.raises(RuntimeError, match="the batch number of src and tgt must be equal"):
        model(cr.randn(3, 2, 8), cr.randn(3, 4, 8))
    with pytest.raises(RuntimeError, match="the feature number of src and tgt must be equal"):
        model(cr.randn(3, 2, 8), cr.randn(3, 2, 6))
    with pytest.raises(RuntimeError, match="activation should be relu/gelu, not tanh"):
        cr.nn.TransformerEncoderLayer(8, 2, activation="tanh")


def test_unbatched_encoder_and_decoder_layers():
    rng = np.random.default_rng(6)
    t_enc = torch.nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, dtype=torch.float64)
    c_enc = cr.nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, dtype=cr.float64)
    _load(t_enc, c_enc)
    tx, cx = _leaf(rng, (5, 4))
    _compare(t_enc(tx), c_enc(cx), [("src", tx, cx)], t_enc, c_enc, rng)
    t_dec = torch.nn.TransformerDecoderLayer(4, 2, 8, dropout=0.0, dtype=torch.float64)
    c_dec = cr.nn.TransformerDecoderLayer(4, 2, 8, dropout=0.0, dtype=cr.float64)
    _load(t_dec, c_dec)
    tt, ct = _leaf(rng, (3, 4))
    tm, cm = _leaf(rng, (5, 4))
    _compare(t_dec(tt, tm), c_dec(ct, cm), [("tgt", tt, ct), ("memory", tm, cm)], t_dec, c_dec,
             rng)


def test_dropout_active_only_in_training():
    layer = cr.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.5)
    x = cr.randn(4, 2, 8)
    layer.eval()
    a = layer(x).detach().numpy()
    np.testing.assert_array_equal(layer(x).detach().numpy(), a)
    layer.train()
    assert not np.allclose(layer(x).detach().numpy(), a)


def test_float32_training_step():
    model = cr.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.1, batch_first=True)
    opt = cr.optim.Adam(model.parameters(), lr=1e-2)
    x = cr.randn(4, 6, 8)
    target = cr.randn(4, 6, 8)
    losses = []
    for _ in range(20):
        opt.zero_grad()
        loss = ((model(x) - target) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert model(x).dtype == cr.float32
    assert losses[-1] < losses[0]
