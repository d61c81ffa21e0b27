"""Layers against torch: outputs, input and parameter gradients (float64, weights via
state_dict), state_dict keys, reprs, default init distributions, train/eval behaviour."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from _nn_compare import TOL, assert_close, compare_module, copy_weights, leaves

import chainrule as cr

RNG = np.random.default_rng(7)


def _pair(name, *args, **kwargs):
    t = getattr(torch.nn, name)(*args, **kwargs).double()
    c = getattr(cr.nn, name)(*args, **kwargs).double()
    assert repr(c) == repr(t)
    return t, c


LAYERS = [
    ("Linear", (4, 3), {}, [(5, 4)]),
    ("Linear", (4, 3), {"bias": False}, [(2, 6, 4)]),
    ("Linear", (4, 1), {}, [(4,)]),
    ("Bilinear", (3, 4, 2), {}, [(5, 3), (5, 4)]),
    ("Bilinear", (3, 4, 2), {"bias": False}, [(2, 5, 3), (2, 5, 4)]),
    ("Identity", (7,), {"x": 1}, [(3, 2)]),
    ("LayerNorm", (4,), {}, [(3, 4)]),
    ("LayerNorm", ((3, 4),), {"eps": 1e-3}, [(2, 5, 3, 4)]),
    ("LayerNorm", (4,), {"elementwise_affine": False}, [(3, 4)]),
    ("LayerNorm", (4,), {"bias": False}, [(2, 3, 4)]),
    ("GroupNorm", (2, 4), {}, [(3, 4, 5)]),
    ("GroupNorm", (1, 6), {"affine": False}, [(2, 6, 2, 2)]),
    ("GroupNorm", (3, 6), {"eps": 1e-2}, [(2, 6)]),
    ("RMSNorm", (4,), {}, [(3, 4)]),
    ("RMSNorm", ((2, 4),), {"eps": 1e-3}, [(3, 2, 4)]),
    ("LocalResponseNorm", (3,), {}, [(2, 5, 4)]),
    ("LocalResponseNorm", (2,), {"alpha": 0.1, "k": 2.0}, [(2, 4, 3, 3)]),
    ("BatchNorm1d", (4,), {}, [(6, 4)]),
    ("BatchNorm1d", (4,), {"affine": False}, [(3, 4, 5)]),
    ("BatchNorm1d", (4,), {"momentum": None}, [(6, 4)]),
    ("BatchNorm1d", (4,), {"track_running_stats": False}, [(6, 4)]),
    ("BatchNorm2d", (3,), {}, [(2, 3, 4, 5)]),
    ("BatchNorm3d", (2,), {"eps": 1e-3, "momentum": 0.3}, [(2, 2, 3, 2, 2)]),
    ("InstanceNorm1d", (4,), {}, [(2, 4, 6)]),
    ("InstanceNorm1d", (4,), {"affine": True}, [(4, 6)]),
    ("InstanceNorm2d", (3,), {"affine": True, "track_running_stats": True}, [(2, 3, 4, 4)]),
    ("InstanceNorm3d", (2,), {}, [(2, 2, 3, 2, 2)]),
    ("Flatten", (), {}, [(2, 3, 4)]),
    ("Flatten", (0, 1), {}, [(2, 3, 4)]),
    ("Unflatten", (1, (2, 3)), {}, [(4, 6, 2)]),
    ("CosineSimilarity", (), {}, [(4, 5), (4, 5)]),
    ("CosineSimilarity", (0, 1e-6), {}, [(4, 5), (1, 5)]),
    ("PairwiseDistance", (), {}, [(4, 5), (4, 5)]),
    ("PairwiseDistance", (1.0, 1e-3, True), {}, [(4, 5), (4, 5)]),
    ("PairwiseDistance", (float("inf"),), {}, [(4, 5), (4, 5)]),
]


def _randomize_affine(t_mod):
    """Non-trivial weights for layers initialized to ones/zeros."""
    with torch.no_grad():
        for p in t_mod.parameters():
            p.copy_(torch.tensor(RNG.standard_normal(tuple(p.shape))))


@pytest.mark.parametrize("name,args,kwargs,shapes", LAYERS,
                         ids=[f"{n}{a}{k}" for n, a, k, _ in LAYERS])
def test_layer_matches_torch(name, args, kwargs, shapes):
    t_mod, c_mod = _pair(name, *args, **kwargs)
    _randomize_affine(t_mod)
    arrays = [RNG.standard_normal(s) for s in shapes]
    compare_module(t_mod, c_mod, *arrays, rng=RNG)
    # running statistics (and num_batches_tracked) evolve as torch's
    for (k, t_buf), (k2, c_buf) in zip(t_mod.named_buffers(), c_mod.named_buffers()):
        assert k == k2
        assert_close(c_buf, t_buf, TOL, k)
    if any(b is not None for b in t_mod.buffers()) or "Norm" in name:
        t_mod.eval(), c_mod.eval()
        compare_module(t_mod, c_mod, *arrays, rng=RNG, copy=False)


def test_batchnorm_running_stats_over_steps():
    for momentum in (0.1, None):
        t_mod, c_mod = _pair("BatchNorm2d", 3, momentum=momentum)
        copy_weights(t_mod, c_mod)
        for _ in range(4):
            x = RNG.standard_normal((4, 3, 2, 2)) * 3 + 1
            t_mod(torch.tensor(x))
            c_mod(cr.tensor(x))
        for k, v in t_mod.state_dict().items():
            assert_close(c_mod.state_dict()[k], v, TOL, k)
        assert c_mod.num_batches_tracked.item() == 4
        t_mod.eval(), c_mod.eval()
        x = RNG.standard_normal((2, 3, 2, 2))
        assert_close(c_mod(cr.tensor(x)), t_mod(torch.tensor(x)))


def test_batchnorm_errors():
    for lib in (torch, cr):
        with pytest.raises(ValueError, match="expected 4D input"):
            lib.nn.BatchNorm2d(3)(lib.randn(2, 3))
        with pytest.raises(ValueError, match="Expected more than 1 value per channel"):
            lib.nn.BatchNorm1d(3)(lib.randn(1, 3))
        with pytest.raises(ValueError, match="must be divisible by num_groups"):
            lib.nn.GroupNorm(2, 3)


def test_layer_norm_shape_error_matches_torch():
    msgs = []
    for lib in (torch, cr):
        with pytest.raises(RuntimeError) as info:
            lib.nn.functional.layer_norm(lib.randn(2, 3), (4,))
        msgs.append(str(info.value))
    assert msgs[0] == msgs[1]


def test_norm_double_backward_matches_torch():
    x = RNG.standard_normal((3, 4))
    w, b = RNG.standard_normal(4), RNG.standard_normal(4)
    for name in ("layer_norm", "batch_norm"):
        t_in, c_in = leaves(x, w, b)
        if name == "layer_norm":
            t_y = torch.nn.functional.layer_norm(t_in[0], (4,), t_in[1], t_in[2])
            c_y = cr.nn.functional.layer_norm(c_in[0], (4,), c_in[1], c_in[2])
        else:
            t_y = torch.nn.functional.batch_norm(t_in[0], None, None, t_in[1], t_in[2], True)
            c_y = cr.nn.functional.batch_norm(c_in[0], None, None, c_in[1], c_in[2], True)
        g = RNG.standard_normal(x.shape)
        t_grads = torch.autograd.grad((t_y * torch.tensor(g)).sum(), t_in, create_graph=True)
        c_grads = cr.autograd.grad((c_y * cr.tensor(g)).sum(), c_in, create_graph=True)
        for t_g, c_g in zip(t_grads, c_grads):
            assert_close(c_g, t_g)
        # the bias gradient does not depend on the inputs: second derivatives w.r.t. x and w
        t_gg = torch.autograd.grad(sum((tg ** 2).sum() for tg in t_grads), t_in[:2])
        c_gg = cr.autograd.grad(sum((cg ** 2).sum() for cg in c_grads), c_in[:2])
        for t_g, c_g in zip(t_gg, c_gg):
            assert_close(c_g, t_g, dict(rtol=1e-8, atol=1e-9))


# -- embedding -------------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs", [{}, {"padding_idx": 2}, {"padding_idx": -1},
                                    {"scale_grad_by_freq": True},
                                    {"padding_idx": 0, "scale_grad_by_freq": True},
                                    {"max_norm": 1.0}, {"max_norm": 0.5, "norm_type": 1.0}])
def test_embedding(kwargs):
    t_mod, c_mod = _pair("Embedding", 6, 3, **kwargs)
    if "padding_idx" in kwargs:
        pad = kwargs["padding_idx"] % 6
        assert not c_mod.weight.detach().numpy()[pad].any()
    idx = np.array([[0, 2, 2, 5], [1, 2, 0, 5]])
    copy_weights(t_mod, c_mod)
    t_out, c_out = t_mod(torch.tensor(idx)), c_mod(cr.tensor(idx))
    assert_close(c_out, t_out)
    g = RNG.standard_normal((2, 4, 3))
    t_out.backward(torch.tensor(g))
    c_out.backward(cr.tensor(g))
    assert_close(c_mod.weight.grad, t_mod.weight.grad)
    assert_close(c_mod.weight, t_mod.weight)  # max_norm renormalizes rows in place, as torch


def test_embedding_from_pretrained_and_errors():
    w = RNG.standard_normal((4, 2))
    for lib in (torch, cr):
        emb = lib.nn.Embedding.from_pretrained(lib.tensor(w))
        assert not emb.weight.requires_grad
        assert repr(emb) == "Embedding(4, 2)"
        trainable = lib.nn.Embedding.from_pretrained(lib.tensor(w), freeze=False, padding_idx=1)
        assert trainable.weight.requires_grad and repr(trainable) == \
            "Embedding(4, 2, padding_idx=1)"
        with pytest.raises(IndexError, match="index out of range in self"):
            emb(lib.tensor([4]))
        with pytest.raises(RuntimeError, match="Expected tensor for argument #1 'indices'"):
            emb(lib.tensor([1.0]))
        with pytest.raises(AssertionError, match="Padding_idx must be within num_embeddings"):
            lib.nn.Embedding(3, 2, padding_idx=3)


def test_one_hot_matches_torch():
    idx = np.array([[0, 3], [2, 1]])
    for n in (-1, 5):
        t = torch.nn.functional.one_hot(torch.tensor(idx), n)
        c = cr.nn.functional.one_hot(cr.tensor(idx), n)
        assert str(c.dtype) == "torch.int64"
        np.testing.assert_array_equal(c.numpy(), t.numpy())
    for bad, msg in [(np.array([-1]), "non-negative"), (np.array([7]), "smaller than")]:
        with pytest.raises(RuntimeError, match=msg):
            cr.nn.functional.one_hot(cr.tensor(bad), 5)


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag(mode):
    t_mod, c_mod = _pair("EmbeddingBag", 7, 3, mode=mode)
    copy_weights(t_mod, c_mod)
    idx = np.array([1, 2, 4, 5, 4, 3, 2, 6])
    offsets = np.array([0, 2, 2, 5])  # an empty bag included
    t_out = t_mod(torch.tensor(idx), torch.tensor(offsets))
    c_out = c_mod(cr.tensor(idx), cr.tensor(offsets))
    assert_close(c_out, t_out)
    g = RNG.standard_normal(tuple(t_out.shape))
    t_out.backward(torch.tensor(g))
    c_out.backward(cr.tensor(g))
    assert_close(c_mod.weight.grad, t_mod.weight.grad)
    idx2 = RNG.integers(0, 7, (3, 4))
    assert_close(c_mod(cr.tensor(idx2)), t_mod(torch.tensor(idx2)))


def test_embedding_bag_per_sample_weights_and_padding():
    t_mod, c_mod = _pair("EmbeddingBag", 5, 2, mode="sum", padding_idx=0)
    copy_weights(t_mod, c_mod)
    idx, off = np.array([0, 1, 2, 0, 3]), np.array([0, 3])
    psw = RNG.random(5)
    t_in, c_in = leaves(psw)
    t_out = t_mod(torch.tensor(idx), torch.tensor(off), t_in[0])
    c_out = c_mod(cr.tensor(idx), cr.tensor(off), c_in[0])
    assert_close(c_out, t_out)
    t_out.sum().backward()
    c_out.sum().backward()
    assert_close(c_in[0].grad, t_in[0].grad)
    assert_close(c_mod.weight.grad, t_mod.weight.grad)


# -- dropout ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name,shape", [("Dropout", (200, 50)), ("Dropout1d", (40, 50, 3)),
                                        ("Dropout2d", (20, 100, 2, 2)),
                                        ("Dropout3d", (10, 100, 2, 2, 2))])
def test_dropout_statistics_and_gradient(name, shape):
    p = 0.3
    mod = getattr(cr.nn, name)(p)
    assert repr(mod) == repr(getattr(torch.nn, name)(p))
    x = cr.ones(*shape, dtype=cr.float64, requires_grad=True)
    y = mod(x)
    values = np.unique(y.detach().numpy())
    np.testing.assert_allclose(values, [0.0, 1 / (1 - p)])
    kept = (y.detach().numpy() != 0)
    assert abs(kept.mean() - (1 - p)) < 0.03
    if name != "Dropout":  # whole channels
        per_channel = kept.reshape(shape[0], shape[1], -1)
        assert (per_channel.all(-1) | ~per_channel.any(-1)).all()
    g = RNG.standard_normal(shape)
    y.backward(cr.tensor(g))
    np.testing.assert_allclose(x.grad.numpy(), g * y.detach().numpy())
    mod.eval()
    assert mod(x) is x


def test_dropout_edge_cases():
    F = cr.nn.functional
    x = cr.randn(10, 10, requires_grad=True)
    assert F.dropout(x, 0.0) is x and F.dropout(x, 0.5, training=False) is x
    assert not F.dropout(x, 1.0).detach().numpy().any()
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1"):
        cr.nn.Dropout(1.5)
    cr.manual_seed(3)
    a = F.dropout(x, 0.5).detach().numpy()
    cr.manual_seed(3)
    np.testing.assert_array_equal(F.dropout(x, 0.5).detach().numpy(), a)
    h = x * 1.0
    out = F.dropout(h, 0.5, inplace=True)
    assert out is h
    assert F.dropout(cr.ones(5, dtype=cr.float32), 0.5).dtype == cr.float32


def test_alpha_dropout_keeps_mean_and_variance():
    cr.manual_seed(0)
    x = cr.randn(200000, dtype=cr.float64)
    for fn in (cr.nn.functional.alpha_dropout, cr.nn.functional.feature_alpha_dropout):
        y = fn(x.reshape(2000, 100), 0.2, training=True).numpy()
        assert abs(y.mean()) < 0.02 and abs(y.std() - 1) < 0.02
    assert repr(cr.nn.AlphaDropout(0.2)) == repr(torch.nn.AlphaDropout(0.2))


# -- init distributions ----------------------------------------------------------------------


@pytest.mark.parametrize("name,args", [("Linear", (400, 300)), ("Bilinear", (30, 20, 40)),
                                       ("Embedding", (500, 60)), ("PReLU", (8,)),
                                       ("LayerNorm", (10,)), ("BatchNorm1d", (5,))])
def test_default_init_distributions(name, args):
    torch.manual_seed(0)
    t_mod = getattr(torch.nn, name)(*args)
    c_mod = getattr(cr.nn, name)(*args)
    assert [(k, tuple(v.shape), str(v.dtype)) for k, v in c_mod.state_dict().items()] == \
        [(k, tuple(v.shape), str(v.dtype)) for k, v in t_mod.state_dict().items()]
    for (k, t_p), (_, c_p) in zip(t_mod.state_dict().items(), c_mod.state_dict().items()):
        t, c = t_p.numpy().astype(np.float64), c_p.numpy().astype(np.float64)
        if t.size < 50:
            if t.std() == 0:
                np.testing.assert_array_equal(c, t)
            continue
        assert abs(c.mean() - t.mean()) < 4 * t.std() / np.sqrt(t.size) + 1e-12, k
        assert abs(c.std() - t.std()) < 0.05 * t.std(), k
        assert abs(c.min() - t.min()) < 0.05 * t.std() * 4 or name == "Embedding", k
        assert abs(c.max() - t.max()) < 0.05 * t.std() * 4 or name == "Embedding", k
    if name == "Linear":
        bound = 1 / np.sqrt(args[0])
        w = c_mod.weight.detach().numpy()
        assert w.min() >= -bound and w.max() <= bound and w.max() > 0.99 * bound


def test_factory_kwargs():
    lin = cr.nn.Linear(2, 3, dtype=cr.float64)
    assert lin.weight.dtype == cr.float64 and lin.bias.dtype == cr.float64
    bn = cr.nn.BatchNorm1d(3, dtype=cr.float64)
    assert bn.running_mean.dtype == cr.float64 and bn.num_batches_tracked.dtype == cr.int64


def test_linear_float32_speed_path_keeps_dtype_and_matches_torch():
    t_mod, c_mod = torch.nn.Linear(8, 4), cr.nn.Linear(8, 4)
    copy_weights(t_mod, c_mod)
    x = RNG.standard_normal((16, 8)).astype(np.float32)
    out = c_mod(cr.tensor(x))
    assert out.dtype == cr.float32 and out.grad_fn.name() == "AddmmBackward0"
    assert_close(out, t_mod(torch.tensor(x)), dict(rtol=1e-5, atol=1e-6))
