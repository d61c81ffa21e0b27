"""Every scheduler (and option) vs torch 2.13: 60 steps with the optimizer stepping too give
the same learning rates (and momenta), and a state_dict round trip mid-run changes nothing."""

from __future__ import annotations

import copy
import math
import warnings

import numpy as np
import pytest
import torch

import chainrule


def _sched(lib):
    return lib.optim.lr_scheduler


SCHEDULERS = {
    "StepLR": lambda lib, o: _sched(lib).StepLR(o, step_size=7, gamma=0.5),
    "MultiStepLR": lambda lib, o: _sched(lib).MultiStepLR(o, [5, 12, 12, 30], gamma=0.3),
    "ExponentialLR": lambda lib, o: _sched(lib).ExponentialLR(o, gamma=0.93),
    "CosineAnnealingLR": lambda lib, o: _sched(lib).CosineAnnealingLR(o, T_max=17,
                                                                       eta_min=0.001),
    "CosineAnnealingLR-default": lambda lib, o: _sched(lib).CosineAnnealingLR(o, T_max=10),
    "WarmRestarts": lambda lib, o: _sched(lib).CosineAnnealingWarmRestarts(o, T_0=5),
    "WarmRestarts-mult": lambda lib, o: _sched(lib).CosineAnnealingWarmRestarts(
        o, T_0=3, T_mult=2, eta_min=0.002),
    "LambdaLR": lambda lib, o: _sched(lib).LambdaLR(o, lambda e: 0.95**e + 0.01 * (e % 3)),
    "LambdaLR-list": lambda lib, o: _sched(lib).LambdaLR(
        o, [lambda e: 1 / (1 + e), lambda e: 0.9**e]),
    "MultiplicativeLR": lambda lib, o: _sched(lib).MultiplicativeLR(o, lambda e: 0.97),
    "LinearLR": lambda lib, o: _sched(lib).LinearLR(o, start_factor=0.2, total_iters=13),
    "LinearLR-down": lambda lib, o: _sched(lib).LinearLR(o, start_factor=1.0, end_factor=0.1,
                                                         total_iters=20),
    "ConstantLR": lambda lib, o: _sched(lib).ConstantLR(o, factor=0.25, total_iters=9),
    "PolynomialLR": lambda lib, o: _sched(lib).PolynomialLR(o, total_iters=40, power=2.0),
    "PolynomialLR-linear": lambda lib, o: _sched(lib).PolynomialLR(o, total_iters=25),
    "SequentialLR": lambda lib, o: _sched(lib).SequentialLR(
        o, [_sched(lib).LinearLR(o, start_factor=0.1, total_iters=5),
            _sched(lib).CosineAnnealingLR(o, T_max=20),
            _sched(lib).ExponentialLR(o, gamma=0.9)], milestones=[5, 25]),
    "ChainedScheduler": lambda lib, o: _sched(lib).ChainedScheduler(
        [_sched(lib).ConstantLR(o, factor=0.5, total_iters=4),
         _sched(lib).ExponentialLR(o, gamma=0.95)]),
    "OneCycleLR-cos": lambda lib, o: _sched(lib).OneCycleLR(o, max_lr=[1.0, 0.5],
                                                             total_steps=61),
    "OneCycleLR-linear-3phase": lambda lib, o: _sched(lib).OneCycleLR(
        o, max_lr=0.8, epochs=6, steps_per_epoch=11, anneal_strategy="linear",
        three_phase=True, pct_start=0.25, div_factor=10.0, final_div_factor=100.0),
    "OneCycleLR-nomomentum": lambda lib, o: _sched(lib).OneCycleLR(
        o, max_lr=0.3, total_steps=70, cycle_momentum=False),
    "CyclicLR-triangular": lambda lib, o: _sched(lib).CyclicLR(o, 0.01, 0.1, step_size_up=7),
    "CyclicLR-triangular2": lambda lib, o: _sched(lib).CyclicLR(
        o, [0.01, 0.02], [0.1, 0.2], step_size_up=4, step_size_down=6, mode="triangular2"),
    "CyclicLR-exp_range": lambda lib, o: _sched(lib).CyclicLR(
        o, 0.01, 0.1, step_size_up=5, mode="exp_range", gamma=0.97, base_momentum=0.7,
        max_momentum=0.95),
    "CyclicLR-scale_fn": lambda lib, o: _sched(lib).CyclicLR(
        o, 0.01, 0.1, step_size_up=5, scale_fn=lambda x: 1 / (1 + x), scale_mode="iterations",
        cycle_momentum=False),
}
# CyclicLR/OneCycleLR cycle momentum: they need an optimizer with one (SGD momentum or Adam).
OPTIMIZERS = {
    "SGD": lambda lib, ps: lib.optim.SGD(
        [{"params": ps[:1]}, {"params": ps[1:], "lr": 0.05}], lr=0.1, momentum=0.9),
    "Adam": lambda lib, ps: lib.optim.Adam(
        [{"params": ps[:1]}, {"params": ps[1:], "lr": 0.05}], lr=0.1),
}


