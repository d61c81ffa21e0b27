"""Option checks and legacy unpickling vs torch, for every optimizer: the exception type and
message of each invalid option (and which one is reported first), and what ``__setstate__``
fills in for a pickle from an older torch (missing group options, Python-number ``step``)."""

from __future__ import annotations

import math

import pytest
import torch

import chainrule

NAN = math.nan

# (optimizer, invalid keyword arguments): each row must raise what torch raises
INVALID = [
    ("SGD", {"lr": -0.1}), ("SGD", {"lr": 0.1, "momentum": -1}),
    ("SGD", {"lr": 0.1, "weight_decay": -1}), ("SGD", {"lr": 0.1, "nesterov": True}),
    ("SGD", {"lr": -1, "momentum": -1}),
    ("Adadelta", {"lr": -1}), ("Adadelta", {"lr": NAN}), ("Adadelta", {"rho": 1.5}),
    ("Adadelta", {"rho": -0.1}), ("Adadelta", {"eps": -1}), ("Adadelta", {"weight_decay": -1}),
    ("Adadelta", {"rho": 2.0, "eps": -1}), ("Adadelta", {"lr": torch.tensor([0.1, 0.2])}),
    ("Adagrad", {"lr": -1}), ("Adagrad", {"lr_decay": -1}), ("Adagrad", {"weight_decay": -1}),
    ("Adagrad", {"initial_accumulator_value": -1}), ("Adagrad", {"eps": -1}),
    ("Adagrad", {"eps": -1, "lr_decay": -1}), ("Adagrad", {"fused": True, "foreach": True}),
    ("Adamax", {"lr": -1}), ("Adamax", {"eps": NAN}), ("Adamax", {"betas": (1.0, 0.5)}),
    ("Adamax", {"betas": (0.5, 1.0)}), ("Adamax", {"betas": (-0.1, 0.5)}),
    ("Adamax", {"weight_decay": -1}), ("Adamax", {"weight_decay": -1, "eps": -1}),
    ("ASGD", {"lr": -1}), ("ASGD", {"weight_decay": -1}),
    ("NAdam", {"lr": -1}), ("NAdam", {"eps": -1}), ("NAdam", {"betas": (0.5, 1.5)}),
    ("NAdam", {"weight_decay": -1}), ("NAdam", {"momentum_decay": -1}),
    ("NAdam", {"momentum_decay": -1, "weight_decay": -1}),
    ("RAdam", {"lr": -1}), ("RAdam", {"eps": -1}), ("RAdam", {"betas": (1.0, 0.5)}),
    ("RAdam", {"weight_decay": -1}), ("RAdam", {"lr": torch.tensor([0.1, 0.2])}),
    ("RMSprop", {"lr": -1}), ("RMSprop", {"eps": -1}), ("RMSprop", {"momentum": -1}),
    ("RMSprop", {"weight_decay": -1}), ("RMSprop", {"alpha": -1}),
    ("RMSprop", {"alpha": -1, "momentum": -1}),
    ("Rprop", {"lr": -1}), ("Rprop", {"etas": (1.5, 1.2)}), ("Rprop", {"etas": (0.5, 0.9)}),
    ("Adam", {"eps": -1}), ("AdamW", {"betas": (0.9, -0.1)}),
    ("Adam", {"lr": -1}), ("Adam", {"lr": NAN}), ("Adam", {"lr": torch.tensor([0.1, 0.2])}),
    ("Adam", {"betas": (1.0, 0.5)}), ("Adam", {"weight_decay": -1}),
    ("Adam", {"eps": -1, "lr": -1}), ("Adam", {"betas": (0.9, torch.tensor(0.99))}),
    ("Adam", {"fused": True, "foreach": True}), ("SGD", {"lr": torch.tensor([0.1, 0.2])}),
    ("SGD", {"lr": 0.1, "fused": True, "foreach": True}),
]


def _convert(value):
    return chainrule.tensor(value.numpy()) if isinstance(value, torch.Tensor) else value


@pytest.mark.parametrize("name,kwargs", INVALID)
def test_invalid_option_raises_like_torch(name, kwargs):
    with pytest.raises(Exception) as expected:
        getattr(torch.optim, name)([torch.zeros(2, requires_grad=True)], **kwargs)
    with pytest.raises(type(expected.value)) as got:
        getattr(chainrule.optim, name)(
            [chainrule.zeros(2, requires_grad=True)],
            **{k: _convert(v) for k, v in kwargs.items()},
        )
    assert str(got.value) == str(expected.value)


ALL = ["SGD", "Adadelta", "Adagrad", "Adamax", "ASGD", "NAdam", "RAdam", "RMSprop", "Rprop",
       "Adam", "AdamW"]


def _legacy_state(lib, name):
    """Two steps taken, then the state as an old torch pickled it: Python-number scalar state
    and param groups without the options added since (foreach, maximize, ...)."""
    params = [lib.tensor([1.0, -2.0, 3.0], requires_grad=True), lib.tensor([0.5, 0.25])]
    params[1].requires_grad_(True)
    kwargs = {"lr": 0.1} if name == "SGD" else {}
    opt = getattr(lib.optim, name)(params, **kwargs)
    for _ in range(2):
        for p in params:
            p.grad = lib.ones_like(p) * 0.5
        opt.step()
    state = {p: {k: (v.item() if k in ("step", "eta", "mu", "mu_product") else v)
                 for k, v in opt.state[p].items()} for p in params}
    keep = {"params", "lr", "betas", "eps", "weight_decay", "rho", "lr_decay",
            "initial_accumulator_value", "momentum", "alpha", "lambd", "t0", "etas",
            "step_sizes", "dampening", "momentum_decay"}
    groups = [{k: v for k, v in g.items() if k in keep} for g in opt.param_groups]
    return opt, params, state, groups


@pytest.mark.parametrize("name", ALL)
def test_setstate_fills_legacy_pickles_like_torch(name):
    t_opt, t_params, t_state, t_groups = _legacy_state(torch, name)
    c_opt, c_params, c_state, c_groups = _legacy_state(chainrule, name)
    t_opt.__setstate__({"state": t_state, "param_groups": t_groups})
    c_opt.__setstate__({"state": c_state, "param_groups": c_groups})
    assert [sorted(g.items(), key=str) for g in c_opt.param_groups if g.pop("params")] == [
        sorted(g.items(), key=str) for g in t_opt.param_groups if g.pop("params")
    ]
    for tp, cp in zip(t_params, c_params):
        t_s, c_s = t_opt.state[tp], c_opt.state[cp]
        assert list(c_s) == list(t_s)
        for key, value in t_s.items():
            if isinstance(value, torch.Tensor):
                assert isinstance(c_s[key], chainrule.Tensor), key
                assert str(c_s[key].dtype) == str(value.dtype), key
                assert c_s[key].tolist() == pytest.approx(value.tolist(), rel=1e-6), key
            else:
                assert c_s[key] == value, key
