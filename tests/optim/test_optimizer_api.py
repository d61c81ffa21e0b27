"""Optimizer base behaviour vs torch: param groups, state_dict round trips (also across the two
libraries), zero_grad, hooks, closures, graph hygiene, errors, and a model-level run."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from optim_harness import grad_fn, initial_arrays, run

import chainrule


def _params(lib, dtype=np.float64):
    return [lib.tensor(a.copy(), requires_grad=True) for a in initial_arrays(dtype=dtype)]


def _set_grads(lib, params):
    for k, p in enumerate(params):
        p.grad = lib.tensor(grad_fn(p.detach().numpy(), k))


def _to_chainrule(value):
    """A torch state_dict (nested) with its tensors turned into chainrule tensors."""
    if isinstance(value, torch.Tensor):
        return chainrule.tensor(value.detach().numpy().copy())
    if isinstance(value, dict):
        return {k: _to_chainrule(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_to_chainrule(v) for v in value)
    return value


@pytest.mark.parametrize("name,kwargs", [
    ("SGD", {"lr": 0.01, "momentum": 0.9}), ("Adam", {"lr": 0.01, "amsgrad": True}),
    ("RMSprop", {"lr": 0.003, "centered": True, "momentum": 0.5}), ("Adagrad", {"lr": 0.1}),
    ("NAdam", {"lr": 0.01}), ("ASGD", {"lr": 0.01, "t0": 5}), ("Rprop", {}),
    ("Adadelta", {}), ("Adamax", {}), ("RAdam", {}), ("AdamW", {}),
])
@pytest.mark.parametrize("source", ["chainrule", "torch"])
def test_state_dict_round_trip_mid_run(name, kwargs, source):
    """Stop after 25 steps, load the state into a fresh optimizer on fresh tensors (from our own
    state_dict or from torch's), continue 25 steps: same weights as an unbroken torch run."""
    expected, _ = run("torch", name, kwargs, steps=50)
    lib = chainrule if source == "chainrule" else torch
    params = _params(lib)
    opt = getattr(lib.optim, name)(params, **kwargs)
    for _ in range(25):
        _set_grads(lib, params)
        opt.step()
    sd = opt.state_dict()
    if source == "torch":
        sd = _to_chainrule(sd)
    else:
        sd = copy.deepcopy(sd)
    fresh = [chainrule.tensor(p.detach().numpy().copy(), requires_grad=True) for p in params]
    opt2 = getattr(chainrule.optim, name)(fresh, **kwargs)
    opt2.load_state_dict(sd)
    for _ in range(25):
        _set_grads(chainrule, fresh)
        opt2.step()
    for a, b in zip(fresh, expected):
        np.testing.assert_allclose(a.detach().numpy(), b, rtol=1e-6, atol=1e-12)


def test_state_dict_layout_and_sharing_like_torch():
    for lib in (chainrule, torch):
        a, b, c = _params(lib)
        opt = lib.optim.Adam([{"params": [a, b]}, {"params": [c], "lr": 0.5}], lr=0.1)
        _set_grads(lib, [a, b, c])
        opt.step()
        sd = opt.state_dict()
        assert sd["param_groups"][0]["params"] == [0, 1]
        assert sd["param_groups"][1]["params"] == [2]
        assert sd["param_groups"][1]["lr"] == 0.5
        assert sorted(sd["state"]) == [0, 1, 2]
        assert sd["state"][2]["exp_avg"] is opt.state[c]["exp_avg"]
        assert sd["state"][0]["step"].dtype == lib.float32
        assert float(sd["state"][0]["step"]) == 1.0


def test_load_state_dict_casts_to_param_dtype_and_checks_sizes():
    p = chainrule.zeros(3, requires_grad=True)
    opt = chainrule.optim.Adam([p])
    p.grad = chainrule.ones(3)
    opt.step()
    sd = copy.deepcopy(opt.state_dict())
    q = chainrule.zeros(3, dtype=chainrule.float64, requires_grad=True)
    opt2 = chainrule.optim.Adam([q])
    opt2.load_state_dict(sd)
    assert opt2.state[q]["exp_avg"].dtype == chainrule.float64
    assert opt2.state[q]["step"].dtype == chainrule.float32  # step keeps its own dtype
    with pytest.raises(ValueError, match="doesn't match the size"):
        chainrule.optim.Adam([q, chainrule.zeros(1, requires_grad=True)]).load_state_dict(sd)
    with pytest.raises(ValueError, match="different number of parameter groups"):
        chainrule.optim.Adam([{"params": [q]}, {"params": [p]}]).load_state_dict(sd)


def test_param_inputs_generator_dicts_named():
    params = _params(chainrule)
    opt = chainrule.optim.SGD(iter(params), lr=0.1)
    assert opt.param_groups[0]["params"] == params
    opt = chainrule.optim.SGD([("w", params[0]), ("b", params[1])], lr=0.1)
    assert opt.param_groups[0]["param_names"] == ["w", "b"]
    assert opt.state_dict()["param_groups"][0]["param_names"] == ["w", "b"]
    opt = chainrule.optim.SGD([{"params": params[0]}, {"params": params[1:], "momentum": 0.9}],
                              lr=0.1)
    assert opt.param_groups[0]["momentum"] == 0 and opt.param_groups[1]["momentum"] == 0.9
    opt.add_param_group({"params": [chainrule.zeros(2, requires_grad=True)], "lr": 1.0})
    assert len(opt.param_groups) == 3 and opt.param_groups[2]["lr"] == 1.0
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [params[0]]})


