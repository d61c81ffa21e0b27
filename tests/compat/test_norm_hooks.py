"""nn.utils.weight_norm / spectral_norm (and their remove_*) vs torch: parameters, state dict
keys, forward values and gradients after the same seed. Found missing while checking the APIs
TCN- and SNGAN-style tutorials import."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import chainrule


def _run(lib, build, make_input):
    lib.manual_seed(0)
    module = build(lib)
    x = make_input(lib)
    out = module(x)
    out.pow(2).sum().backward()
    grads = {n: p.grad.numpy().copy() for n, p in module.named_parameters()}
    state = {k: v.detach().numpy().copy() for k, v in module.state_dict().items()}
    return out.detach().numpy(), grads, state


CASES = {
    "weight_norm conv1d": (lambda t: t.nn.utils.weight_norm(t.nn.Conv1d(3, 4, 3)),
                           lambda t: t.randn(2, 3, 6)),
    "weight_norm linear dim None": (lambda t: t.nn.utils.weight_norm(t.nn.Linear(3, 2), dim=None),
                                    lambda t: t.randn(4, 3)),
    "weight_norm dim 1": (lambda t: t.nn.utils.weight_norm(t.nn.Linear(3, 2), dim=1),
                          lambda t: t.randn(4, 3)),
    "spectral_norm linear": (lambda t: t.nn.utils.spectral_norm(t.nn.Linear(5, 4)),
                             lambda t: t.randn(3, 5)),
    "spectral_norm conv 3 iterations": (
        lambda t: t.nn.utils.spectral_norm(t.nn.Conv2d(2, 3, 3), n_power_iterations=3),
        lambda t: t.randn(1, 2, 5, 5)),
    "spectral_norm conv transpose": (
        lambda t: t.nn.utils.spectral_norm(t.nn.ConvTranspose2d(2, 3, 2)),
        lambda t: t.randn(1, 2, 3, 3)),
}


@pytest.mark.filterwarnings("ignore:`torch.nn.utils.weight_norm` is deprecated")
@pytest.mark.parametrize("name", list(CASES))
def test_norm_hooks_match_torch(name):
    build, make_input = CASES[name]
    ours = _run(chainrule, build, make_input)
    theirs = _run(torch, build, make_input)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-5, atol=1e-6)
    assert sorted(ours[1]) == sorted(theirs[1]) and sorted(ours[2]) == sorted(theirs[2])
    for k in theirs[1]:
        np.testing.assert_allclose(ours[1][k], theirs[1][k], rtol=1e-4, atol=1e-5)
    for k in theirs[2]:  # the power-iteration buffers were updated the same way
        np.testing.assert_allclose(ours[2][k], theirs[2][k], rtol=1e-5, atol=1e-6)


def test_weight_norm_warns_and_removes_as_torch():
    for lib in (chainrule, torch):
        with pytest.warns(FutureWarning, match="weight_norm` is deprecated"):
            layer = lib.nn.utils.weight_norm(lib.nn.Linear(3, 2))
        with pytest.raises(RuntimeError, match="Cannot register two weight_norm hooks"), \
                pytest.warns(FutureWarning):
            lib.nn.utils.weight_norm(layer)
        lib.nn.utils.remove_weight_norm(layer)
        assert sorted(layer.state_dict()) == ["bias", "weight"]
        assert isinstance(layer.weight, lib.nn.Parameter)
        snl = lib.nn.utils.remove_spectral_norm(lib.nn.utils.spectral_norm(lib.nn.Linear(3, 2)))
        assert sorted(snl.state_dict()) == ["bias", "weight"]