def _make(lib, sched_name, opt_name="SGD"):
    params = [lib.tensor(np.linspace(-1, 1, 4), requires_grad=True),
              lib.tensor(np.linspace(0, 2, 3), requires_grad=True)]
    opt = OPTIMIZERS[opt_name](lib, params)
    return params, opt, SCHEDULERS[sched_name](lib, opt)


def _trace_step(lib, params, opt, sched, trace):
    for p in params:
        p.grad = lib.ones_like(p) * 0.1
    opt.step()
    sched.step()
    trace.append(_snapshot(opt, sched))


def _snapshot(opt, sched):
    groups = [(g["lr"], g.get("momentum"), g.get("betas")) for g in opt.param_groups]
    return [float(x) for x in sched.get_last_lr()], groups


def _run(lib, sched_name, opt_name="SGD", steps=60, reload_at=None):
    params, opt, sched = _make(lib, sched_name, opt_name)
    trace = [_snapshot(opt, sched)]
    for step in range(steps):
        if step == reload_at:
            opt_state, sched_state = copy.deepcopy(opt.state_dict()), sched.state_dict()
            sched_state = copy.deepcopy(sched_state)
            params, opt, sched = _make(lib, sched_name, opt_name)
            opt.load_state_dict(opt_state)
            sched.load_state_dict(sched_state)
        _trace_step(lib, params, opt, sched, trace)
    return trace, [p.detach().numpy().copy() for p in params]


def _assert_traces(ours, theirs):
    assert len(ours) == len(theirs)
    for (lrs, groups), (tlrs, tgroups) in zip(ours, theirs):
        np.testing.assert_allclose(lrs, tlrs, rtol=1e-12, atol=1e-15)
        for (lr, mom, betas), (tlr, tmom, tbetas) in zip(groups, tgroups):
            assert math.isclose(lr, tlr, rel_tol=1e-12, abs_tol=1e-15)
            assert (mom is None) == (tmom is None)
            if mom is not None:
                assert math.isclose(mom, tmom, rel_tol=1e-12)
            if betas is not None:
                np.testing.assert_allclose(betas, tbetas, rtol=1e-12)


@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_lrs_match_torch(name):
    ours, weights = _run(chainrule, name)
    theirs, tweights = _run(torch, name)
    _assert_traces(ours, theirs)
    assert len({round(t[0][0], 12) for t in theirs}) >= 2  # the schedule really moves
    for a, b in zip(weights, tweights):
        np.testing.assert_allclose(a, b, rtol=1e-10)


@pytest.mark.parametrize("name", [n for n in SCHEDULERS if "Cyclic" in n or "OneCycle" in n])
def test_momentum_cycling_with_adam_betas(name):
    _assert_traces(_run(chainrule, name, "Adam")[0], _run(torch, name, "Adam")[0])


@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_state_dict_round_trip_mid_run(name):
    expected, _ = _run(torch, name)
    ours, _ = _run(chainrule, name, reload_at=30)
    _assert_traces(ours, expected)


@pytest.mark.parametrize("name", ["StepLR", "CosineAnnealingLR", "OneCycleLR-cos",
                                  "CyclicLR-triangular2", "SequentialLR", "WarmRestarts-mult"])
def test_load_torch_scheduler_state(name):
    """A scheduler state_dict written by torch continues identically in chainrule."""
    expected, _ = _run(torch, name)
    tparams, topt, tsched = _make(torch, name)
    for _ in range(30):
        _trace_step(torch, tparams, topt, tsched, [])
    params, opt, sched = _make(chainrule, name)
    for group, tgroup in zip(opt.param_groups, topt.param_groups):
        group.update({k: v for k, v in tgroup.items() if k != "params"})
    sched.load_state_dict(copy.deepcopy(tsched.state_dict()))
    trace = []
    for _ in range(30):
        _trace_step(chainrule, params, opt, sched, trace)
    _assert_traces(trace, expected[31:])