def test_errors_like_torch():
    p = chainrule.zeros(2, requires_grad=True)
    with pytest.raises(ValueError, match="empty parameter list"):
        chainrule.optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="iterable of Tensors or dicts"):
        chainrule.optim.SGD(p, lr=0.1)
    with pytest.raises(TypeError, match="can only optimize Tensors"):
        chainrule.optim.SGD([1.0], lr=0.1)
    with pytest.raises(ValueError, match="non-leaf"):
        chainrule.optim.SGD([p * 2], lr=0.1)
    with pytest.raises(TypeError, match="ordered collections"):
        chainrule.optim.SGD([{"params": {p}}], lr=0.1)
    with pytest.raises(ValueError, match="Invalid learning rate"):
        chainrule.optim.Adam([p], lr=-1)
    with pytest.raises(ValueError, match="Invalid beta parameter at index 1"):
        chainrule.optim.Adam([p], betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="Nesterov momentum requires"):
        chainrule.optim.SGD([p], lr=0.1, nesterov=True)
    with pytest.raises(NotImplementedError, match="differentiable"):
        chainrule.optim.Adam([p], differentiable=True)
    with pytest.warns(UserWarning, match="duplicate parameters"):
        chainrule.optim.SGD([p, p], lr=0.1)


def test_zero_grad():
    p = chainrule.zeros(3, requires_grad=True)
    opt = chainrule.optim.SGD([p], lr=0.1)
    p.grad = chainrule.ones(3)
    g = p.grad
    opt.zero_grad(set_to_none=False)
    assert p.grad is g and p.grad.tolist() == [0.0, 0.0, 0.0]
    opt.zero_grad()
    assert p.grad is None


def test_step_is_outside_the_graph_and_bumps_versions():
    p = chainrule.tensor([1.0, 2.0], requires_grad=True)
    y = (p * p).sum()  # saves p for backward
    y.backward(retain_graph=True)
    version = p._version
    opt = chainrule.optim.Adam([p], lr=0.1)
    opt.step()
    assert p.grad_fn is None and p.requires_grad and p.is_leaf
    assert p._version == version + 1
    assert opt.state[p]["exp_avg"].grad_fn is None
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()


def test_closure_runs_with_grad_enabled_and_returns_loss():
    p = chainrule.tensor([1.0, -2.0], requires_grad=True)
    opt = chainrule.optim.SGD([p], lr=0.1)

    def closure():
        opt.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    with chainrule.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 5.0
    np.testing.assert_allclose(p.detach().numpy(), [0.8, -1.6])


