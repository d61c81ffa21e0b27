"""Ops in the combinations real models use them, against torch: forward values and every
gradient (float64) through attention, an LSTM cell written with raw ops, one-hot encodings,
masked losses and normalization layers."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import chainrule

RNG = np.random.default_rng(0)


def params(*shapes):
    return [RNG.standard_normal(s) * 0.5 for s in shapes]


def run_both(fn, arrays, ints=()):
    outs = []
    for lib in (chainrule, torch):
        leaves = [lib.tensor(a, dtype=lib.float64, requires_grad=True) for a in arrays]
        consts = [lib.tensor(i) for i in ints]
        out = fn(lib, *leaves, *consts)
        out.backward(lib.ones_like(out))
        outs.append((out.detach().numpy(), [t.grad.numpy() for t in leaves]))
    (o_out, o_grads), (t_out, t_grads) = outs
    np.testing.assert_allclose(o_out, t_out, rtol=1e-10, atol=1e-12)
    for k, (og, tg) in enumerate(zip(o_grads, t_grads)):
        np.testing.assert_allclose(og, tg, rtol=1e-9, atol=1e-11, err_msg=f"grad {k}")


def attention(lib, x, wq, wk, wv, wo):
    batch, steps, dim = x.shape
    heads = 2
    q = (x @ wq).view(batch, steps, heads, dim // heads).transpose(1, 2)
    k = (x @ wk).view(batch, steps, heads, dim // heads).transpose(1, 2)
    v = (x @ wv).view(batch, steps, heads, dim // heads).transpose(1, 2)
    scores = q @ k.transpose(-2, -1) / (dim // heads) ** 0.5
    causal = lib.triu(lib.ones(steps, steps), diagonal=1).bool()
    scores = scores.masked_fill(causal, float("-inf"))
    att = scores.softmax(dim=-1)
    y = (att @ v).transpose(1, 2).contiguous().view(batch, steps, dim)
    y = y @ wo
    out = lib.einsum("btd,btd->bt", y, x)
    return out.logsumexp(-1).sum() + y[:, -1, :].norm(dim=-1).mean()


def test_causal_self_attention() -> None:
    run_both(attention, params((2, 5, 4), (4, 4), (4, 4), (4, 4), (4, 4)))


def lstm(lib, xs, w_ih, w_hh, b, w_out, targets):
    steps, batch, _ = xs.shape
    hidden = w_hh.shape[0]
    h = lib.zeros(batch, hidden, dtype=xs.dtype)
    c = lib.zeros(batch, hidden, dtype=xs.dtype)
    outputs = lib.zeros(steps, batch, hidden, dtype=xs.dtype)
    for t in range(steps):
        gates = xs[t] @ w_ih + h @ w_hh + b
        i, f, g, o = gates.chunk(4, dim=1)
        c = f.sigmoid() * c + i.sigmoid() * g.tanh()
        h = o.sigmoid() * c.tanh()
        outputs[t] = h
    logits = outputs @ w_out
    logp = logits.log_softmax(-1)
    picked = logp.gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    return -picked.mean()


def test_lstm_cell_from_raw_ops() -> None:
    hidden = 3
    arrays = params((4, 2, 5), (5, 4 * hidden), (hidden, 4 * hidden), (4 * hidden,),
                    (hidden, 6))
    run_both(lstm, arrays, ints=[RNG.integers(0, 6, (4, 2))])


def one_hot_losses(lib, logits, labels):
    one_hot = lib.zeros(labels.shape[0], logits.shape[1]).scatter_(1, labels.unsqueeze(1), 1.0)
    eye = lib.eye(logits.shape[1])[labels]
    probs = logits.softmax(1)
    ce = -(one_hot.double() * probs.clamp(min=1e-8).log()).sum(1).mean()
    mse = ((probs - eye.double()) ** 2).mean()
    acc = (logits.argmax(1) == labels).float().mean()
    top2 = logits.topk(2, dim=1).values.sum()
    return ce + mse + acc.double() + 0.01 * top2


def test_one_hot_and_classification_losses() -> None:
    run_both(one_hot_losses, params((6, 4)), ints=[RNG.integers(0, 4, 6)])


def norms(lib, x, gamma, beta):
    mu = x.mean(dim=(0, 2, 3), keepdim=True)
    var = x.var(dim=(0, 2, 3), keepdim=True, unbiased=False)
    bn = (x - mu) / (var + 1e-5).sqrt() * gamma.view(1, -1, 1, 1) + beta.view(1, -1, 1, 1)
    flat = bn.flatten(2)
    ln = (flat - flat.mean(-1, keepdim=True)) * (flat.var(-1, keepdim=True) + 1e-5).rsqrt()
    pooled = ln.amax(-1) + ln.std(-1, correction=0)
    return (pooled * lib.arange(pooled.numel(), dtype=x.dtype).view_as(pooled)).sum()


def test_batch_and_layer_norm_from_raw_ops() -> None:
    run_both(norms, params((3, 2, 4, 4), (2,), (2,)))


def masked_mean(lib, x, w, lengths):
    steps = x.shape[1]
    mask = lib.arange(steps).unsqueeze(0) < lengths.unsqueeze(1)
    h = (x @ w).relu()
    h = h * mask.unsqueeze(-1)
    summed = h.sum(1) / mask.sum(1, keepdim=True)
    padded = lib.where(mask.unsqueeze(-1), h, lib.full_like(h, -1e9)).max(1).values
    return summed.sum() + padded.sum()


@pytest.mark.parametrize("lengths", [[3, 1, 4], [4, 4, 4]])
def test_masked_sequence_pooling(lengths) -> None:
    run_both(masked_mean, params((3, 4, 5), (5, 3)), ints=[np.array(lengths)])
