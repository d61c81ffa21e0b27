"""Activations (modules and functional) against torch: values, input gradients (random upstream
gradient, float64, kink points included), parameter gradients (PReLU), reprs, in-place forms."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from _nn_compare import TOL, assert_close, compare_module, leaves

import chainrule as cr
from chainrule.autograd import gradcheck

# (class name, constructor kwargs); every module is compared with torch's of the same name
CASES = [
    ("ReLU", {}), ("ReLU6", {}), ("LeakyReLU", {}), ("LeakyReLU", {"negative_slope": 0.2}),
    ("PReLU", {}), ("PReLU", {"num_parameters": 4, "init": 0.1}), ("ELU", {}),
    ("ELU", {"alpha": 0.7}), ("SELU", {}), ("CELU", {}), ("CELU", {"alpha": 2.0}),
    ("GELU", {}), ("GELU", {"approximate": "tanh"}), ("SiLU", {}), ("Mish", {}),
    ("Sigmoid", {}), ("Tanh", {}), ("Softplus", {}), ("Softplus", {"beta": 2.0, "threshold": 3.0}),
    ("Softsign", {}), ("Hardtanh", {}), ("Hardtanh", {"min_val": -2.0, "max_val": 0.5}),
    ("Hardsigmoid", {}), ("Hardswish", {}), ("LogSigmoid", {}), ("Softmax", {"dim": 1}),
    ("Softmax", {"dim": -1}), ("LogSoftmax", {"dim": 1}), ("Softmin", {"dim": 1}),
    ("Threshold", {"threshold": 0.1, "value": 20.0}), ("Tanhshrink", {}), ("Softshrink", {}),
    ("Softshrink", {"lambd": 1.0}), ("Hardshrink", {}), ("Hardshrink", {"lambd": 1.0}),
    ("GLU", {}), ("GLU", {"dim": 1}), ("Softmax2d", {}), ("RReLU", {}),
]

# values where torch defines the derivative by convention
KINKS = [0.0, 1.0, -1.0, 3.0, -3.0, 0.5, -0.5, 6.0, 0.1, -2.0, 2.0]


def _input(rng, shape=(3, 4, 2, 2)):
    x = rng.standard_normal(shape) * 3
    flat = x.reshape(-1)
    flat[: len(KINKS)] = KINKS
    return x


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_module_matches_torch(name, kwargs):
    rng = np.random.default_rng(1)
    t_mod = getattr(torch.nn, name)(**kwargs).double().eval()
    c_mod = getattr(cr.nn, name)(**kwargs).double().eval()
    assert repr(c_mod) == repr(t_mod)
    compare_module(t_mod, c_mod, _input(rng), rng=rng, tol=_tol(name))


def _tol(name: str) -> dict:
    # torch's hardsigmoid backward multiplies by a float32 1/6 (0.16666667163...) even in
    # float64; chainrule uses the exact 1/6, so gradients agree to float32 precision only
    return dict(rtol=1e-7, atol=1e-10) if name.lower() == "hardsigmoid" else TOL


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_float32_keeps_dtype(name, kwargs):
    x = np.random.default_rng(2).standard_normal((2, 4, 2, 2)).astype(np.float32)
    t_out = getattr(torch.nn, name)(**kwargs).eval()(torch.tensor(x))
    c_mod = getattr(cr.nn, name)(**kwargs).eval()
    if c_mod._parameters:
        c_mod.load_state_dict({k: v.numpy() for k, v in
                               getattr(torch.nn, name)(**kwargs).state_dict().items()})
    c_out = c_mod(cr.tensor(x))
    assert_close(c_out, t_out, dict(rtol=2e-6, atol=2e-6))


INPLACE = [("ReLU", {}), ("ReLU6", {}), ("LeakyReLU", {}), ("ELU", {}), ("SELU", {}),
           ("CELU", {}), ("SiLU", {}), ("Mish", {}), ("Hardtanh", {}), ("Hardsigmoid", {}),
           ("Hardswish", {}), ("Threshold", {"threshold": 0.1, "value": 2.0})]


@pytest.mark.parametrize("name,kwargs", INPLACE)
def test_inplace_modules(name, kwargs):
    """inplace=True writes into its input (a non-leaf here) and gives torch's gradients."""
    rng = np.random.default_rng(3)
    x = _input(rng, (3, 5))
    t_x, c_x = leaves(x)
    t_h, c_h = t_x[0] * 1.5, c_x[0] * 1.5
    t_out = getattr(torch.nn, name)(inplace=True, **kwargs)(t_h)
    c_out = getattr(cr.nn, name)(inplace=True, **kwargs)(c_h)
    assert c_out is c_h
    assert_close(c_h, t_h)
    g = rng.standard_normal(x.shape)
    t_out.backward(torch.tensor(g))
    c_out.backward(cr.tensor(g))
    assert_close(c_x[0].grad, t_x[0].grad, _tol(name))
    assert repr(getattr(cr.nn, name)(inplace=True, **kwargs)) == repr(
        getattr(torch.nn, name)(inplace=True, **kwargs))


