"""Convolutions (Conv1d/2d, ConvTranspose1d/2d and their functionals) against torch.

Every module case loads torch's float64 weights through ``state_dict`` and compares the
output, the input gradient and every parameter gradient under a random upstream gradient.
Also: default init, state_dict layout, gradcheck, double backward, float32, errors, reprs.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import chainrule as cr
import chainrule.nn.functional as F

TOL = dict(rtol=1e-10, atol=1e-11)


def _pair(name: str, *args, **kwargs):
    """The torch module and the chainrule one holding torch's (float64) weights."""
    t = getattr(torch.nn, name)(*args, dtype=torch.float64, **kwargs)
    c = getattr(cr.nn, name)(*args, dtype=cr.float64, **kwargs)
    t_sd, c_sd = t.state_dict(), c.state_dict()
    assert list(c_sd) == list(t_sd)
    assert [tuple(v.shape) for v in c_sd.values()] == [tuple(v.shape) for v in t_sd.values()]
    c.load_state_dict({k: cr.tensor(v.numpy()) for k, v in t_sd.items()})
    return t, c


def _compare(t_mod, c_mod, shape, *fwd_args, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    xt = torch.tensor(x, requires_grad=True)
    xc = cr.tensor(x, requires_grad=True)
    yt = t_mod(xt, *fwd_args)
    yc = c_mod(xc, *fwd_args)
    assert tuple(yc.shape) == tuple(yt.shape)
    assert yc.dtype == cr.float64
    np.testing.assert_allclose(yc.detach().numpy(), yt.detach().numpy(), **TOL)
    g = rng.standard_normal(tuple(yt.shape))
    yt.backward(torch.tensor(g))
    yc.backward(cr.tensor(g))
    np.testing.assert_allclose(xc.grad.numpy(), xt.grad.numpy(), **TOL)
    for (name, pt), (_, pc) in zip(t_mod.named_parameters(), c_mod.named_parameters()):
        assert pc.grad is not None, name
        np.testing.assert_allclose(pc.grad.numpy(), pt.grad.numpy(), **TOL, err_msg=name)


# (in, out, kernel, stride, padding, dilation, groups, bias, padding_mode, input shape)
CONV2D = [
    (1, 8, 3, 1, 0, 1, 1, True, "zeros", (2, 1, 9, 9)),
    (3, 4, (3, 2), (2, 1), (1, 2), (1, 2), 1, True, "zeros", (2, 3, 10, 11)),
    (4, 6, 3, 2, 1, 1, 2, True, "zeros", (2, 4, 7, 8)),
    (6, 6, 3, 1, 1, 1, 6, False, "zeros", (1, 6, 5, 6)),  # depthwise
    (2, 3, 1, 1, 0, 1, 1, True, "zeros", (3, 2, 4, 5)),  # 1x1
    (2, 3, 5, 3, 2, 2, 1, True, "zeros", (2, 2, 13, 12)),
    (3, 5, (1, 4), (3, 2), (0, 1), 1, 1, True, "zeros", (2, 3, 7, 9)),
    (2, 4, 4, 1, "same", 1, 1, True, "zeros", (2, 2, 7, 6)),  # even kernel: extra pad at end
    (2, 4, (2, 3), 1, "same", (3, 2), 2, True, "zeros", (2, 2, 9, 8)),
    (2, 3, 3, 2, "valid", 1, 1, True, "zeros", (2, 2, 8, 7)),
    (2, 3, 3, 1, 2, 1, 1, True, "reflect", (2, 2, 6, 7)),
    (2, 3, (3, 2), 2, (1, 2), 1, 1, True, "replicate", (2, 2, 6, 7)),
    (2, 4, 3, 1, 1, 2, 2, True, "circular", (2, 2, 6, 7)),
    (2, 3, 4, 1, "same", 1, 1, True, "reflect", (1, 2, 6, 5)),
    (3, 2, 3, 1, 1, 1, 1, True, "zeros", (3, 6, 6)),  # unbatched
    (4, 4, 3, 1, 0, 1, 1, True, "zeros", (3, 4, 3, 3)),  # output 1x1
]


@pytest.mark.parametrize("case", CONV2D, ids=[str(i) for i in range(len(CONV2D))])
def test_conv2d_matches_torch(case) -> None:
    cin, cout, k, s, p, d, g, b, mode, shape = case
    t, c = _pair("Conv2d", cin, cout, k, s, p, d, g, b, mode)
    _compare(t, c, shape)


CONV1D = [
    (2, 3, 3, 1, 0, 1, 1, True, "zeros", (2, 2, 9)),
    (4, 6, 4, 2, 1, 2, 2, True, "zeros", (3, 4, 13)),
    (3, 3, 2, 1, "same", 3, 3, False, "zeros", (2, 3, 8)),
    (2, 3, 3, 3, "valid", 1, 1, True, "zeros", (2, 2, 10)),
    (2, 3, 3, 1, 2, 1, 1, True, "reflect", (2, 2, 7)),
    (2, 3, 3, 2, 1, 1, 1, True, "replicate", (2, 2, 7)),
    (2, 3, 3, 1, 3, 1, 1, True, "circular", (2, 2, 7)),
    (2, 3, 3, 1, 1, 1, 1, True, "zeros", (2, 6)),  # unbatched
]


@pytest.mark.parametrize("case", CONV1D, ids=[str(i) for i in range(len(CONV1D))])
def test_conv1d_matches_torch(case) -> None:
    cin, cout, k, s, p, d, g, b, mode, shape = case
    t, c = _pair("Conv1d", cin, cout, k, s, p, d, g, b, mode)
    _compare(t, c, shape)


# (in, out, kernel, stride, padding, output_padding, groups, bias, dilation, input shape)
CONVT2D = [
    (3, 2, 3, 1, 0, 0, 1, True, 1, (2, 3, 5, 4)),
    (4, 6, 3, 2, 1, 1, 2, True, 1, (2, 4, 4, 5)),
    (2, 3, (2, 3), (3, 2), (1, 0), (2, 1), 1, False, 1, (2, 2, 3, 4)),
    (2, 4, 3, 2, 2, (1, 0), 1, True, (2, 3), (1, 2, 5, 4)),
    (2, 2, 3, 1, 1, 1, 1, True, 2, (2, 2, 4, 4)),  # output_padding < dilation (stride 1)
    (4, 4, 4, 2, 1, 0, 4, True, 1, (2, 4, 3, 3)),  # depthwise upsampling
    (3, 2, 3, 2, 0, 0, 1, True, 1, (3, 2, 2)),  # unbatched
]


@pytest.mark.parametrize("case", CONVT2D, ids=[str(i) for i in range(len(CONVT2D))])
def test_conv_transpose2d_matches_torch(case) -> None:
    cin, cout, k, s, p, op, g, b, d, shape = case
    t, c = _pair("ConvTranspose2d", cin, cout, k, s, p, op, g, b, d)
    _compare(t, c, shape)


CONVT1D = [
    (3, 2, 3, 1, 0, 0, 1, True, 1, (2, 3, 5)),
    (4, 6, 3, 3, 1, 2, 2, True, 1, (2, 4, 4)),
    (2, 3, 4, 2, 2, 1, 1, False, 3, (2, 2, 6)),
]


@pytest.mark.parametrize("case", CONVT1D, ids=[str(i) for i in range(len(CONVT1D))])
def test_conv_transpose1d_matches_torch(case) -> None:
    cin, cout, k, s, p, op, g, b, d, shape = case
    t, c = _pair("ConvTranspose1d", cin, cout, k, s, p, op, g, b, d)
    _compare(t, c, shape)


@pytest.mark.parametrize("output_size", [[9, 10], [1, 3, 10, 9], [10, 9]])
def test_conv_transpose2d_output_size(output_size) -> None:
    t, c = _pair("ConvTranspose2d", 3, 2, 3, stride=2, padding=1)
    _compare(t, c, (1, 3, 5, 5), output_size)


def test_conv_transpose_output_size_errors() -> None:
    c = cr.nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1)
    with pytest.raises(ValueError, match="requested an output size of"):
        c(cr.zeros(1, 3, 5, 5), [12, 9])
    with pytest.raises(ValueError, match="output_size must have 2 or 4 elements"):
        c(cr.zeros(1, 3, 5, 5), [9])


