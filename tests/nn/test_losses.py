"""Losses (functional and modules) against torch: every option combination, values and the
gradients of every floating input under a random upstream gradient, float64."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
import torch
from _nn_compare import TOL, assert_close

import chainrule as cr
from chainrule.autograd import gradcheck, gradgradcheck

REDUCTIONS = ["none", "mean", "sum"]


def _convert(value, lib):
    if isinstance(value, np.ndarray):
        return lib.tensor(value)
    return value


def run_both(name, arrays, kwargs=None, grad=None, tol=TOL, rng=None):
    """F.<name>(*arrays, **kwargs) in both libraries; compares value and input gradients.

    ``grad``: indices of the arrays that require grad (default: all floating ones).
    """
    kwargs = kwargs or {}
    rng = rng or np.random.default_rng(0)
    grad = [i for i, a in enumerate(arrays) if a.dtype.kind == "f"] if grad is None else grad
    t_in = [torch.tensor(a, requires_grad=i in grad) for i, a in enumerate(arrays)]
    c_in = [cr.tensor(a, requires_grad=i in grad) for i, a in enumerate(arrays)]
    t_kw = {k: _convert(v, torch) for k, v in kwargs.items()}
    c_kw = {k: _convert(v, cr) for k, v in kwargs.items()}
    t_out = getattr(torch.nn.functional, name)(*t_in, **t_kw)
    c_out = getattr(cr.nn.functional, name)(*c_in, **c_kw)
    assert_close(c_out, t_out, tol, f"{name} value")
    if not grad:
        return t_out, c_out
    g = rng.standard_normal(tuple(t_out.shape))
    t_out.backward(torch.tensor(g, dtype=t_out.dtype))
    c_out.backward(cr.tensor(g, dtype=c_out.dtype))
    for i in grad:
        assert_close(c_in[i].grad, t_in[i].grad, tol, f"{name} grad of input {i}")
    return t_out, c_out


RNG = np.random.default_rng(1234)


def _x(*shape):
    return RNG.standard_normal(shape)


# -- regression ------------------------------------------------------------------------------


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name,extra", [
    ("mse_loss", {}), ("l1_loss", {}), ("smooth_l1_loss", {}), ("smooth_l1_loss", {"beta": 0.5}),
    ("smooth_l1_loss", {"beta": 0.0}), ("huber_loss", {}), ("huber_loss", {"delta": 2.0}),
])
def test_regression_losses(name, extra, reduction):
    x, t = _x(4, 5) * 2, _x(4, 5)
    x[0, 0] = t[0, 0]  # d = 0
    x[0, 1] = t[0, 1] + extra.get("beta", extra.get("delta", 1.0))  # |d| = beta (kink)
    run_both(name, [x, t], dict(reduction=reduction, **extra))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "huber_loss"])
def test_regression_weight(name, reduction):
    run_both(name, [_x(3, 4), _x(3, 4)], dict(reduction=reduction, weight=RNG.random((3, 4))))


def test_mse_broadcast_warns_like_torch():
    x, t = _x(3, 1), _x(3)
    with pytest.warns(UserWarning, match="Using a target size"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            ref = torch.nn.functional.mse_loss(torch.tensor(x), torch.tensor(t))
        out = cr.nn.functional.mse_loss(cr.tensor(x), cr.tensor(t))
    assert_close(out, ref)


@pytest.mark.parametrize("size_average,reduce,expected", [
    (None, False, "none"), (False, None, "sum"), (True, True, "mean"), (False, False, "none")])
def test_legacy_reduction_flags(size_average, reduce, expected):
    x, t = _x(3, 4), _x(3, 4)
    with pytest.warns(UserWarning, match=f"please use reduction='{expected}' instead"):
        out = cr.nn.functional.mse_loss(cr.tensor(x), cr.tensor(t), size_average, reduce)
    ref = torch.nn.functional.mse_loss(torch.tensor(x), torch.tensor(t), reduction=expected)
    assert_close(out, ref)
    with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
        m = cr.nn.MSELoss(size_average, reduce)
    assert m.reduction == expected


def test_invalid_reduction():
    with pytest.raises(ValueError, match="bogus is not a valid value for reduction"):
        cr.nn.functional.mse_loss(cr.randn(2), cr.randn(2), reduction="bogus")


# -- binary ----------------------------------------------------------------------------------


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_binary_cross_entropy(reduction, weighted):
    p = RNG.uniform(0.02, 0.98, (4, 3))
    t = RNG.random((4, 3))
    kwargs = dict(reduction=reduction)
    if weighted:
        kwargs["weight"] = RNG.random(3)
    run_both("binary_cross_entropy", [p, t], kwargs)


def test_binary_cross_entropy_clamps_log_at_minus_100():
    p = np.array([0.0, 1.0, 0.0, 1.0, 0.5])
    t = np.array([1.0, 0.0, 0.0, 1.0, 0.3])
    t_out, c_out = run_both("binary_cross_entropy", [p, t], dict(reduction="none"), grad=[])
    assert np.isfinite(c_out.numpy()).all()
    run_both("binary_cross_entropy", [p[[2, 3, 4]], t[[2, 3, 4]]], grad=[0])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted,pos", list(itertools.product([False, True], repeat=2)))
def test_bce_with_logits(reduction, weighted, pos):
    x, t = _x(5, 3) * 3, RNG.random((5, 3))
    kwargs = dict(reduction=reduction)
    if weighted:
        kwargs["weight"] = RNG.random((5, 3))
    if pos:
        kwargs["pos_weight"] = RNG.random(3) * 3
    _, c_out = run_both("binary_cross_entropy_with_logits", [x, t], kwargs)
    if reduction != "none":
        assert c_out.grad_fn.name() == "BinaryCrossEntropyWithLogitsBackward0"


@pytest.mark.parametrize("pos", [False, True])
def test_bce_with_logits_extreme_logits(pos):
    x = np.array([[-1e4, 1e4, -50.0, 50.0, 0.0]])
    t = np.array([[1.0, 0.0, 0.3, 1.0, 0.5]])
    kwargs = {"pos_weight": np.full(5, 2.0)} if pos else {}
    _, c_out = run_both("binary_cross_entropy_with_logits", [x, t],
                        dict(reduction="none", **kwargs), grad=[0])
    assert np.isfinite(c_out.detach().numpy()).all()


def test_binary_errors():
    with pytest.raises(RuntimeError, match="all elements of input should be between 0 and 1"):
        cr.nn.functional.binary_cross_entropy(cr.tensor([1.5]), cr.tensor([1.0]))
    with pytest.raises(ValueError, match="is different to the input size"):
        cr.nn.functional.binary_cross_entropy(cr.tensor([0.5, 0.5]), cr.tensor([1.0]))
    with pytest.raises(ValueError, match="must be the same as input size"):
        cr.nn.functional.binary_cross_entropy_with_logits(cr.randn(2), cr.randn(3))
    w = cr.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="not differentiable with respect to argument"):
        cr.nn.functional.binary_cross_entropy_with_logits(cr.randn(2), cr.rand(2), weight=w)


# -- multi-class -----------------------------------------------------------------------------

CE_SHAPES = [((6, 5), (6,)), ((5,), ()), ((3, 4, 2, 3), (3, 2, 3)), ((2, 3, 4), (2, 4))]


def _targets(shape_in, shape_t, ignore=None):
    classes = shape_in[0] if len(shape_in) == 1 else shape_in[1]
    t = RNG.integers(0, classes, shape_t)
    if ignore is not None and t.size > 1:
        t.reshape(-1)[::3] = ignore
    return t.astype(np.int64)


@pytest.mark.parametrize("shapes", CE_SHAPES, ids=["2d", "1d", "4d", "3d"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore", [None, 1, -100])
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_cross_entropy_class_indices(shapes, reduction, weighted, ignore, smoothing):
    shape_in, shape_t = shapes
    classes = shape_in[0] if len(shape_in) == 1 else shape_in[1]
    x = _x(*shape_in) * 3
    t = _targets(shape_in, shape_t, ignore)
    kwargs = dict(reduction=reduction, label_smoothing=smoothing)
    if weighted:
        kwargs["weight"] = RNG.random(classes) + 0.1
    if ignore is not None:
        kwargs["ignore_index"] = ignore
    run_both("cross_entropy", [x, t], kwargs)


@pytest.mark.parametrize("shapes", CE_SHAPES[:3], ids=["2d", "1d", "4d"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.3])
def test_cross_entropy_probabilities(shapes, reduction, weighted, smoothing):
    shape_in = shapes[0]
    classes = shape_in[0] if len(shape_in) == 1 else shape_in[1]
    x = _x(*shape_in)
    axis = 0 if len(shape_in) == 1 else 1
    p = RNG.random(shape_in)
    p = p / p.sum(axis, keepdims=True)
    kwargs = dict(reduction=reduction, label_smoothing=smoothing)
    if weighted:
        kwargs["weight"] = RNG.random(classes)
    run_both("cross_entropy", [x, p], kwargs)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_cross_entropy_extreme_logits(dtype, smoothing):
    x = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, 1e4], [1e4, 1e4, -1e4]], dtype=dtype)
    t = np.array([1, 2, 2])
    tol = TOL if dtype == np.float64 else dict(rtol=1e-5, atol=1e-5)
    _, c_out = run_both("cross_entropy", [x, t], dict(label_smoothing=smoothing), tol=tol)
    assert np.isfinite(c_out.detach().numpy()).all()
    p = np.array([[0.0, 1.0, 0.0], [0.5, 0.5, 0.0], [0.0, 0.0, 1.0]], dtype=dtype)
    run_both("cross_entropy", [x, p], dict(label_smoothing=smoothing), tol=tol)


def test_cross_entropy_graph_is_log_softmax_then_nll():
    out = cr.nn.functional.cross_entropy(cr.randn(3, 4, requires_grad=True),
                                         cr.tensor([0, 1, 3]))
    assert out.grad_fn.name() == "NllLossBackward0"
    assert out.grad_fn.next_functions[0][0].name() == "LogSoftmaxBackward0"


@pytest.mark.parametrize("shapes", CE_SHAPES, ids=["2d", "1d", "4d", "3d"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore", [None, 0])
def test_nll_loss(shapes, reduction, weighted, ignore):
    shape_in, shape_t = shapes
    classes = shape_in[0] if len(shape_in) == 1 else shape_in[1]
    kwargs = dict(reduction=reduction)
    if weighted:
        kwargs["weight"] = RNG.random(classes)
    if ignore is not None:
        kwargs["ignore_index"] = ignore
    run_both("nll_loss", [_x(*shape_in), _targets(shape_in, shape_t, ignore)], kwargs)


def test_nll_all_ignored_mean_is_nan_like_torch():
    x, t = _x(3, 4), np.full(3, -100)
    t_out, c_out = run_both("nll_loss", [x, t], dict(reduction="sum"))
    t_mean = torch.nn.functional.nll_loss(torch.tensor(x), torch.tensor(t))
    c_mean = cr.nn.functional.nll_loss(cr.tensor(x), cr.tensor(t))
    assert np.isnan(t_mean.item()) and np.isnan(c_mean.item())


@pytest.mark.parametrize("make_args,error", [
    (lambda L: (L.randn(3, 4), L.tensor([0, 1])), "Expected input batch_size (3) to match "
                                                  "target batch_size (2)."),
    (lambda L: (L.randn(3, 4), L.tensor([0, 1, 7])), "Target 7 is out of bounds."),
    (lambda L: (L.randn(2, 3, 4), L.zeros(2, 3, dtype=L.long)), "Expected target size [2, 4], "
                                                                "got [2, 3]"),
    (lambda L: (L.randn(2, 3), L.zeros(2, 4, dtype=L.long)), "0D or 1D target tensor expected, "
                                                             "multi-target not supported"),
    (lambda L: (L.randn(2, 3), L.zeros(2, dtype=L.int32)), "expected target dtype to be Long "
                                                           "or Byte, but got Int"),
])
def test_nll_errors_match_torch(make_args, error):
    caught = []
    for lib in (torch, cr):
        with pytest.raises(Exception) as info:
            lib.nn.functional.nll_loss(*make_args(lib))
        caught.append(info)
    assert type(caught[1].value) is type(caught[0].value)
    assert error in str(caught[0].value) and error in str(caught[1].value)


def test_cross_entropy_errors_match_torch():
    for args, msg in [((lambda L: (L.randn(2, 3), L.zeros(2, 3, dtype=L.long))),
                       "Expected floating point type for target with class probabilities"),
                      ((lambda L: (L.randn(2, 3), L.zeros(2))),
                       "expected target dtype to be Long or Byte, but got Float")]:
        for lib in (torch, cr):
            with pytest.raises(RuntimeError, match=msg):
                lib.nn.functional.cross_entropy(*args(lib))
    with pytest.raises(RuntimeError, match="ignore_index is not supported for floating point"):
        cr.nn.functional.cross_entropy(cr.randn(2, 3), cr.rand(2, 3), ignore_index=1)


# -- divergence and the rest -----------------------------------------------------------------


@pytest.mark.parametrize("reduction", ["none", "sum", "batchmean"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div(reduction, log_target):
    x = np.log(RNG.dirichlet(np.ones(4), 3))
    t = RNG.dirichlet(np.ones(4), 3)
    if log_target:
        t = np.log(t)
    run_both("kl_div", [x, t], dict(reduction=reduction, log_target=log_target))


def test_kl_div_zero_target_and_mean_warning():
    x = np.log(RNG.dirichlet(np.ones(3), 2))
    t = np.array([[0.0, 0.5, 0.5], [0.2, 0.8, 0.0]])
    run_both("kl_div", [x, t], dict(reduction="sum"), grad=[0])
    with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
        cr.nn.functional.kl_div(cr.tensor(x), cr.tensor(t))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_other_losses(reduction):
    sign = np.where(RNG.random(5) > 0.5, 1.0, -1.0)
    run_both("cosine_embedding_loss", [_x(5, 3), _x(5, 3), sign],
             dict(margin=0.2, reduction=reduction), grad=[0, 1])
    run_both("cosine_embedding_loss", [_x(3), _x(3), np.array(-1.0)],
             dict(reduction=reduction), grad=[0, 1])
    run_both("margin_ranking_loss", [_x(6), _x(6), sign[[0, 1, 2, 3, 4, 0]]],
             dict(margin=0.1, reduction=reduction), grad=[0, 1])
    run_both("soft_margin_loss", [_x(4, 3) * 3, np.sign(_x(4, 3))], dict(reduction=reduction),
             grad=[0])
    run_both("multilabel_soft_margin_loss", [_x(4, 3), (RNG.random((4, 3)) > 0.5) * 1.0],
             dict(reduction=reduction, weight=RNG.random(3)), grad=[0])
    run_both("hinge_embedding_loss", [_x(4, 3), np.sign(_x(4, 3))],
             dict(margin=0.5, reduction=reduction), grad=[0])
    for log_input, full in itertools.product([True, False], repeat=2):
        x = _x(4, 3) if log_input else RNG.random((4, 3)) + 0.1
        run_both("poisson_nll_loss", [x, RNG.integers(0, 5, (4, 3)) * 1.0],
                 dict(log_input=log_input, full=full, reduction=reduction), grad=[0])
    for full in (False, True):
        run_both("gaussian_nll_loss", [_x(4, 3), _x(4, 3), RNG.random((4, 3)) + 0.1],
                 dict(full=full, reduction=reduction))
        run_both("gaussian_nll_loss", [_x(4, 3), _x(4, 3), RNG.random(4) + 0.1],
                 dict(full=full, reduction=reduction))
        run_both("gaussian_nll_loss", [_x(4, 3), _x(4, 3), RNG.random((4, 1)) * 1e-8],
                 dict(reduction=reduction))
    for p, swap in itertools.product([1.0, 2.0, 3.0], [False, True]):
        run_both("triplet_margin_loss", [_x(5, 4), _x(5, 4), _x(5, 4)],
                 dict(p=p, swap=swap, margin=0.5, reduction=reduction))
    run_both("triplet_margin_with_distance_loss", [_x(5, 4), _x(5, 4), _x(5, 4)],
             dict(swap=True, reduction=reduction))
    for p, weighted in itertools.product([1, 2], [False, True]):
        kwargs = dict(p=p, margin=0.8, reduction=reduction)
        if weighted:
            kwargs["weight"] = RNG.random(4)
        run_both("multi_margin_loss", [_x(5, 4), RNG.integers(0, 4, 5)], kwargs)
    run_both("multi_margin_loss", [_x(4), np.array([2])], dict(reduction=reduction))
    target = np.array([[3, 0, -1, 1], [1, 2, 3, -1], [0, 0, 1, 2]])
    run_both("multilabel_margin_loss", [_x(3, 4), target], dict(reduction=reduction))
    run_both("multilabel_margin_loss", [_x(4), np.array([1, -1, 0, 2])],
             dict(reduction=reduction))


# -- modules ---------------------------------------------------------------------------------

MODULES = [
    ("MSELoss", {}, 2), ("L1Loss", {"reduction": "sum"}, 2), ("SmoothL1Loss", {"beta": 0.3}, 2),
    ("HuberLoss", {"delta": 0.7}, 2), ("BCELoss", {}, 2), ("BCEWithLogitsLoss", {}, 2),
    ("CrossEntropyLoss", {"label_smoothing": 0.1}, 2), ("NLLLoss", {"ignore_index": 2}, 2),
    ("KLDivLoss", {"reduction": "batchmean"}, 2), ("SoftMarginLoss", {}, 2),
    ("HingeEmbeddingLoss", {"margin": 2.0}, 2), ("PoissonNLLLoss", {"full": True}, 2),
    ("MultiLabelSoftMarginLoss", {}, 2), ("MultiMarginLoss", {"p": 2}, 2),
    ("CosineEmbeddingLoss", {"margin": 0.1}, 2), ("MarginRankingLoss", {"margin": 0.1}, 2),
    ("TripletMarginLoss", {"swap": True}, 3), ("GaussianNLLLoss", {"full": True}, 3),
]


def _module_inputs(name):
    n, c = 4, 3
    probs = RNG.uniform(0.05, 0.95, (n, c))
    table = {
        "BCELoss": [probs, RNG.random((n, c))],
        "CrossEntropyLoss": [_x(n, c), RNG.integers(0, c, n)],
        "NLLLoss": [np.log(RNG.dirichlet(np.ones(c), n)), RNG.integers(0, c, n)],
        "KLDivLoss": [np.log(RNG.dirichlet(np.ones(c), n)), RNG.dirichlet(np.ones(c), n)],
        "MultiMarginLoss": [_x(n, c), RNG.integers(0, c, n)],
        "CosineEmbeddingLoss": [_x(n, c), _x(n, c), np.sign(_x(n))],
        "MarginRankingLoss": [_x(n), _x(n), np.sign(_x(n))],
        "TripletMarginLoss": [_x(n, c), _x(n, c), _x(n, c)],
        "GaussianNLLLoss": [_x(n, c), _x(n, c), RNG.random((n, c)) + 0.1],
        "PoissonNLLLoss": [_x(n, c), RNG.integers(0, 4, (n, c)) * 1.0],
    }
    return table.get(name, [_x(n, c), RNG.random((n, c))])


@pytest.mark.parametrize("name,kwargs,n_inputs", MODULES, ids=[m[0] for m in MODULES])
def test_loss_modules(name, kwargs, n_inputs):
    t_mod = getattr(torch.nn, name)(**kwargs)
    c_mod = getattr(cr.nn, name)(**kwargs)
    assert repr(c_mod) == repr(t_mod)
    assert list(c_mod.state_dict()) == list(t_mod.state_dict())
    arrays = _module_inputs(name)
    grads = range(n_inputs if n_inputs == 3 else 1)
    t_in = [torch.tensor(a, requires_grad=i in grads) for i, a in enumerate(arrays)]
    c_in = [cr.tensor(a, requires_grad=i in grads) for i, a in enumerate(arrays)]
    t_out, c_out = t_mod(*t_in), c_mod(*c_in)
    assert_close(c_out, t_out)
    t_out.backward()
    c_out.backward()
    for t, c in zip(t_in, c_in):
        if t.grad is not None:
            assert_close(c.grad, t.grad)


def test_weight_buffers_in_state_dict():
    w = np.array([0.2, 1.0, 3.0])
    for name in ("CrossEntropyLoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss"):
        t_mod = getattr(torch.nn, name)(weight=torch.tensor(w))
        c_mod = getattr(cr.nn, name)(weight=cr.tensor(w))
        assert list(c_mod.state_dict()) == list(t_mod.state_dict()) == ["weight"]
    t_mod = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(w))
    c_mod = cr.nn.BCEWithLogitsLoss(pos_weight=cr.tensor(w))
    assert list(c_mod.state_dict()) == list(t_mod.state_dict()) == ["pos_weight"]


def test_grad_fn_names():
    x = cr.randn(3, 4, requires_grad=True)
    t = cr.randn(3, 4)
    assert cr.nn.MSELoss()(x, t).grad_fn.name() == "MseLossBackward0"
    assert cr.nn.SmoothL1Loss()(x, t).grad_fn.name() == "SmoothL1LossBackward0"
    assert cr.nn.HuberLoss()(x, t).grad_fn.name() == "HuberLossBackward0"
    assert cr.nn.NLLLoss()(x, cr.tensor([0, 1, 2])).grad_fn.name() == "NllLossBackward0"
    assert cr.nn.BCELoss()(x.sigmoid(), t.sigmoid()).grad_fn.name() == \
        "BinaryCrossEntropyBackward0"


# -- gradcheck -------------------------------------------------------------------------------


def _leaf(*shape, low=None):
    data = RNG.standard_normal(shape) if low is None else RNG.uniform(low, 1 - low, shape)
    return cr.tensor(data, requires_grad=True)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_gradcheck_fused_losses(reduction):
    F = cr.nn.functional
    x, t = _leaf(3, 4), _leaf(3, 4)
    p = _leaf(3, 4, low=0.1)
    idx = cr.tensor([0, 3, 1])
    w = cr.tensor(RNG.random(4))
    cases = [
        (lambda a, b: F.mse_loss(a, b, reduction=reduction), (x, t)),
        (lambda a, b: F.smooth_l1_loss(a, b, reduction=reduction, beta=0.5), (x, t)),
        (lambda a, b: F.huber_loss(a, b, reduction=reduction, delta=0.5), (x, t)),
        (lambda a: F.cross_entropy(a, idx, weight=w, reduction=reduction,
                                   label_smoothing=0.1), (x,)),
        (lambda a, b: F.binary_cross_entropy(a, b.sigmoid(), reduction=reduction), (p, t)),
        (lambda a, b: F.binary_cross_entropy_with_logits(a, b.sigmoid(), reduction=reduction,
                                                         pos_weight=w), (x, t)),
    ]
    for fn, inputs in cases:
        assert gradcheck(fn, inputs)
        assert gradgradcheck(fn, inputs)