def test_inplace_on_leaf_requiring_grad_raises():
    x = cr.randn(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        cr.nn.functional.relu(x, inplace=True)


FUNCTIONAL = [
    ("threshold", (0.5, -1.0)), ("relu", ()), ("relu6", ()), ("hardtanh", (-0.5, 2.0)),
    ("elu", (0.5,)), ("selu", ()), ("celu", (1.5,)), ("leaky_relu", (0.3,)),
    ("gelu", ()), ("silu", ()), ("mish", ()), ("sigmoid", ()), ("tanh", ()),
    ("hardsigmoid", ()), ("hardswish", ()), ("logsigmoid", ()), ("softplus", (0.5, 4.0)),
    ("softsign", ()), ("tanhshrink", ()), ("softshrink", (0.3,)), ("hardshrink", (0.3,)),
    ("glu", (0,)), ("softmax", (0,)), ("log_softmax", (1,)), ("softmin", (1,)),
    ("normalize", ()), ("rrelu", ()),
]


@pytest.mark.parametrize("name,args", FUNCTIONAL)
def test_functional_matches_torch(name, args):
    rng = np.random.default_rng(4)
    x = _input(rng, (4, 6))
    t_x, c_x = leaves(x)
    t_out = getattr(torch.nn.functional, name)(t_x[0], *args)
    c_out = getattr(cr.nn.functional, name)(c_x[0], *args)
    assert_close(c_out, t_out)
    g = rng.standard_normal(tuple(t_out.shape))
    t_out.backward(torch.tensor(g))
    c_out.backward(cr.tensor(g))
    assert_close(c_x[0].grad, t_x[0].grad, _tol(name))


def test_prelu_functional_channel_weight():
    rng = np.random.default_rng(5)
    x, w = _input(rng, (2, 3, 4)), rng.random(3)
    t_in, c_in = leaves(x, w)
    t_out = torch.nn.functional.prelu(*t_in)
    c_out = cr.nn.functional.prelu(*c_in)
    assert_close(c_out, t_out)
    g = rng.standard_normal(x.shape)
    t_out.backward(torch.tensor(g))
    c_out.backward(cr.tensor(g))
    for t, c in zip(t_in, c_in):
        assert_close(c.grad, t.grad)


def test_gelu_extremes_finite():
    x = cr.tensor([-1e4, -50.0, 0.0, 50.0, 1e4], dtype=cr.float64, requires_grad=True)
    for approximate in ("none", "tanh"):
        x.grad = None
        y = cr.nn.functional.gelu(x, approximate=approximate)
        y.sum().backward()
        ref = torch.nn.functional.gelu(torch.tensor(x.detach().numpy()), approximate=approximate)
        np.testing.assert_allclose(y.detach().numpy(), ref.numpy(), **TOL)
        assert np.isfinite(x.grad.numpy()).all()


@pytest.mark.parametrize("name", ["softplus", "logsigmoid", "silu", "mish", "sigmoid", "elu",
                                  "selu", "celu"])
def test_extreme_inputs_finite_and_equal_torch(name):
    x = np.array([-1e4, -800.0, -30.0, 0.0, 30.0, 800.0, 1e4])
    t_x, c_x = leaves(x)
    t_out = getattr(torch.nn.functional, name)(t_x[0])
    c_out = getattr(cr.nn.functional, name)(c_x[0])
    assert np.isfinite(c_out.detach().numpy()).all()
    assert_close(c_out, t_out)
    t_out.sum().backward()
    c_out.sum().backward()
    assert np.isfinite(c_x[0].grad.numpy()).all()
    assert_close(c_x[0].grad, t_x[0].grad)


@pytest.mark.parametrize("name,args", [
    ("elu", ()), ("gelu", ()), ("silu", ()), ("mish", ()), ("softplus", ()),
    ("logsigmoid", ()), ("hardswish", ()), ("celu", (0.7,)), ("selu", ())])
def test_gradcheck_and_gradgradcheck(name, args):
    from chainrule.autograd import gradgradcheck

    x = cr.tensor(np.random.default_rng(6).standard_normal(7) + 0.05, requires_grad=True)
    fn = lambda t: getattr(cr.nn.functional, name)(t, *args)
    assert gradcheck(fn, (x,))
    assert gradgradcheck(fn, (x,))


def test_gelu_tanh_gradgrad_matches_torch():
    x = np.random.default_rng(7).standard_normal(5)
    t_x, c_x = leaves(x)
    for approximate in ("none", "tanh"):
        (tg,) = torch.autograd.grad(torch.nn.functional.gelu(t_x[0], approximate=approximate)
                                    .sum(), t_x[0], create_graph=True)
        (cg,) = cr.autograd.grad(cr.nn.functional.gelu(c_x[0], approximate=approximate).sum(),
                                 c_x[0], create_graph=True)
        (tgg,) = torch.autograd.grad(tg.sum(), t_x[0])
        (cgg,) = cr.autograd.grad(cg.sum(), c_x[0])
        assert_close(cg, tg)
        assert_close(cgg, tgg)


def test_rrelu_training_draws_slopes_in_range():
    cr.manual_seed(0)
    x = cr.tensor(-np.ones(10000), requires_grad=True)
    m = cr.nn.RReLU(0.1, 0.3)
    y = m(x)
    slopes = -y.detach().numpy()
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3
    assert abs(slopes.mean() - 0.2) < 0.005
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), slopes)
    m.eval()
    np.testing.assert_allclose(m(x).detach().numpy(), -0.2 * np.ones(10000))


def test_errors_match_torch():
    with pytest.raises(RuntimeError, match="Halving dimension must be even"):
        cr.nn.functional.glu(cr.randn(3, 3))
    with pytest.raises(RuntimeError, match="approximate argument must be either"):
        cr.nn.functional.gelu(cr.randn(2), approximate="fast")
    with pytest.raises(AssertionError, match="must be greater than min_val"):
        cr.nn.Hardtanh(1.0, -1.0)
    with pytest.raises(ValueError, match="Softmax2d: expected input to be 3D or 4D"):
        cr.nn.Softmax2d()(cr.randn(2, 3))
    with pytest.raises(RuntimeError, match="lambda must be greater or equal to 0"):
        cr.nn.functional.softshrink(cr.randn(2), -1.0)


def test_softmax_implicit_dim_warns():
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        y = cr.nn.functional.softmax(cr.randn(2, 3))
    np.testing.assert_allclose(y.sum(1).numpy(), np.ones(2), rtol=1e-6)


def test_multihead_attention_reexport_is_lazy():
    import chainrule.nn.modules.activation as act

    try:
        cls = act.MultiheadAttention
    except AttributeError as e:
        assert "MultiheadAttention" in str(e)
    else:
        assert cls.__name__ == "MultiheadAttention"
