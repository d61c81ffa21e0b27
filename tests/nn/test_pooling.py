"""Pooling (max, avg, lp, adaptive; 1-D and 2-D) against torch in float64.

Each case compares the output, the returned indices, and the input gradient under a random
upstream gradient; plus ties and NaN (torch's winner), gradcheck, double backward, float32,
errors and module reprs.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import chainrule as cr
import chainrule.nn.functional as F

TF = torch.nn.functional
TOL = {"rtol": 1e-10, "atol": 1e-12}


def _compare(fn_c, fn_t, shape, seed=0, x=None):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape) if x is None else x
    xt = torch.tensor(x, requires_grad=True)
    xc = cr.tensor(x, requires_grad=True)
    yt, yc = fn_t(xt), fn_c(xc)
    if isinstance(yt, tuple):
        assert yc[1].dtype == cr.int64
        np.testing.assert_array_equal(yc[1].numpy(), yt[1].numpy())
        yt, yc = yt[0], yc[0]
    assert tuple(yc.shape) == tuple(yt.shape)
    assert yc.dtype == cr.float64
    np.testing.assert_allclose(yc.detach().numpy(), yt.detach().numpy(), **TOL)
    g = rng.standard_normal(tuple(yt.shape))
    yt.backward(torch.tensor(g))
    yc.backward(cr.tensor(g))
    np.testing.assert_allclose(xc.grad.numpy(), xt.grad.numpy(), **TOL)


# (kernel, stride, padding, dilation, ceil_mode)
MAX2D = [
    (2, None, 0, 1, False),
    (3, 2, 1, 1, True),
    (3, 2, 1, 2, False),
    ((2, 3), (1, 2), (1, 1), (2, 1), True),
    (3, 3, 1, 1, True),
    (1, 1, 0, 1, False),
    (4, 1, 2, 1, False),
    ((3, 1), (2, 3), 0, (1, 3), True),
    (2, 3, 0, 1, True),  # stride > kernel: gaps
]
SHAPES2D = [(2, 3, 9, 8), (1, 2, 7, 11), (3, 5, 6)]


@pytest.mark.parametrize("case", MAX2D, ids=[str(i) for i in range(len(MAX2D))])
@pytest.mark.parametrize("shape", SHAPES2D, ids=["b", "odd", "unbatched"])
def test_max_pool2d(case, shape) -> None:
    k, s, p, d, c = case
    _compare(lambda x: F.max_pool2d(x, k, s, p, d, c, True),
             lambda x: TF.max_pool2d(x, k, s, p, d, c, True), shape)


# (kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)
AVG2D = [
    (2, None, 0, False, True, None),
    (3, 2, 1, True, True, None),
    (3, 2, 1, True, False, None),
    ((2, 3), (1, 2), (1, 1), False, False, None),
    ((3, 2), 2, (1, 0), True, True, 5),
    (4, 3, 2, True, False, None),
    (3, 3, 0, True, True, None),
]


@pytest.mark.parametrize("case", AVG2D, ids=[str(i) for i in range(len(AVG2D))])
@pytest.mark.parametrize("shape", SHAPES2D, ids=["b", "odd", "unbatched"])
def test_avg_pool2d(case, shape) -> None:
    k, s, p, c, cip, div = case
    _compare(lambda x: F.avg_pool2d(x, k, s, p, c, cip, div),
             lambda x: TF.avg_pool2d(x, k, s, p, c, cip, div), shape)


@pytest.mark.parametrize("shape", [(2, 3, 10), (3, 7)])
@pytest.mark.parametrize("case", [(3, 2, 1, 2, True), (2, None, 0, 1, False), (4, 1, 2, 1, True)])
def test_pool1d(shape, case) -> None:
    k, s, p, d, c = case
    _compare(lambda x: F.max_pool1d(x, k, s, p, d, c, True),
             lambda x: TF.max_pool1d(x, k, s, p, d, c, True), shape)
    _compare(lambda x: F.avg_pool1d(x, k, s, p, c, False),
             lambda x: TF.avg_pool1d(x, k, s, p, c, False), shape)
    _compare(lambda x: F.avg_pool1d(x, k, s, p, c, True),
             lambda x: TF.avg_pool1d(x, k, s, p, c, True), shape)


def test_lp_pool() -> None:
    _compare(lambda x: F.lp_pool2d(x, 2, (2, 3), 2, True),
             lambda x: TF.lp_pool2d(x, 2, (2, 3), 2, True), (2, 3, 9, 8))
    _compare(lambda x: F.lp_pool1d(x.abs() + 0.1, 3, 3),
             lambda x: TF.lp_pool1d(x.abs() + 0.1, 3, 3), (2, 3, 10))


OUT2D = [(3, 3), (4, 5), 1, (None, 3), (7, 2), (9, 8), (12, 13), (3, 4), (5, 1)]


@pytest.mark.parametrize("out", OUT2D, ids=[str(o) for o in OUT2D])
@pytest.mark.parametrize("shape", [(2, 3, 9, 8), (3, 7, 5)], ids=["b", "unbatched"])
def test_adaptive_pool2d(out, shape) -> None:
    _compare(lambda x: F.adaptive_max_pool2d(x, out, True),
             lambda x: TF.adaptive_max_pool2d(x, out, True), shape)
    _compare(lambda x: F.adaptive_avg_pool2d(x, out), lambda x: TF.adaptive_avg_pool2d(x, out),
             shape)


@pytest.mark.parametrize("out", [1, 3, 4, 7, 13])
def test_adaptive_pool1d(out) -> None:
    for shape in [(2, 3, 10), (3, 7)]:
        _compare(lambda x: F.adaptive_max_pool1d(x, out, True),
                 lambda x: TF.adaptive_max_pool1d(x, out, True), shape)
        _compare(lambda x: F.adaptive_avg_pool1d(x, out),
                 lambda x: TF.adaptive_avg_pool1d(x, out), shape)


def test_adaptive_avg_pool3d() -> None:
    _compare(lambda x: F.adaptive_avg_pool3d(x, (2, 3, 4)),
             lambda x: TF.adaptive_avg_pool3d(x, (2, 3, 4)), (2, 2, 5, 7, 6))


def test_ties_go_to_the_first_maximum() -> None:
    x = np.zeros((1, 2, 5, 6))
    x[0, 1, 1:3, 2:4] = 1.0  # a plateau of equal maxima
    _compare(lambda x: F.max_pool2d(x, 3, 1, 1, 1, False, True),
             lambda x: TF.max_pool2d(x, 3, 1, 1, 1, False, True), None, x=x)
    _compare(lambda x: F.adaptive_max_pool2d(x, (3, 4), True),
             lambda x: TF.adaptive_max_pool2d(x, (3, 4), True), None, x=x)


def test_nan_wins_like_torch() -> None:
    x = np.random.default_rng(1).standard_normal((2, 3, 9, 8))
    x.flat[::7] = np.nan
    for fc, ft in [(lambda x: F.max_pool2d(x, 3, 2, 1, 1, True, True),
                    lambda x: TF.max_pool2d(x, 3, 2, 1, 1, True, True)),
                   (lambda x: F.adaptive_max_pool2d(x, (4, 3), True),
                    lambda x: TF.adaptive_max_pool2d(x, (4, 3), True))]:
        xt = torch.tensor(x, requires_grad=True)
        xc = cr.tensor(x, requires_grad=True)
        (yt, it), (yc, ic) = ft(xt), fc(xc)
        np.testing.assert_array_equal(ic.numpy(), it.numpy())
        np.testing.assert_array_equal(yc.detach().numpy(), yt.detach().numpy())
        g = np.random.default_rng(2).standard_normal(tuple(yt.shape))
        yt.backward(torch.tensor(g))
        yc.backward(cr.tensor(g))
        np.testing.assert_allclose(xc.grad.numpy(), xt.grad.numpy(), **TOL)


def test_integer_max_pool() -> None:
    x = np.random.default_rng(3).integers(-50, 50, (2, 3, 7, 6))
    yt, it = TF.max_pool2d(torch.tensor(x), 3, 2, 1, return_indices=True)
    yc, ic = F.max_pool2d(cr.tensor(x), 3, 2, 1, return_indices=True)
    assert yc.dtype == cr.int64
    np.testing.assert_array_equal(yc.numpy(), yt.numpy())
    np.testing.assert_array_equal(ic.numpy(), it.numpy())


def test_gradcheck_and_double_backward() -> None:
    rng = np.random.default_rng(4)
    x = cr.tensor(rng.standard_normal((1, 2, 5, 6)), requires_grad=True)
    for fn in [lambda x: F.max_pool2d(x, 3, 2, 1, 1, True),
               lambda x: F.avg_pool2d(x, 3, 2, 1, True, False),
               lambda x: F.adaptive_max_pool2d(x, (2, 4)),
               lambda x: F.adaptive_avg_pool2d(x, (4, 4))]:
        assert cr.autograd.gradcheck(fn, (x,))
        assert cr.autograd.gradgradcheck(fn, (x,))


@pytest.mark.parametrize("name", ["max", "avg", "amax"])
def test_double_backward_matches_torch(name) -> None:
    fns = {"max": lambda FF: (lambda x: FF.max_pool2d(x, 3, 2, 1)),
           "avg": lambda FF: (lambda x: FF.avg_pool2d(x, 3, 2, 1, count_include_pad=False)),
           "amax": lambda FF: (lambda x: FF.adaptive_max_pool2d(x, (3, 4)))}
    x = np.random.default_rng(5).standard_normal((2, 2, 7, 6))
    res = []
    for lib, FF in [(torch, TF), (cr, F)]:
        xs = lib.tensor(x, requires_grad=True)
        y = fns[name](FF)(xs)
        gy = lib.tensor(np.random.default_rng(6).standard_normal(tuple(y.shape)),
                        requires_grad=True)
        (gx,) = lib.autograd.grad(y, (xs,), gy, create_graph=True)
        probe = lib.tensor(np.random.default_rng(7).standard_normal(tuple(gx.shape)))
        (ggy,) = lib.autograd.grad((gx * probe).sum(), (gy,))
        res.append(ggy.numpy())
    np.testing.assert_allclose(res[1], res[0], **TOL)


def test_float32_stays_float32() -> None:
    x = cr.randn(2, 3, 8, 8, requires_grad=True)
    outs = [F.max_pool2d(x, 2), F.avg_pool2d(x, 3, 2, 1), F.adaptive_avg_pool2d(x, 3),
            F.adaptive_max_pool2d(x, 3), F.max_pool1d(x[0], 2)]
    for y in outs:
        assert y.dtype == cr.float32
    sum(y.sum() for y in outs).backward()
    assert x.grad.dtype == cr.float32


def test_output_does_not_alias_input() -> None:
    x = cr.randn(1, 1, 3, 3)
    y = F.max_pool2d(x, 1)
    y.add_(1.0)
    assert not np.shares_memory(x.numpy(), y.numpy())


@pytest.mark.parametrize("call,match", [
    (lambda: F.max_pool2d(cr.zeros(1, 2, 5, 5), 3, padding=2), "pad should be at most half"),
    (lambda: F.max_pool2d(cr.zeros(1, 2, 5, 5), 3, stride=0), "stride should not be zero"),
    (lambda: F.max_pool2d(cr.zeros(1, 2, 5, 5), 3, dilation=0), "dilation should be greater"),
    (lambda: F.max_pool2d(cr.zeros(1, 2, 2, 2), 3), "Output size is too small"),
    (lambda: F.avg_pool2d(cr.zeros(1, 2, 5, 5), 3, padding=2), "pad should be at most half"),
    (lambda: F.avg_pool2d(cr.zeros(1, 2, 5, 5), 3, divisor_override=0), "divisor must be not"),
    (lambda: F.max_pool2d(cr.zeros(1, 2, 5, 5), (2, 2, 2)), "kernel_size must either be"),
    (lambda: F.max_pool2d(cr.zeros(5, 5), 2), "3D or 4D"),
    (lambda: F.adaptive_max_pool2d(cr.zeros(2), 2), "3D or 4D"),
])
def test_errors(call, match) -> None:
    with pytest.raises(RuntimeError, match=match):
        call()


def test_modules_and_reprs() -> None:
    cases = [("MaxPool2d", (2,), {}), ("MaxPool2d", (3, 2, 1, 2), {"ceil_mode": True}),
             ("MaxPool1d", (3,), {"stride": 2}), ("AvgPool2d", (3, 1, 1), {}),
             ("AvgPool1d", (3,), {}), ("AdaptiveAvgPool2d", ((None, 3),), {}),
             ("AdaptiveAvgPool1d", (4,), {}), ("AdaptiveMaxPool2d", (3,), {}),
             ("AdaptiveMaxPool1d", (3,), {"return_indices": True}),
             ("LPPool2d", (2, 3), {}), ("LPPool1d", (2, 3), {"stride": 2})]
    x2, x1 = (2, 3, 9, 8), (2, 3, 10)
    for name, args, kw in cases:
        c, t = getattr(cr.nn, name)(*args, **kw), getattr(torch.nn, name)(*args, **kw)
        assert repr(c) == repr(t)
        shape = x1 if name.endswith("1d") else x2
        if name.startswith("LP"):
            _compare(lambda x: c(x.abs() + 0.5), lambda x: t(x.abs() + 0.5), shape)
        else:
            _compare(c, t, shape)


@pytest.mark.parametrize("case", MAX2D, ids=[str(i) for i in range(len(MAX2D))])
def test_max_pool2d_without_grad(case) -> None:
    k, s, p, d, c = case
    x = np.random.default_rng(8).standard_normal((2, 3, 9, 8))
    x[0, 0, 2, 3] = np.nan
    with cr.no_grad():
        yc = F.max_pool2d(cr.tensor(x, requires_grad=True), k, s, p, d, c)
    yt = TF.max_pool2d(torch.tensor(x), k, s, p, d, c)
    np.testing.assert_array_equal(yc.numpy(), yt.numpy())
