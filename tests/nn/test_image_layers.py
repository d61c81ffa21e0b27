"""Image layers against torch (float64): interpolate / Upsample, pad and the padding modules,
pixel (un)shuffle, unfold / fold, and the image normalization / dropout layers.

Each case compares the output and the input gradient under a random upstream gradient.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import chainrule as cr
import chainrule.nn.functional as F

TF = torch.nn.functional
TOL = {"rtol": 1e-10, "atol": 1e-12}


def _compare(fn_c, fn_t, shape, seed=0, dtype=np.float64, tol=None):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape).astype(dtype)
    xt = torch.tensor(x, requires_grad=True)
    xc = cr.tensor(x, requires_grad=True)
    yt, yc = fn_t(xt), fn_c(xc)
    assert tuple(yc.shape) == tuple(yt.shape)
    assert str(yc.dtype) == str(yt.dtype)
    tol = tol or TOL
    np.testing.assert_allclose(yc.detach().numpy(), yt.detach().numpy(), **tol)
    g = rng.standard_normal(tuple(yt.shape)).astype(dtype)
    yt.backward(torch.tensor(g))
    yc.backward(cr.tensor(g))
    np.testing.assert_allclose(xc.grad.numpy(), xt.grad.numpy(), **tol)
    return xc


# -- interpolate --------------------------------------------------------------------------------

SIZES = [{"scale_factor": 2}, {"scale_factor": 1.7}, {"scale_factor": 0.6}, {"size": 3},
         {"size": 13}, {"scale_factor": 2.3, "recompute_scale_factor": True}, {"size": 1}]
MODES = {3: ["nearest", "nearest-exact", "linear", "area"],
         4: ["nearest", "nearest-exact", "bilinear", "bicubic", "area"],
         5: ["nearest", "trilinear", "area"]}
CASES = [(nd, mode, i, ac) for nd, modes in MODES.items() for mode in modes
         for i in range(len(SIZES))
         for ac in ([None] if mode in ("nearest", "nearest-exact", "area") else [False, True])]


@pytest.mark.parametrize("case", CASES, ids=["-".join(map(str, c)) for c in CASES])
def test_interpolate(case) -> None:
    nd, mode, i, ac = case
    shape = {3: (2, 3, 5), 4: (2, 3, 5, 7), 5: (1, 2, 3, 4, 5)}[nd]
    kw = SIZES[i]
    _compare(lambda x: F.interpolate(x, mode=mode, align_corners=ac, **kw),
             lambda x: TF.interpolate(x, mode=mode, align_corners=ac, **kw), shape)


@pytest.mark.parametrize("mode", ["nearest", "bilinear", "bicubic"])
def test_interpolate_float32_uses_float32_index_math(mode) -> None:
    # torch computes source positions in float: 1/3-ish scales pick the same pixels only if
    # we do too
    # 26 -> 22 rows and 31 -> 83 columns pick different pixels in float64 arithmetic
    x = np.random.default_rng(4).standard_normal((1, 2, 26, 31)).astype(np.float32)
    for kw in [{"size": (22, 46)}, {"scale_factor": 1 / 3}, {"scale_factor": (0.9, 2.7)}]:
        yc = F.interpolate(cr.tensor(x), mode=mode, **kw).numpy()
        yt = TF.interpolate(torch.tensor(x), mode=mode, **kw).numpy()
        assert yc.dtype == np.float32
        if mode == "nearest":  # the same pixels, bit for bit
            np.testing.assert_array_equal(yc, yt)
        else:
            np.testing.assert_allclose(yc, yt, rtol=1e-5, atol=1e-5)
        _compare(lambda x: F.interpolate(x, mode=mode, **kw),
                 lambda x: TF.interpolate(x, mode=mode, **kw), x.shape,
                 dtype=np.float32, tol={"rtol": 1e-5, "atol": 1e-5})


@pytest.mark.parametrize("kw,err", [
    ({"size": 3, "scale_factor": 2}, ValueError), ({}, ValueError),
    ({"size": 3, "mode": "nearest", "align_corners": True}, ValueError),
    ({"size": (3, 4, 5)}, ValueError), ({"scale_factor": 2, "mode": "linear"},
                                        NotImplementedError),
    ({"size": 3, "mode": "foo"}, NotImplementedError),
])
def test_interpolate_errors(kw, err) -> None:
    x = np.zeros((1, 2, 5, 5))
    with pytest.raises(err):
        TF.interpolate(torch.tensor(x), **kw)
    with pytest.raises(err):
        F.interpolate(cr.tensor(x), **kw)


def test_interpolate_double_backward() -> None:
    x = cr.tensor(np.random.default_rng(1).standard_normal((1, 2, 3, 4)), requires_grad=True)
    for mode in ["nearest", "bilinear", "bicubic"]:
        assert cr.autograd.gradgradcheck(
            lambda x, m=mode: F.interpolate(x, scale_factor=1.5, mode=m), (x,))


def test_upsample_modules_and_deprecated_aliases() -> None:
    pairs = [(cr.nn.Upsample(scale_factor=2, mode="bilinear"),
              torch.nn.Upsample(scale_factor=2, mode="bilinear")),
             (cr.nn.Upsample(size=(4, 9)), torch.nn.Upsample(size=(4, 9))),
             (cr.nn.UpsamplingNearest2d(scale_factor=(2, 3)),
              torch.nn.UpsamplingNearest2d(scale_factor=(2, 3))),
             (cr.nn.UpsamplingBilinear2d(size=(3, 8)), torch.nn.UpsamplingBilinear2d(size=(3, 8)))]
    for c, t in pairs:
        assert repr(c) == repr(t)
        _compare(c, t, (2, 3, 5, 6))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _compare(lambda x: F.upsample_bilinear(x, scale_factor=2),
                 lambda x: TF.upsample_bilinear(x, scale_factor=2), (1, 2, 3, 4))
    with pytest.warns(UserWarning, match="deprecated"):
        F.upsample(cr.zeros(1, 1, 2, 2), scale_factor=2)


# -- padding ------------------------------------------------------------------------------------

PADS = [
    ("constant", (2, 3, 4, 5), (1, 2, 0, 3)),
    ("constant", (2, 3, 4, 5), (-1, 2, 1, -2, 1, 1)),
    ("constant", (3,), (1, 1)),
    ("reflect", (2, 3, 4, 5), (2, 3, 1, 3)),
    ("reflect", (2, 3, 4, 5), (-1, 2, 3, -2)),
    ("reflect", (2, 3, 5), (4, 3)),
    ("reflect", (3, 6), (2, 5)),
    ("reflect", (2, 3, 4, 5, 6), (1, 2, 2, 3, 1, 1)),
    ("replicate", (2, 3, 4, 5), (5, 2, 0, 3)),
    ("replicate", (3, 4, 5), (-1, 2, 1, -2)),
    ("replicate", (2, 3, 4, 5, 6), (1, 2, 2, 3, 1, 1)),
    ("circular", (2, 3, 4, 5), (4, 5, 2, 3)),
    ("circular", (2, 3, 5), (-1, 2)),
    ("circular", (2, 3, 5), (3, -2)),
    ("circular", (2, 3, 4, 5, 6), (1, 2, 2, 3, 1, 1)),
]


@pytest.mark.parametrize("case", PADS, ids=[f"{m}{s}{p}" for m, s, p in PADS])
def test_pad(case) -> None:
    mode, shape, pad = case
    value = 1.5 if mode == "constant" else None
    _compare(lambda x: F.pad(x, pad, mode, value), lambda x: TF.pad(x, pad, mode, value), shape)


def test_pad_double_backward_and_float32() -> None:
    x = cr.tensor(np.random.default_rng(2).standard_normal((1, 2, 4, 5)), requires_grad=True)
    for mode in ["constant", "reflect", "replicate", "circular"]:
        assert cr.autograd.gradgradcheck(lambda x, m=mode: F.pad(x, (2, 1, 1, 3), m), (x,))
        assert F.pad(cr.randn(1, 2, 4, 5), (1, 1, 1, 1), mode).dtype == cr.float32


@pytest.mark.parametrize("call,err,match", [
    (lambda: F.pad(cr.zeros(1, 1, 3, 3), (3, 0), "reflect"), NotImplementedError,
     "Padding size 2 is not supported for 4D"),
    (lambda: F.pad(cr.zeros(1, 1, 3, 3), (3, 0, 0, 0), "reflect"), RuntimeError,
     "Padding size should be less than"),
    (lambda: F.pad(cr.zeros(1, 1, 3, 3), (4, 0, 0, 0), "circular"), RuntimeError,
     "wrapping around more than once"),
    (lambda: F.pad(cr.zeros(1, 1, 3, 3), (1, 1, 1)), RuntimeError, "divisible by 2"),
    (lambda: F.pad(cr.zeros(3, 3), (1,) * 6), RuntimeError, "two times the input dimension"),
    (lambda: F.pad(cr.zeros(1, 3, 3), (1, 1), "foo"), NotImplementedError, "Unrecognised"),
    (lambda: F.pad(cr.zeros(1, 3, 3), (1, 1), "reflect", 1.0), RuntimeError,
     "doesn't take in value"),
])
def test_pad_errors(call, err, match) -> None:
    with pytest.raises(err, match=match):
        call()


PAD_MODULES = [("ZeroPad2d", (2,)), ("ZeroPad1d", ((1, 2),)), ("ConstantPad1d", ((1, 2), 3.5)),
               ("ConstantPad2d", (1, -1.0)), ("ConstantPad3d", (1, 2.0)),
               ("ReflectionPad1d", (2,)), ("ReflectionPad2d", ((1, 2, 3, 0),)),
               ("ReplicationPad1d", (3,)), ("ReplicationPad2d", ((1, 2, 3, 4),)),
               ("ReplicationPad3d", (1,)), ("CircularPad1d", (2,)),
               ("CircularPad2d", ((1, 0, 2, 1),)), ("CircularPad3d", (1,))]


@pytest.mark.parametrize("name,args", PAD_MODULES, ids=[n for n, _ in PAD_MODULES])
def test_padding_modules(name, args) -> None:
    c, t = getattr(cr.nn, name)(*args), getattr(torch.nn, name)(*args)
    assert repr(c) == repr(t)
    shape = {"1d": (2, 3, 5), "2d": (2, 3, 5, 6), "3d": (1, 2, 3, 4, 5)}[name[-2:]]
    _compare(c, t, shape)


# -- pixel shuffle, unfold / fold ---------------------------------------------------------------


def test_pixel_shuffle_modules() -> None:
    for (c, t), shape in [((cr.nn.PixelShuffle(2), torch.nn.PixelShuffle(2)), (2, 3, 8, 5, 6)),
                          ((cr.nn.PixelUnshuffle(3), torch.nn.PixelUnshuffle(3)), (2, 6, 9))]:
        assert repr(c) == repr(t)
        _compare(c, t, shape)
    with pytest.raises(RuntimeError, match="divisible by the square"):
        F.pixel_shuffle(cr.zeros(1, 5, 2, 2), 2)
    with pytest.raises(RuntimeError, match="height to be divisible"):
        F.pixel_unshuffle(cr.zeros(1, 1, 5, 4), 2)


UNFOLD = [((2, 3), 1, 0, 1), (3, 2, 1, 2), ((2, 2), (1, 2), (2, 0), (3, 1)), (1, 1, 0, 1)]


@pytest.mark.parametrize("case", UNFOLD, ids=[str(i) for i in range(len(UNFOLD))])
def test_unfold_fold(case) -> None:
    k, d, p, s = case
    c, t = cr.nn.Unfold(k, d, p, s), torch.nn.Unfold(k, d, p, s)
    assert repr(c) == repr(t)
    _compare(c, t, (2, 3, 7, 8))
    _compare(c, t, (3, 7, 8))  # unbatched
    blocks = t(torch.zeros(2, 3, 7, 8)).shape
    cf, tf = cr.nn.Fold((7, 8), k, d, p, s), torch.nn.Fold((7, 8), k, d, p, s)
    assert repr(cf) == repr(tf)
    _compare(cf, tf, tuple(blocks))
    _compare(cf, tf, tuple(blocks[1:]))


def test_unfold_fold_gradgradcheck_and_errors() -> None:
    x = cr.tensor(np.random.default_rng(3).standard_normal((1, 2, 4, 5)), requires_grad=True)
    assert cr.autograd.gradgradcheck(lambda x: F.fold(F.unfold(x, 2, 1, 1, 2), (4, 5), 2, 1,
                                                      1, 2), (x,))
    with pytest.raises(RuntimeError, match="divisible by the product of kernel_size"):
        F.fold(cr.zeros(1, 5, 4), (3, 3), 2)
    with pytest.raises(RuntimeError, match="match the calculated number of sliding blocks"):
        F.fold(cr.zeros(1, 8, 5), (3, 3), 2)
    with pytest.raises(RuntimeError, match="Expected 3D or 4D"):
        F.unfold(cr.zeros(3, 3), 2)


# -- normalization and dropout in a convolutional block ---------------------------------------

NORMS = [("BatchNorm2d", (6,), {}), ("BatchNorm2d", (6,), {"affine": False, "momentum": None}),
         ("GroupNorm", (3, 6), {}), ("InstanceNorm2d", (6,), {}),
         ("InstanceNorm2d", (6,), {"affine": True, "track_running_stats": True})]


@pytest.mark.parametrize("name,args,kw", NORMS, ids=[f"{n}{i}" for i, (n, _, _) in
                                                     enumerate(NORMS)])
def test_conv_norm_block_matches_torch(name, args, kw) -> None:
    def block(lib):
        nn = lib.nn
        return nn.Sequential(nn.Conv2d(3, 6, 3, padding=1, dtype=lib.float64),
                             getattr(nn, name)(*args, dtype=lib.float64, **kw), nn.ReLU(),
                             nn.MaxPool2d(2), nn.Dropout2d(0.3))

    t, c = block(torch), block(cr)
    assert list(c.state_dict()) == list(t.state_dict())
    c.load_state_dict({k: cr.tensor(v.numpy()) for k, v in t.state_dict().items()})
    rng = np.random.default_rng(5)
    for train in (True, True, False):  # two training steps move the running stats
        t.train(train)
        c.train(train)
        t[4].eval()  # dropout off (its mask is random) while the norm trains
        c[4].eval()
        _compare(c, t, (4, 3, 7, 6), seed=int(rng.integers(100)))
        for (k, vt), vc in zip(t.state_dict().items(), c.state_dict().values()):
            np.testing.assert_allclose(vc.numpy(), vt.numpy(), **TOL, err_msg=k)
    for (k, pt), (_, pc) in zip(t.named_parameters(), c.named_parameters()):
        np.testing.assert_allclose(pc.grad.numpy(), pt.grad.numpy(), **TOL, err_msg=k)


def test_dropout2d_zeroes_whole_channels() -> None:
    drop = cr.nn.Dropout2d(0.5)
    x = cr.ones(16, 32, 3, 4, requires_grad=True)
    y = drop(x)
    planes = y.detach().numpy().reshape(16 * 32, 12)
    assert set(np.unique(planes)) <= {0.0, 2.0}
    assert (planes.min(1) == planes.max(1)).all()  # each channel kept or dropped as a whole
    assert 0.35 < (planes[:, 0] == 0).mean() < 0.65
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.detach().numpy())
    drop.eval()
    np.testing.assert_array_equal(drop(x).detach().numpy(), x.detach().numpy())


@pytest.mark.parametrize("name", ["conv", "pooling", "padding", "upsampling", "pixelshuffle",
                                  "fold"])
def test_module_docstring_examples(name) -> None:
    import doctest
    import importlib

    module = importlib.import_module(f"chainrule.nn.modules.{name}")
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