def test_functional_bias_free_and_unbatched() -> None:
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((3, 7, 6)), rng.standard_normal((4, 3, 2, 3))
    yt = torch.nn.functional.conv2d(torch.tensor(x), torch.tensor(w), None, 1, (1, 0))
    yc = F.conv2d(cr.tensor(x), cr.tensor(w), None, 1, (1, 0))
    np.testing.assert_allclose(yc.numpy(), yt.numpy(), **TOL)
    x1, w1 = rng.standard_normal((2, 3, 8)), rng.standard_normal((3, 2, 3))
    yt = torch.nn.functional.conv_transpose1d(torch.tensor(x1), torch.tensor(w1), None, 2)
    yc = F.conv_transpose1d(cr.tensor(x1), cr.tensor(w1), None, 2)
    np.testing.assert_allclose(yc.numpy(), yt.numpy(), **TOL)


def test_only_input_or_only_weight_requires_grad() -> None:
    rng = np.random.default_rng(2)
    x, w = rng.standard_normal((2, 3, 6, 5)), rng.standard_normal((4, 3, 3, 3))
    g = rng.standard_normal((2, 4, 4, 3))
    for x_rg, w_rg in [(True, False), (False, True)]:
        xt, wt = torch.tensor(x, requires_grad=x_rg), torch.tensor(w, requires_grad=w_rg)
        xc, wc = cr.tensor(x, requires_grad=x_rg), cr.tensor(w, requires_grad=w_rg)
        torch.nn.functional.conv2d(xt, wt).backward(torch.tensor(g))
        F.conv2d(xc, wc).backward(cr.tensor(g))
        leaf_t, leaf_c = (xt, xc) if x_rg else (wt, wc)
        np.testing.assert_allclose(leaf_c.grad.numpy(), leaf_t.grad.numpy(), **TOL)
        assert (xc.grad is None) != x_rg and (wc.grad is None) != w_rg


