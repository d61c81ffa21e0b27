"""scaled_dot_product_attention and MultiheadAttention against torch (float64, torch's weights).

Outputs, attention weights and the gradients of every input, float mask and parameter are
compared under random upstream gradients.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import chainrule as cr
import chainrule.nn.functional as CF

TOL = dict(rtol=1e-9, atol=1e-10)


def _leaf(rng, shape, scale=1.0):
    a = rng.standard_normal(shape) * scale
    return torch.tensor(a, requires_grad=True), cr.tensor(a, requires_grad=True)


def _backward_and_compare(t_outs, c_outs, pairs, rng):
    t_loss, c_loss = 0, 0
    for t, c in zip(t_outs, c_outs):
        assert tuple(c.shape) == tuple(t.shape)
        assert c.dtype == cr.float64
        np.testing.assert_allclose(c.detach().numpy(), t.detach().numpy(), **TOL)
        g = rng.standard_normal(tuple(t.shape))
        t_loss = t_loss + (t * torch.tensor(g)).sum()
        c_loss = c_loss + (c * cr.tensor(g)).sum()
    t_loss.backward()
    c_loss.backward()
    for name, t, c in pairs:
        if t.grad is None:
            assert c.grad is None or not np.any(c.grad.numpy()), name
            continue
        assert c.grad is not None, name
        np.testing.assert_allclose(c.grad.numpy(), t.grad.numpy(), **TOL, err_msg=name)


# -- scaled_dot_product_attention -----------------------------------------------------------------
SDPA_CASES = [
    (lead, mask, causal, scale)
    for lead, mask, causal, scale in itertools.product(
        [(2, 3), (4,), ()],                       # leading batch dims
        [None, "bool", "bool_full", "float"],     # attn_mask kind
        [False, True],                            # is_causal (torch refuses it with a mask)
        [None, 0.7],                              # scale
    )
    if not (causal and mask is not None)
]


@pytest.mark.parametrize("lead,mask,causal,scale", SDPA_CASES)
def test_sdpa_matches_torch(lead, mask, causal, scale):
    rng = np.random.default_rng(0)
    L, S, E, Ev = 4, 6, 5, 3
    tq, cq = _leaf(rng, lead + (L, E))
    tk, ck = _leaf(rng, lead + (S, E))
    tv, cv = _leaf(rng, lead + (S, Ev))
    pairs = [("q", tq, cq), ("k", tk, ck), ("v", tv, cv)]
    tm = cm = None
    if mask in ("bool", "bool_full"):
        shape = (L, S) if mask == "bool" else lead + (L, S)
        m = rng.random(shape) > 0.4
        m[..., 1, :] = False  # a fully masked query row: zeros, and zero gradients
        tm, cm = torch.tensor(m), cr.tensor(m)
    elif mask == "float":
        tm, cm = _leaf(rng, (L, S))
        pairs.append(("mask", tm, cm))
    kw = {} if scale is None else {"scale": scale}
    t_out = TF.scaled_dot_product_attention(tq, tk, tv, attn_mask=tm, is_causal=causal, **kw)
    c_out = CF.scaled_dot_product_attention(cq, ck, cv, attn_mask=cm, is_causal=causal, **kw)
    _backward_and_compare([t_out], [c_out], pairs, rng)
    if mask in ("bool", "bool_full"):
        assert np.all(c_out.detach().numpy()[..., 1, :] == 0)


def test_sdpa_grouped_query_attention():
    rng = np.random.default_rng(1)
    tq, cq = _leaf(rng, (2, 6, 3, 4))
    tk, ck = _leaf(rng, (2, 2, 5, 4))
    tv, cv = _leaf(rng, (2, 2, 5, 4))
    t_out = TF.scaled_dot_product_attention(tq, tk, tv, enable_gqa=True)
    c_out = CF.scaled_dot_product_attention(cq, ck, cv, enable_gqa=True)
    _backward_and_compare([t_out], [c_out], [("q", tq, cq), ("k", tk, ck), ("v", tv, cv)], rng)


def test_sdpa_errors_dtypes_and_float32():
    q = cr.randn(1, 2, 3, 4)
    k = cr.randn(1, 2, 5, 4)
    with pytest.raises(RuntimeError, match="Explicit attn_mask should not be set when "
                                           "is_causal=True"):
        CF.scaled_dot_product_attention(q, k, k, attn_mask=cr.ones(3, 5, dtype=cr.bool),
                                        is_causal=True)
    with pytest.raises(RuntimeError, match="attn_mask.dtype: long int and  query.dtype: float"):
        CF.scaled_dot_product_attention(q, k, k, attn_mask=cr.ones(3, 5, dtype=cr.int64))
    with pytest.raises(RuntimeError, match="to have the same dtype, but got query.dtype: float "
                                           "key.dtype: float and value.dtype: double"):
        CF.scaled_dot_product_attention(q, k, k.double())
    with pytest.raises(RuntimeError, match="at least 2 dimensional"):
        CF.scaled_dot_product_attention(q[0, 0, 0], k[0, 0], k[0, 0])
    out = CF.scaled_dot_product_attention(q, k, k)
    assert out.dtype == cr.float32 and tuple(out.shape) == (1, 2, 3, 4)
    ref = TF.scaled_dot_product_attention(torch.tensor(q.numpy()), torch.tensor(k.numpy()),
                                          torch.tensor(k.numpy()))
    np.testing.assert_allclose(out.numpy(), ref.numpy(), rtol=1e-5, atol=1e-6)


def test_sdpa_dropout():
    rng = np.random.default_rng(2)
    q = cr.tensor(rng.standard_normal((2, 8, 16, 4)))
    v = cr.tensor(np.ones((2, 8, 16, 4)))
    exact = CF.scaled_dot_product_attention(q, q, v).numpy()
    np.testing.assert_allclose(exact, 1.0)  # weights sum to 1 on each row
    cr.manual_seed(0)
    dropped = CF.scaled_dot_product_attention(q, q, v, dropout_p=0.5).numpy()
    cr.manual_seed(0)
    again = CF.scaled_dot_product_attention(q, q, v, dropout_p=0.5).numpy()
    np.testing.assert_array_equal(dropped, again)
    assert not np.allclose(dropped, exact)
    assert abs(dropped.mean() - 1.0) < 0.1  # inverted dropout keeps the expectation


def test_sdpa_gradcheck_and_gradgradcheck():
    rng = np.random.default_rng(3)
    q = cr.tensor(rng.standard_normal((2, 3, 2)), requires_grad=True)
    k = cr.tensor(rng.standard_normal((2, 4, 2)), requires_grad=True)
    v = cr.tensor(rng.standard_normal((2, 4, 3)), requires_grad=True)
    m = cr.tensor(rng.standard_normal((3, 4)), requires_grad=True)

    def fn(q, k, v, m):
        return CF.scaled_dot_product_attention(q, k, v, attn_mask=m)

    assert cr.autograd.gradcheck(fn, (q, k, v, m))
    assert cr.autograd.gradgradcheck(fn, (q, k, v, m))


# -- MultiheadAttention ---------------------------------------------------------------------------
def _mha_pair(*args, **kwargs):
    t = torch.nn.MultiheadAttention(*args, dtype=torch.float64, **kwargs)
    c = cr.nn.MultiheadAttention(*args, dtype=cr.float64, **kwargs)
    assert [(k, tuple(v.shape)) for k, v in c.state_dict().items()] == [
        (k, tuple(v.shape)) for k, v in t.state_dict().items()]
    c.load_state_dict({k: cr.tensor(v.numpy()) for k, v in t.state_dict().items()})
    return t, c


def _param_pairs(t_mod, c_mod):
    c_params = dict(c_mod.named_parameters())
    return [(n, p, c_params[n]) for n, p in t_mod.named_parameters()]


MHA_CASES = [
    dict(),
    dict(batch_first=True),
    dict(bias=False),
    dict(add_bias_kv=True),
    dict(add_zero_attn=True),
    dict(add_bias_kv=True, add_zero_attn=True, batch_first=True),
    dict(kdim=3, vdim=5),
    dict(kdim=3, vdim=5, batch_first=True, bias=False),
]
MASKS = [
    (None, None),
    ("bool", None),
    (None, "bool"),
    ("bool", "bool"),
    ("float", "float"),
    ("float3d", None),
    ("bool3d", "bool"),
]


def _masks(rng, kind_attn, kind_kpm, N, H, L, S):
    t_attn = c_attn = t_kpm = c_kpm = None
    extra = []
    if kind_attn in ("bool", "bool3d"):
        m = rng.random((L, S) if kind_attn == "bool" else (N * H, L, S)) < 0.3
        m[..., 0] = False  # keep one key per query so no row is fully masked
        t_attn, c_attn = torch.tensor(m), cr.tensor(m)
    elif kind_attn in ("float", "float3d"):
        t_attn, c_attn = _leaf(rng, (L, S) if kind_attn == "float" else (N * H, L, S))
        extra.append(("attn_mask", t_attn, c_attn))
    if kind_kpm == "bool":
        m = rng.random((N, S)) < 0.3
        m[:, 0] = False
        t_kpm, c_kpm = torch.tensor(m), cr.tensor(m)
    elif kind_kpm == "float":
        t_kpm, c_kpm = _leaf(rng, (N, S))
        extra.append(("kpm", t_kpm, c_kpm))
    return t_attn, c_attn, t_kpm, c_kpm, extra


MHA_CONFIGS = [(cfg, self_attention) for cfg in MHA_CASES for self_attention in (True, False)
               if not (self_attention and "kdim" in cfg)]  # self-attention: kdim = vdim = E


# every mask kind with averaged weights; two mask kinds with per-head weights and without weights
MHA_OUTPUTS = ([(masks, True, True) for masks in MASKS]
               + [(masks, need, avg) for masks in (MASKS[3], MASKS[4])
                  for need, avg in ((True, False), (False, True))])


@pytest.mark.parametrize("cfg,self_attention", MHA_CONFIGS, ids=lambda c: (
    ",".join(f"{k}={v}" for k, v in c.items()) or "default") if isinstance(c, dict) else
    ("self" if c else "cross"))
@pytest.mark.parametrize("masks,need_weights,average", MHA_OUTPUTS,
                         ids=lambda m: f"attn={m[0]},kpm={m[1]}" if isinstance(m, tuple)
                         else str(m))
def test_mha_matches_torch(cfg, masks, need_weights, average, self_attention):
    rng = np.random.default_rng(4)
    E, H, N, L = 6, 2, 3, 4
    S = L if self_attention else 5
    t_mod, c_mod = _mha_pair(E, H, **cfg)
    bf = cfg.get("batch_first", False)

    def shaped(seq, feat):
        return (N, seq, feat) if bf else (seq, N, feat)

    tq, cq = _leaf(rng, shaped(L, E))
    pairs = [("query", tq, cq)]
    if self_attention:
        tk = tv = tq
        ck = cv = cq
    else:
        tk, ck = _leaf(rng, shaped(S, cfg.get("kdim", E)))
        tv, cv = _leaf(rng, shaped(S, cfg.get("vdim", E)))
        pairs += [("key", tk, ck), ("value", tv, cv)]
    t_attn, c_attn, t_kpm, c_kpm, extra = _masks(rng, *masks, N, H, L, S)
    kw = dict(need_weights=need_weights, average_attn_weights=average)
    t_out, t_w = t_mod(tq, tk, tv, key_padding_mask=t_kpm, attn_mask=t_attn, **kw)
    c_out, c_w = c_mod(cq, ck, cv, key_padding_mask=c_kpm, attn_mask=c_attn, **kw)
    assert (t_w is None) == (c_w is None)
    t_outs, c_outs = [t_out], [c_out]
    if t_w is not None:
        t_outs.append(t_w)
        c_outs.append(c_w)
    _backward_and_compare(t_outs, c_outs, pairs + extra + _param_pairs(t_mod, c_mod), rng)


@pytest.mark.parametrize("need_weights", [True, False])
@pytest.mark.parametrize("with_kpm", [False, True])
def test_mha_is_causal_hint(need_weights, with_kpm):
    rng = np.random.default_rng(5)
    t_mod, c_mod = _mha_pair(4, 2, batch_first=True)
    tx, cx = _leaf(rng, (2, 5, 4))
    causal = torch.nn.Transformer.generate_square_subsequent_mask(5, dtype=torch.float64)
    c_causal = cr.nn.Transformer.generate_square_subsequent_mask(5, dtype=cr.float64)
    np.testing.assert_array_equal(c_causal.numpy(), causal.numpy())
    t_kpm = c_kpm = None
    if with_kpm:
        m = np.zeros((2, 5))
        m[1, 3:] = -np.inf  # float, like the causal mask (mixed types warn, in torch too)
        t_kpm, c_kpm = torch.tensor(m), cr.tensor(m)
    t_out = t_mod(tx, tx, tx, attn_mask=causal, is_causal=True, key_padding_mask=t_kpm,
                  need_weights=need_weights)
    c_out = c_mod(cx, cx, cx, attn_mask=c_causal, is_causal=True, key_padding_mask=c_kpm,
                  need_weights=need_weights)
    outs = [(t_out[0], c_out[0])] + ([(t_out[1], c_out[1])] if need_weights else [])
    _backward_and_compare([o[0] for o in outs], [o[1] for o in outs],
                          [("x", tx, cx)] + _param_pairs(t_mod, c_mod), rng)
    with pytest.raises(RuntimeError, match="Need attn_mask if specifying the is_causal hint"):
        c_mod(cx, cx, cx, is_causal=True)


@pytest.mark.parametrize("with_masks", [False, True])
def test_mha_unbatched(with_masks):
    rng = np.random.default_rng(6)
    t_mod, c_mod = _mha_pair(4, 2, add_bias_kv=True)
    tq, cq = _leaf(rng, (3, 4))
    tk, ck = _leaf(rng, (5, 4))
    kw_t, kw_c = {}, {}
    if with_masks:
        kpm = np.array([False, False, True, False, True])
        attn = rng.random((2, 3, 5)) < 0.3
        attn[..., 0] = False
        kw_t = dict(key_padding_mask=torch.tensor(kpm), attn_mask=torch.tensor(attn))
        kw_c = dict(key_padding_mask=cr.tensor(kpm), attn_mask=cr.tensor(attn))
    t_out, t_w = t_mod(tq, tk, tk, average_attn_weights=False, **kw_t)
    c_out, c_w = c_mod(cq, ck, ck, average_attn_weights=False, **kw_c)
    _backward_and_compare([t_out, t_w], [c_out, c_w],
                          [("q", tq, cq), ("k", tk, ck)] + _param_pairs(t_mod, c_mod), rng)


def test_mha_eval_and_no_grad_match_torch():
    rng = np.random.default_rng(7)
    t_mod, c_mod = _mha_pair(8, 4, dropout=0.3, batch_first=True)
    t_mod.eval()
    c_mod.eval()
    x = rng.standard_normal((2, 5, 8))
    kpm = np.zeros((2, 5), bool)
    kpm[0, 4:] = True
    with torch.no_grad():  # torch's fast path
        t_out = t_mod(torch.tensor(x), torch.tensor(x), torch.tensor(x),
                      key_padding_mask=torch.tensor(kpm), need_weights=False)[0]
    with cr.no_grad():
        cx = cr.tensor(x)
        c_out = c_mod(cx, cx, cx, key_padding_mask=cr.tensor(kpm), need_weights=False)[0]
    np.testing.assert_allclose(c_out.numpy(), t_out.numpy(), **TOL)


def test_mha_dropout_in_training_only():
    mha = cr.nn.MultiheadAttention(8, 2, dropout=0.5)
    x = cr.randn(5, 3, 8)
    mha.eval()
    a = mha(x, x, x)[0].detach().numpy()
    np.testing.assert_array_equal(mha(x, x, x)[0].detach().numpy(), a)
    mha.train()
    b = mha(x, x, x)[0].detach().numpy()
    assert not np.allclose(a, b)


def test_mha_init_repr_and_errors():
    mha = cr.nn.MultiheadAttention(8, 2, add_bias_kv=True, kdim=4, vdim=4)
    assert mha.in_proj_weight is None and tuple(mha.k_proj_weight.shape) == (8, 4)
    assert np.all(mha.in_proj_bias.detach().numpy() == 0)
    assert np.all(mha.out_proj.bias.detach().numpy() == 0)
    bound = np.sqrt(6 / (8 + 8))
    assert np.abs(mha.q_proj_weight.detach().numpy()).max() <= bound
    assert repr(mha) == repr(torch.nn.MultiheadAttention(8, 2, add_bias_kv=True, kdim=4, vdim=4))
    assert type(mha.out_proj).__name__ == "NonDynamicallyQuantizableLinear"
    with pytest.raises(AssertionError, match="embed_dim must be divisible by num_heads"):
        cr.nn.MultiheadAttention(7, 2)
    with pytest.raises(ValueError, match="embed_dim and num_heads must be greater than 0"):
        cr.nn.MultiheadAttention(0, 2)
    x = cr.randn(3, 2, 8)
    with pytest.raises(AssertionError, match="expected `key` and `value` to be 3-D"):
        cr.nn.MultiheadAttention(8, 2)(x, x[0], x[0])
    with pytest.raises(RuntimeError, match="The shape of the 2D attn_mask is"):
        cr.nn.MultiheadAttention(8, 2)(x, x, x, attn_mask=cr.zeros(2, 2))
    with pytest.raises(AssertionError, match="only bool and floating types of attn_mask"):
        cr.nn.MultiheadAttention(8, 2)(x, x, x, attn_mask=cr.zeros(3, 3, dtype=cr.int64))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cr.nn.MultiheadAttention(8, 2)(x, x, x, attn_mask=cr.zeros(3, 3),
                                       key_padding_mask=cr.zeros(2, 3, dtype=cr.bool))
    assert any("Support for mismatched key_padding_mask and attn_mask is deprecated"
               in str(w.message) for w in caught)


def test_mha_float32_default():
    mha = cr.nn.MultiheadAttention(8, 2, batch_first=True)
    t = torch.nn.MultiheadAttention(8, 2, batch_first=True)
    t.load_state_dict({k: torch.tensor(v.numpy()) for k, v in mha.state_dict().items()})
    x = np.random.default_rng(8).standard_normal((2, 4, 8)).astype(np.float32)
    out, w = mha(cr.tensor(x), cr.tensor(x), cr.tensor(x))
    t_out, t_w = t(torch.tensor(x), torch.tensor(x), torch.tensor(x))
    assert out.dtype == w.dtype == cr.float32
    np.testing.assert_allclose(out.detach().numpy(), t_out.detach().numpy(), rtol=1e-5,
                               atol=1e-6)
    np.testing.assert_allclose(w.detach().numpy(), t_w.detach().numpy(), rtol=1e-5, atol=1e-6)