def test_state_dict_keys_match_torch():
    for name in SCHEDULERS:
        ours = _make(chainrule, name)[2].state_dict()
        theirs = _make(torch, name)[2].state_dict()
        assert list(ours) == list(theirs), name


PLATEAU_CASES = [
    {},
    {"mode": "max", "factor": 0.5, "patience": 2},
    {"threshold_mode": "abs", "threshold": 0.05, "patience": 1, "cooldown": 3},
    {"patience": 0, "factor": 0.3, "min_lr": [0.01, 0.02], "eps": 1e-3},
    {"mode": "max", "threshold_mode": "abs", "threshold": 0.01, "patience": 3, "min_lr": 0.004},
]


def _metrics():
    rng = np.random.default_rng(5)
    decay = [1.0 / (1 + t) for t in range(12)]
    return decay + list(0.08 + 0.01 * rng.standard_normal(58))


@pytest.mark.parametrize("kwargs", PLATEAU_CASES, ids=[str(k) for k in PLATEAU_CASES])
def test_reduce_lr_on_plateau(kwargs):
    traces = []
    for lib in (chainrule, torch):
        params = [lib.zeros(2, requires_grad=True), lib.zeros(3, requires_grad=True)]
        opt = OPTIMIZERS["SGD"](lib, params)
        sched = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, **kwargs)
        trace = []
        for t, m in enumerate(_metrics()):
            metric = -m if kwargs.get("mode") == "max" else m
            sched.step(lib.tensor(metric) if t % 2 else metric)
            trace.append(([float(x) for x in sched.get_last_lr()], sched.num_bad_epochs,
                          sched.cooldown_counter, sched.best))
            if t == 30:
                state = copy.deepcopy(sched.state_dict())
                sched = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, **kwargs)
                sched.load_state_dict(state)
        traces.append(trace)
    for ours, theirs in zip(*traces):
        np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-12)
        assert ours[1:3] == theirs[1:3]
        assert math.isclose(ours[3], theirs[3], rel_tol=1e-6)
    assert traces[1][-1][0] != traces[1][0][0]  # it did reduce


def test_epoch_argument_uses_closed_form_and_warns():
    results = []
    for lib in (chainrule, torch):
        _params, _opt, sched = _make(lib, "StepLR")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            sched.step(15)
        assert any("epoch parameter" in str(w.message) for w in caught)
        results.append(sched.get_last_lr())
    np.testing.assert_allclose(results[0], results[1])


def test_get_lr_outside_step_warns_and_errors():
    _, opt, sched = _make(chainrule, "StepLR")
    with pytest.warns(UserWarning, match="get_last_lr"):
        sched.get_lr()
    with pytest.raises(TypeError, match="is not an Optimizer"):
        chainrule.optim.lr_scheduler.StepLR(object(), 3)
    with pytest.raises(KeyError, match="initial_lr"):
        p = chainrule.zeros(1, requires_grad=True)
        chainrule.optim.lr_scheduler.StepLR(chainrule.optim.SGD([p], lr=0.1), 3, last_epoch=4)
    with pytest.raises(ValueError, match="cycle_momentum"):
        p = chainrule.zeros(1, requires_grad=True)
        chainrule.optim.lr_scheduler.CyclicLR(chainrule.optim.Adagrad([p]), 0.1, 1.0)
    with pytest.raises(ValueError, match="ReduceLROnPlateau"):
        chainrule.optim.lr_scheduler.ChainedScheduler(
            [chainrule.optim.lr_scheduler.ReduceLROnPlateau(opt)])
    with pytest.raises(ValueError, match="Tried to step"):
        p = chainrule.zeros(1, requires_grad=True)
        o = chainrule.optim.SGD([p], lr=0.1, momentum=0.9)
        s = chainrule.optim.lr_scheduler.OneCycleLR(o, 1.0, total_steps=3)
        for _ in range(4):
            s.step()


def test_no_warning_when_scheduler_steps_first():
    """torch warns about step order here; chainrule stays quiet (documented choice)."""
    _, _opt, sched = _make(chainrule, "ExponentialLR")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sched.step()