def test_hooks():
    p = chainrule.zeros(2, requires_grad=True)
    p.grad = chainrule.ones(2)
    opt = chainrule.optim.SGD([p], lr=0.1)
    calls = []
    h1 = opt.register_step_pre_hook(lambda o, a, k: calls.append(("pre", o is opt)))
    h2 = opt.register_step_post_hook(lambda o, a, k: calls.append(("post", o is opt)))
    h3 = chainrule.optim.optimizer.register_optimizer_step_pre_hook(
        lambda o, a, k: calls.append(("global", True)))
    opt.step()
    assert calls == [("global", True), ("pre", True), ("post", True)]
    for h in (h1, h2, h3):
        h.remove()
    opt.step()
    assert len(calls) == 3
    seen = []
    opt.register_state_dict_post_hook(lambda o, sd: seen.append(sorted(sd)))
    opt.register_load_state_dict_pre_hook(lambda o, sd: seen.append("load"))
    opt.load_state_dict(opt.state_dict())
    assert seen == [["param_groups", "state"], "load"]


def test_tensor_lr_and_lr_edit():
    results = []
    for lib in (chainrule, torch):
        params = _params(lib)
        opt = lib.optim.Adam(params, lr=lib.tensor(0.01))
        for step in range(10):
            _set_grads(lib, params)
            opt.step()
        results.append(params[0].detach().numpy().copy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-6)


def test_model_level_training_matches_torch():
    """A Linear-Tanh-Linear regression trained with real autograd in both libraries."""
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((32, 5)), rng.standard_normal((32, 2))
    tmodel = torch.nn.Sequential(torch.nn.Linear(5, 8), torch.nn.Tanh(), torch.nn.Linear(8, 2))
    tmodel = tmodel.double()
    model = chainrule.nn.Sequential(chainrule.nn.Linear(5, 8), chainrule.nn.Tanh(),
                                    chainrule.nn.Linear(8, 2)).double()
    model.load_state_dict({k: chainrule.tensor(v.detach().numpy().copy())
                           for k, v in tmodel.state_dict().items()})
    for name, kwargs in [("Adam", {"lr": 0.01, "weight_decay": 0.01}),
                         ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True})]:
        losses = []
        for lib, m in ((chainrule, model), (torch, tmodel)):
            opt = getattr(lib.optim, name)(m.parameters(), **kwargs)
            xs, ys = lib.tensor(x), lib.tensor(y)
            trace = []
            for _ in range(50):
                opt.zero_grad()
                loss = ((m(xs) - ys) ** 2).mean()
                loss.backward()
                opt.step()
                trace.append(loss.item())
            losses.append(trace)
        np.testing.assert_allclose(losses[0], losses[1], rtol=1e-8)
        assert losses[0][-1] < losses[0][0]
    for (k, v), (tk, tv) in zip(model.state_dict().items(), tmodel.state_dict().items()):
        assert k == tk
        np.testing.assert_allclose(v.numpy(), tv.numpy(), rtol=1e-6, atol=1e-12)


def _custom_optimizer_class(lib):
    class SignSGD(lib.optim.Optimizer):
        """A user-written optimizer, in the style of torch's docs."""

        def __init__(self, params, lr=0.01):
            super().__init__(params, {"lr": lr})

        @lib.no_grad()
        def step(self, closure=None):
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    state["count"] = state.get("count", 0) + 1
                    p.add_(p.grad.sign(), alpha=-group["lr"])

    return SignSGD


def test_user_subclass_works_like_torch():
    results = []
    for lib in (chainrule, torch):
        params = _params(lib)
        opt = _custom_optimizer_class(lib)(params, lr=0.1)
        calls = []
        opt.register_step_post_hook(lambda o, a, k, calls=calls: calls.append(1))
        for _ in range(5):
            _set_grads(lib, params)
            opt.step()
        sd = opt.state_dict()
        results.append((params[0].detach().numpy().copy(), sd["state"][0]["count"], len(calls),
                        sd["param_groups"][0]["lr"]))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-12)
    assert results[0][1:] == results[1][1:] == (5, 5, 0.1)


def test_default_dtype_float64_scalar_state():
    for lib in (chainrule, torch):
        lib.set_default_dtype(lib.float64)
        try:
            p = lib.zeros(2, requires_grad=True)
            p.grad = lib.ones(2)
            opt = lib.optim.NAdam([p])
            opt.step()
            assert opt.state[p]["step"].dtype == lib.float64
            assert opt.state[p]["mu_product"].dtype == lib.float64
        finally:
            lib.set_default_dtype(lib.float32)
