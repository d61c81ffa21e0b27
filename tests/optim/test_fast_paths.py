"""The step fast paths vs torch 2.13: plain SGD, SGD momentum with τ = 0, Nesterov, Adam (both
sides of lerp's two-sided formula), on float32 and float64 parameters mixed in one group, small
(a fresh temporary) and large (a workspace buffer) ones, with a parameter that skips some steps.

The per-dtype 0-d scalars and the workspace slots are where a fast path can go wrong: a scalar
of the wrong dtype (float32 lr applied to a float64 parameter), a buffer shared by two live
temporaries, or a pass skipped. Every parameter and state tensor is compared, in its dtype.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import chainrule

# (shape, dtype): small (<= 256 elements) and large, float32 and float64 interleaved so the
# cached scalars are rebuilt mid-group
PARAMS = [((3, 2), np.float32), ((300,), np.float64), ((1,), np.float32), ((40, 30), np.float32),
          ((4,), np.float64), ((17, 19), np.float64)]

CASES = [
    ("SGD", {"lr": 0.01}),
    ("SGD", {"lr": 0.01, "momentum": 0.9}),
    ("SGD", {"lr": 0.01, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"lr": 0.01, "momentum": 0.9, "dampening": 0.25, "maximize": True}),
    ("SGD", {"lr": 0.01, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.01}),
    ("Adam", {"lr": 0.01, "betas": (0.3, 0.5), "eps": 1e-3}),  # lerp weight 0.7: end-side form
    ("Adam", {"lr": 0.01, "amsgrad": True, "maximize": True}),
    ("AdamW", {"lr": 0.01, "weight_decay": 0.1}),
]


def _run(lib, name, kwargs, steps=8):
    rng = np.random.default_rng(0)
    params = [lib.tensor(rng.standard_normal(s).astype(dt), requires_grad=True)
              for s, dt in PARAMS]
    lr = kwargs["lr"]
    opt = getattr(lib.optim, name)([{"params": params[:4]}, {"params": params[4:],
                                                             "lr": lr * 3}], **kwargs)
    for k in range(steps):
        for i, p in enumerate(params):
            g = rng.standard_normal(p.shape).astype(PARAMS[i][1])
            p.grad = None if (i == 2 and k % 3 == 1) else lib.tensor(g)
        opt.step()
    return params, opt


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_fast_paths_match_torch(name, kwargs):
    ours, opt = _run(chainrule, name, kwargs)
    theirs, topt = _run(torch, name, kwargs)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        dtype = PARAMS[i][1]
        tol = {"rtol": 1e-5, "atol": 1e-6} if dtype == np.float32 else {"rtol": 1e-12,
                                                                        "atol": 1e-14}
        a, b = a.detach().numpy(), b.detach().numpy()
        assert a.dtype == b.dtype == dtype
        np.testing.assert_allclose(a, b, **tol)
        state, tstate = opt.state[ours[i]], topt.state[theirs[i]]
        assert list(state) == list(tstate)
        for key, value in tstate.items():
            np.testing.assert_allclose(state[key].numpy(), value.numpy(), **tol)
            assert state[key].numpy().dtype == value.numpy().dtype, key


@pytest.mark.parametrize("name,kwargs", [("SGD", {"lr": 0.1}), ("SGD", {"lr": 0.1,
                                                                         "momentum": 0.5})])
def test_sgd_step_bumps_versions_like_torch(name, kwargs):
    """An SGD step is an in-place update: a backward through a saved parameter then fails."""
    counts = []
    for lib in (chainrule, torch):
        p = lib.tensor([1.0, 2.0], requires_grad=True)
        y = (p * p).sum()  # saves p
        y.backward(retain_graph=True)
        opt = getattr(lib.optim, name)([p], **kwargs)
        before = p._version
        opt.step()
        p.grad = lib.ones(2)
        opt.step()
        counts.append(p._version - before)
        buf = opt.state[p].get("momentum_buffer")
        if buf is not None:  # updated in place by the second step (torch bumps it per op)
            assert buf._version > 0
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.backward()
    assert counts[0] == counts[1] == 2


def test_grad_dtype_mismatch_raises():
    """A gradient whose dtype differs from its parameter's (set around the grad setter's
    check) is an error, never a silent cast into the parameter."""
    for opt_cls, kwargs in ((chainrule.optim.SGD, {"lr": 0.1}),
                            (chainrule.optim.SGD, {"lr": 0.1, "momentum": 0.9}),
                            (chainrule.optim.Adam, {})):
        p = chainrule.zeros(3, requires_grad=True)
        p._grad = chainrule.ones(3, dtype=chainrule.float64)
        with pytest.raises(RuntimeError, match="different dtypes"):
            opt_cls([p], **kwargs).step()
        assert p.tolist() == [0.0, 0.0, 0.0]
