"""swa_utils vs torch: SWA/EMA averaged weights, SWALR learning rates, update_bn statistics."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import chainrule


def _models():
    tmodel = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4),
                                 torch.nn.Linear(4, 1)).double()
    model = chainrule.nn.Sequential(chainrule.nn.Linear(3, 4), chainrule.nn.BatchNorm1d(4),
                                    chainrule.nn.Linear(4, 1)).double()
    model.load_state_dict({k: chainrule.tensor(v.detach().numpy().copy())
                           for k, v in tmodel.state_dict().items()})
    return model, tmodel


def _averaged(lib, model, kind):
    swa = lib.optim.swa_utils
    if kind == "swa":
        return swa.AveragedModel(model)
    if kind == "ema":
        return swa.AveragedModel(model, multi_avg_fn=swa.get_ema_multi_avg_fn(0.9))
    if kind == "ema-avg_fn":
        return swa.AveragedModel(model, avg_fn=swa.get_ema_avg_fn(0.8))
    return swa.AveragedModel(model, avg_fn=swa.get_swa_avg_fn(), use_buffers=False)


@pytest.mark.parametrize("kind", ["swa", "ema", "ema-avg_fn", "swa-avg_fn"])
def test_averaged_model_matches_torch(kind):
    model, tmodel = _models()
    rng = np.random.default_rng(0)
    batches = [(rng.standard_normal((8, 3)), rng.standard_normal((8, 1))) for _ in range(12)]
    results = []
    for lib, m in ((chainrule, model), (torch, tmodel)):
        avg = _averaged(lib, m, kind)
        opt = lib.optim.SGD(m.parameters(), lr=0.05, momentum=0.9)
        sched = lib.optim.swa_utils.SWALR(opt, swa_lr=0.01, anneal_epochs=5)
        lrs = []
        for x, y in batches:
            opt.zero_grad()
            ((m(lib.tensor(x)) - lib.tensor(y)) ** 2).mean().backward()
            opt.step()
            sched.step()
            lrs.append(sched.get_last_lr()[0])
            avg.update_parameters(m)
        lib.optim.swa_utils.update_bn([(lib.tensor(x), 0) for x, _ in batches], avg)
        results.append(({k: v.detach().numpy().copy() for k, v in avg.state_dict().items()},
                        lrs))
    (ours, our_lrs), (theirs, their_lrs) = results
    assert list(ours) == list(theirs)
    for k in theirs:
        np.testing.assert_allclose(ours[k], theirs[k], rtol=1e-9, atol=1e-12, err_msg=k)
    np.testing.assert_allclose(our_lrs, their_lrs, rtol=1e-12)
    assert int(ours["n_averaged"]) == 12


@pytest.mark.parametrize("strategy,epochs", [("linear", 3), ("cos", 0)])
def test_swalr_options_and_state_dict(strategy, epochs):
    traces = []
    for lib in (chainrule, torch):
        p = lib.zeros(2, requires_grad=True)
        opt = lib.optim.SGD([p], lr=0.5)
        sched = lib.optim.swa_utils.SWALR(opt, swa_lr=[0.05], anneal_epochs=epochs,
                                          anneal_strategy=strategy)
        trace = []
        for i in range(8):
            opt.step()
            sched.step()
            trace.append(sched.get_last_lr()[0])
            if i == 3:
                state = sched.state_dict()
                sched = lib.optim.swa_utils.SWALR(opt, swa_lr=0.05, anneal_epochs=epochs,
                                                  anneal_strategy=strategy)
                sched.load_state_dict(state)
        traces.append(trace)
    np.testing.assert_allclose(traces[0], traces[1], rtol=1e-12)