# -- derivatives ------------------------------------------------------------------------------


@pytest.mark.parametrize("kw", [dict(stride=2, padding=1), dict(dilation=2, groups=2),
                                dict(padding=(0, 1), stride=(1, 2))])
def test_conv2d_gradcheck(kw) -> None:
    rng = np.random.default_rng(3)
    x = cr.tensor(rng.standard_normal((2, 2, 5, 5)), requires_grad=True)
    w = cr.tensor(rng.standard_normal((2, 2 // kw.get("groups", 1), 2, 3)), requires_grad=True)
    b = cr.tensor(rng.standard_normal(2), requires_grad=True)
    assert cr.autograd.gradcheck(lambda x, w, b: F.conv2d(x, w, b, **kw), (x, w, b))


def test_conv_transpose_and_conv1d_gradcheck() -> None:
    rng = np.random.default_rng(4)
    x = cr.tensor(rng.standard_normal((2, 2, 3, 3)), requires_grad=True)
    w = cr.tensor(rng.standard_normal((2, 3, 2, 3)), requires_grad=True)
    b = cr.tensor(rng.standard_normal(3), requires_grad=True)
    assert cr.autograd.gradcheck(
        lambda x, w, b: F.conv_transpose2d(x, w, b, 2, 1, 1), (x, w, b))
    x1 = cr.tensor(rng.standard_normal((2, 2, 6)), requires_grad=True)
    w1 = cr.tensor(rng.standard_normal((3, 2, 3)), requires_grad=True)
    assert cr.autograd.gradcheck(lambda x, w: F.conv1d(x, w, None, 2, 1, 1), (x1, w1))


@pytest.mark.parametrize("fn", ["conv2d", "conv_transpose2d"])
def test_double_backward_matches_torch(fn) -> None:
    rng = np.random.default_rng(5)
    x, w = rng.standard_normal((2, 4, 6, 5)), rng.standard_normal((4, 2, 3, 3))
    kw = dict(stride=2, padding=1, groups=2)
    results = []
    for lib, FF in [(torch, torch.nn.functional), (cr, F)]:
        xs = lib.tensor(x, requires_grad=True)
        ws = lib.tensor(w, requires_grad=True)
        y = getattr(FF, fn)(xs, ws, None, **kw)
        gy = lib.tensor(np.random.default_rng(6).standard_normal(tuple(y.shape)),
                        requires_grad=True)
        gx, gw = lib.autograd.grad(y, (xs, ws), gy, create_graph=True)
        probe = lib.tensor(np.random.default_rng(7).standard_normal(tuple(gx.shape)))
        s = (gx * probe).sum() + (gw * gw).sum()
        results.append([a.detach().numpy() for a in lib.autograd.grad(s, (xs, ws, gy))])
    for a, b in zip(*results):
        np.testing.assert_allclose(b, a, **TOL)


def test_conv2d_gradgradcheck() -> None:
    rng = np.random.default_rng(8)
    x = cr.tensor(rng.standard_normal((1, 2, 4, 4)), requires_grad=True)
    w = cr.tensor(rng.standard_normal((2, 1, 2, 2)), requires_grad=True)
    assert cr.autograd.gradgradcheck(lambda x, w: F.conv2d(x, w, None, 1, 1, 1, 2), (x, w))


# -- dtypes, init, layout, errors, repr --------------------------------------------------------


def test_float32_stays_float32() -> None:
    conv = cr.nn.Conv2d(2, 3, 3, padding=1)
    x = cr.randn(2, 2, 5, 5, requires_grad=True)
    y = conv(x)
    assert y.dtype == cr.float32
    y.sum().backward()
    assert x.grad.dtype == cr.float32 and conv.weight.grad.dtype == cr.float32
    t = torch.nn.Conv2d(2, 3, 3, padding=1)
    t.load_state_dict({k: torch.tensor(v.numpy()) for k, v in conv.state_dict().items()})
    np.testing.assert_allclose(y.detach().numpy(), t(torch.tensor(x.detach().numpy()))
                               .detach().numpy(), rtol=1e-5, atol=1e-5)
    yt = cr.nn.ConvTranspose2d(2, 3, 3, stride=2)(cr.randn(1, 2, 3, 3))
    assert yt.dtype == cr.float32


@pytest.mark.parametrize("name,args", [("Conv2d", (6, 64, (5, 3))), ("Conv1d", (6, 64, 7)),
                                       ("ConvTranspose2d", (64, 6, (5, 3)))])
def test_default_init_is_torchs_distribution(name, args) -> None:
    layer = getattr(cr.nn, name)(*args, groups=2)
    w, b = layer.weight.detach().numpy(), layer.bias.detach().numpy()
    fan_in = w.shape[1] * int(np.prod(w.shape[2:]))
    bound = 1 / math.sqrt(fan_in)  # kaiming_uniform(a=sqrt(5)) gives U(-1/sqrt(fan_in), ...)
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.05 * bound
    assert abs(w.mean()) < 0.05 * bound
    assert layer.weight.dtype == cr.float32
    ref = getattr(torch.nn, name)(*args, groups=2)
    assert tuple(layer.weight.shape) == tuple(ref.weight.shape)


def test_state_dict_moves_both_ways() -> None:
    c = cr.nn.Conv2d(3, 4, 3, bias=False, groups=1)
    t = torch.nn.Conv2d(3, 4, 3, bias=False)
    assert list(c.state_dict()) == ["weight"] == list(t.state_dict())
    t.load_state_dict({k: torch.tensor(v.numpy()) for k, v in c.state_dict().items()})
    x = np.random.default_rng(9).standard_normal((1, 3, 5, 5)).astype(np.float32)
    np.testing.assert_allclose(c(cr.tensor(x)).detach().numpy(),
                               t(torch.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-6)


def test_reprs_match_torch() -> None:
    cases = [
        ("Conv2d", (1, 8, 3), {}),
        ("Conv2d", (4, 8, (3, 2)), dict(stride=2, padding=1, dilation=2,
                                        groups=2, bias=False, padding_mode="reflect")),
        ("Conv2d", (4, 8, 3), dict(padding="same")),
        ("Conv1d", (4, 8, 3), dict(padding="valid")),
        ("ConvTranspose2d", (8, 1, 3), dict(stride=2, output_padding=1)),
        ("ConvTranspose1d", (8, 2, 3), dict(groups=2, dilation=2)),
    ]
    for name, args, kw in cases:
        assert repr(getattr(cr.nn, name)(*args, **kw)) == repr(getattr(torch.nn, name)(*args, **kw))


@pytest.mark.parametrize("call,match", [
    (lambda: F.conv2d(cr.zeros(2, 3, 5, 5), cr.zeros(4, 2, 3, 3)), "to have 2 channels"),
    (lambda: F.conv2d(cr.zeros(2, 3, 2, 2), cr.zeros(4, 3, 3, 3)), "Kernel size can't be"),
    (lambda: F.conv2d(cr.zeros(3, 5), cr.zeros(4, 3, 3, 3)), "Expected 3D"),
    (lambda: F.conv2d(cr.zeros(1, 3, 5, 5), cr.zeros(4, 3, 3, 3, dtype=cr.float64)),
     "should be the same"),
    (lambda: F.conv2d(cr.zeros(1, 3, 5, 5), cr.zeros(4, 3, 3, 3), stride=2, padding="same"),
     "not supported for strided"),
    (lambda: F.conv2d(cr.zeros(1, 3, 5, 5), cr.zeros(4, 3, 3, 3), padding="foo"),
     "Invalid padding string"),
    (lambda: F.conv2d(cr.zeros(1, 4, 5, 5), cr.zeros(5, 2, 3, 3), groups=2), "divisible by 2"),
    (lambda: F.conv2d(cr.zeros(1, 3, 5, 5), cr.zeros(4, 3, 3, 3), stride=0), "non-positive"),
    (lambda: F.conv2d(cr.zeros(1, 3, 5, 5), cr.zeros(4, 3, 3, 3), padding=-1), "negative pad"),
    (lambda: F.conv1d(cr.zeros(1, 3, 5, 5), cr.zeros(4, 3, 3)), "Expected 2D"),
    (lambda: F.conv_transpose2d(cr.zeros(1, 4, 5, 5), cr.zeros(4, 2, 3, 3), output_padding=1),
     "output padding must be smaller"),
    (lambda: F.conv_transpose2d(cr.zeros(1, 3, 5, 5), cr.zeros(4, 2, 3, 3)),
     "to have 4 channels"),
])
def test_errors_match_torch(call, match) -> None:
    with pytest.raises(RuntimeError, match=match):
        call()


def test_module_argument_errors() -> None:
    with pytest.raises(ValueError, match="in_channels must be divisible by groups"):
        cr.nn.Conv2d(3, 4, 3, groups=2)
    with pytest.raises(ValueError, match="padding_mode must be one of"):
        cr.nn.Conv2d(3, 4, 3, padding_mode="mirror")
    with pytest.raises(ValueError, match="strided"):
        cr.nn.Conv2d(3, 4, 3, stride=2, padding="same")
    with pytest.raises(ValueError, match='Only "zeros" padding mode'):
        cr.nn.ConvTranspose2d(3, 4, 3, padding_mode="reflect")


def test_top_level_aliases() -> None:
    for name in ["conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d", "max_pool1d",
                 "max_pool2d", "avg_pool1d", "adaptive_avg_pool1d", "pixel_shuffle",
                 "pixel_unshuffle"]:
        assert hasattr(torch, name)
        assert getattr(cr, name) is getattr(F, name)


def test_scratch_buffers_do_not_leak_between_layouts() -> None:
    # the same column-buffer size, two row layouts ((14 + 2) x 14 vs (12 + 2) x 16), alternated
    t1, c1 = _pair("Conv2d", 3, 4, 3, padding=1)
    t2, c2 = _pair("Conv2d", 3, 4, 3, padding=0)
    for _ in range(2):
        _compare(t1, c1, (2, 3, 14, 14), seed=1)
        _compare(t2, c2, (2, 3, 18, 16), seed=2)
