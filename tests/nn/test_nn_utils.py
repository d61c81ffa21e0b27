"""nn.utils against torch: gradient clipping by norm (all norm types) and by value, and
parameter/vector conversion."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import chainrule as cr

RNG = np.random.default_rng(11)
SHAPES = [(3, 4), (4,), (2, 2, 3)]


def _params(lib, grads, dtype):
    params = []
    for g in grads:
        p = lib.nn.Parameter(lib.zeros(g.shape, dtype=dtype))
        p.grad = lib.tensor(g.astype(np.float64), dtype=dtype)
        params.append(p)
    return params


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, math.inf, 0.5])
@pytest.mark.parametrize("max_norm", [0.5, 1e6])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_clip_grad_norm_matches_torch(norm_type, max_norm, dtype):
    grads = [RNG.standard_normal(s) * 3 for s in SHAPES]
    t_params = _params(torch, grads, getattr(torch, dtype))
    c_params = _params(cr, grads, getattr(cr, dtype))
    t_total = torch.nn.utils.clip_grad_norm_(t_params, max_norm, norm_type)
    c_total = cr.nn.utils.clip_grad_norm_(iter(c_params), max_norm, norm_type, foreach=True)
    tol = dict(rtol=1e-12, atol=0) if dtype == "float64" else dict(rtol=2e-6, atol=1e-7)
    assert str(c_total.dtype) == str(t_total.dtype) and c_total.shape == t_total.shape
    np.testing.assert_allclose(c_total.numpy(), t_total.numpy(), **tol)
    for t, c in zip(t_params, c_params):
        np.testing.assert_allclose(c.grad.numpy(), t.grad.numpy(), **tol)


def test_clip_grad_norm_single_tensor_skips_none_and_empty():
    p = cr.nn.Parameter(cr.ones(3))
    p.grad = cr.tensor([3.0, 4.0, 0.0])
    total = cr.nn.utils.clip_grad_norm_(p, 1.0)
    np.testing.assert_allclose(total.item(), 5.0)
    np.testing.assert_allclose(p.grad.numpy(), [0.6, 0.8, 0.0], rtol=1e-5)
    q = cr.nn.Parameter(cr.ones(2))
    assert cr.nn.utils.clip_grad_norm_([q], 1.0).item() == 0.0
    with pytest.warns(UserWarning, match="empty generator"):
        cr.nn.utils.clip_grad_norm_((x for x in []), 1.0)


def test_clip_grad_norm_nonfinite():
    p = cr.nn.Parameter(cr.ones(2))
    p.grad = cr.tensor([float("inf"), 1.0])
    with pytest.raises(RuntimeError, match="is non-finite, so it cannot be clipped"):
        cr.nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)
    total = cr.nn.utils.clip_grad_norm_([p], 1.0)
    assert math.isinf(total.item())


def test_clip_grad_norm_deprecated_alias():
    p = cr.nn.Parameter(cr.ones(2))
    p.grad = cr.ones(2)
    with pytest.warns(FutureWarning, match="clip_grad_norm_"):
        cr.nn.utils.clip_grad_norm([p], 1.0)


def test_clip_grad_value_matches_torch():
    grads = [RNG.standard_normal(s) for s in SHAPES]
    t_params = _params(torch, grads, torch.float64)
    c_params = _params(cr, grads, cr.float64)
    torch.nn.utils.clip_grad_value_(t_params, 0.7)
    assert cr.nn.utils.clip_grad_value_(c_params, 0.7) is None
    for t, c in zip(t_params, c_params):
        np.testing.assert_array_equal(c.grad.numpy(), t.grad.numpy())


def test_clip_in_training_loop_matches_torch():
    torch.manual_seed(0)
    t_net = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.Tanh(), torch.nn.Linear(5, 1))
    c_net = cr.nn.Sequential(cr.nn.Linear(3, 5), cr.nn.Tanh(), cr.nn.Linear(5, 1))
    t_net.double(), c_net.double()
    c_net.load_state_dict({k: v.numpy() for k, v in t_net.state_dict().items()})
    x, y = RNG.standard_normal((8, 3)) * 5, RNG.standard_normal((8, 1))
    for lib, net in ((torch, t_net), (cr, c_net)):
        opt = lib.optim.SGD(net.parameters(), lr=0.1)
        for _ in range(5):
            opt.zero_grad()
            lib.nn.functional.mse_loss(net(lib.tensor(x)), lib.tensor(y)).backward()
            lib.nn.utils.clip_grad_norm_(net.parameters(), 0.3)
            opt.step()
    for k, v in t_net.state_dict().items():
        np.testing.assert_allclose(c_net.state_dict()[k].numpy(), v.numpy(), rtol=1e-10,
                                   atol=1e-12)


def test_parameters_to_vector_and_back():
    t_net = torch.nn.Linear(3, 2).double()
    c_net = cr.nn.Linear(3, 2).double()
    c_net.load_state_dict({k: v.numpy() for k, v in t_net.state_dict().items()})
    t_vec = torch.nn.utils.parameters_to_vector(t_net.parameters())
    c_vec = cr.nn.utils.parameters_to_vector(c_net.parameters())
    np.testing.assert_array_equal(c_vec.detach().numpy(), t_vec.detach().numpy())
    g = RNG.standard_normal(8)
    t_vec.backward(torch.tensor(g))
    c_vec.backward(cr.tensor(g))
    np.testing.assert_array_equal(c_net.weight.grad.numpy(), t_net.weight.grad.numpy())
    new = np.arange(8.0)
    torch.nn.utils.vector_to_parameters(torch.tensor(new), t_net.parameters())
    weight = c_net.weight
    cr.nn.utils.vector_to_parameters(cr.tensor(new), c_net.parameters())
    assert c_net.weight is weight
    for k, v in t_net.state_dict().items():
        np.testing.assert_array_equal(c_net.state_dict()[k].numpy(), v.numpy())
    with pytest.raises(TypeError, match="expected torch.Tensor, but got: list"):
        cr.nn.utils.vector_to_parameters([1.0], c_net.parameters())
