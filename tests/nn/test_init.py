"""nn.init against torch: gains, fans, distribution bounds and moments, deterministic fills,
generator reproducibility, errors, and that initialization records no graph."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import chainrule as cr

init = cr.nn.init


@pytest.mark.parametrize("nonlinearity,param", [
    ("linear", None), ("conv2d", None), ("conv_transpose3d", None), ("sigmoid", None),
    ("tanh", None), ("relu", None), ("leaky_relu", None), ("leaky_relu", 0.2),
    ("leaky_relu", 3), ("selu", None)])
def test_calculate_gain(nonlinearity, param):
    assert init.calculate_gain(nonlinearity, param) == torch.nn.init.calculate_gain(
        nonlinearity, param)


def test_calculate_gain_errors():
    with pytest.raises(ValueError, match="Unsupported nonlinearity bogus"):
        init.calculate_gain("bogus")
    with pytest.raises(ValueError, match="negative_slope True not a valid number"):
        init.calculate_gain("leaky_relu", True)


@pytest.mark.parametrize("shape", [(3, 4), (5, 2, 3), (4, 3, 2, 2), (2, 3, 1, 2, 2)])
def test_fan_in_and_fan_out(shape):
    assert init._calculate_fan_in_and_fan_out(cr.empty(shape)) == \
        torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))


def test_fan_needs_two_dims():
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init._calculate_fan_in_and_fan_out(cr.empty(3))


def _stats(t) -> tuple:
    a = t.detach().numpy().astype(np.float64)
    return a.mean(), a.std(), a.min(), a.max()


BIG = (300, 200)


@pytest.mark.parametrize("name,kwargs,bound", [
    ("uniform_", {"a": -0.5, "b": 2.0}, (-0.5, 2.0)),
    ("normal_", {"mean": 1.0, "std": 0.5}, None),
    ("xavier_uniform_", {"gain": 2.0}, "xavier"),
    ("xavier_normal_", {}, None),
    ("kaiming_uniform_", {"a": math.sqrt(5)}, "kaiming"),
    ("kaiming_uniform_", {"mode": "fan_out", "nonlinearity": "relu"}, "kaiming"),
    ("kaiming_normal_", {}, None),
    ("kaiming_normal_", {"mode": "fan_out", "nonlinearity": "tanh"}, None),
    ("trunc_normal_", {"mean": 0.5, "std": 1.0, "a": -1.0, "b": 1.5}, (-1.0, 1.5)),
    ("orthogonal_", {"gain": 2.0}, None),
    ("sparse_", {"sparsity": 0.3, "std": 0.1}, None),
])
def test_distributions_match_torch(name, kwargs, bound):
    torch.manual_seed(0)
    cr.manual_seed(0)
    t = getattr(torch.nn.init, name)(torch.empty(BIG), **kwargs)
    c = getattr(init, name)(cr.empty(BIG), **kwargs)
    t_mean, t_std, t_min, t_max = _stats(t)
    c_mean, c_std, c_min, c_max = _stats(c)
    n = t.numel()
    assert abs(c_mean - t_mean) < 6 * t_std / math.sqrt(n) + 1e-12
    assert abs(c_std - t_std) < 0.02 * t_std
    if bound == "xavier":
        bound = (-kwargs["gain"] * math.sqrt(6 / sum(BIG)),) * 2
        bound = (bound[0], -bound[0])
    elif bound == "kaiming":
        fan = BIG[1] if kwargs.get("mode", "fan_in") == "fan_in" else BIG[0]
        gain = init.calculate_gain(kwargs.get("nonlinearity", "leaky_relu"), kwargs.get("a", 0))
        b = gain * math.sqrt(3 / fan)
        bound = (-b, b)
    if bound is not None:
        assert c_min >= bound[0] and c_max <= bound[1]
        assert abs(c_min - t_min) < 0.02 * (bound[1] - bound[0])
        assert abs(c_max - t_max) < 0.02 * (bound[1] - bound[0])
    assert c.dtype == cr.float32


def test_orthogonal_is_orthogonal():
    for shape in [(6, 4), (4, 6), (3, 2, 2)]:
        w = init.orthogonal_(cr.empty(shape, dtype=cr.float64), gain=1.5).numpy()
        flat = w.reshape(shape[0], -1)
        small = min(flat.shape)
        gram = flat @ flat.T if flat.shape[0] == small else flat.T @ flat
        np.testing.assert_allclose(gram, 2.25 * np.eye(small), atol=1e-12)


def test_sparse_zero_fraction_per_column():
    w = init.sparse_(cr.empty(10, 30), sparsity=0.25).numpy()
    np.testing.assert_array_equal((w == 0).sum(0), np.full(30, 3))


@pytest.mark.parametrize("name,args", [("constant_", (0.3,)), ("ones_", ()), ("zeros_", ()),
                                       ("eye_", ())])
def test_deterministic_fills(name, args):
    t = getattr(torch.nn.init, name)(torch.empty(3, 5), *args)
    c = getattr(init, name)(cr.empty(3, 5), *args)
    np.testing.assert_array_equal(c.numpy(), t.numpy())


@pytest.mark.parametrize("shape,groups", [((4, 4, 3), 1), ((6, 3, 3, 3), 2),
                                          ((4, 2, 1, 3, 3), 2), ((2, 5, 3, 3), 1)])
def test_dirac(shape, groups):
    t = torch.nn.init.dirac_(torch.empty(shape), groups)
    c = init.dirac_(cr.empty(shape), groups)
    np.testing.assert_array_equal(c.numpy(), t.numpy())


def test_errors_match_torch():
    for lib in (torch, cr):
        with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
            lib.nn.init.eye_(lib.empty(3))
        with pytest.raises(ValueError, match="Only tensors with 3, 4, or 5 dimensions"):
            lib.nn.init.dirac_(lib.empty(3, 3))
        with pytest.raises(ValueError, match="Mode fan_mid not supported"):
            lib.nn.init.kaiming_uniform_(lib.empty(3, 3), mode="fan_mid")
        with pytest.raises(ValueError, match="Only tensors with 2 or more dimensions"):
            lib.nn.init.orthogonal_(lib.empty(3))
        with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
            lib.nn.init.kaiming_normal_(lib.empty(0, 3))
        with pytest.warns(FutureWarning, match="is now deprecated in favor of"):
            lib.nn.init.uniform(lib.empty(2, 2))


def test_in_place_without_graph_on_parameters():
    p = cr.nn.Parameter(cr.empty(4, 3))
    version = p._version
    out = init.kaiming_uniform_(p, a=math.sqrt(5))
    assert out is p and p.grad_fn is None and p.requires_grad and p.is_leaf
    assert p._version > version
    init.normal_(p)
    init.zeros_(p)
    assert not p.detach().numpy().any()


def test_generator_reproducibility():
    g1 = cr.Generator().manual_seed(5)
    g2 = cr.Generator().manual_seed(5)
    for name in ("uniform_", "normal_", "xavier_uniform_", "kaiming_normal_", "orthogonal_",
                 "trunc_normal_"):
        a = getattr(init, name)(cr.empty(4, 3), generator=g1).numpy()
        b = getattr(init, name)(cr.empty(4, 3), generator=g2).numpy()
        np.testing.assert_array_equal(a, b)
    cr.manual_seed(1)
    a = init.normal_(cr.empty(5)).numpy()
    cr.manual_seed(1)
    np.testing.assert_array_equal(init.normal_(cr.empty(5)).numpy(), a)


def test_float64_target_keeps_dtype():
    w = init.xavier_normal_(cr.empty(3, 4, dtype=cr.float64))
    assert w.dtype == cr.float64
