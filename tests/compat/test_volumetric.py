"""conv3d / max_pool3d / avg_pool3d and their modules vs torch (forward and every gradient,
float64, random upstream gradients). Found missing by the printing_gallery compat program."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import chainrule


def _pair(shape, rng, ties=False):
    data = rng.normal(size=shape)
    if ties:  # ReLU outputs: many equal zeros inside pooling windows
        data = np.maximum(data, 0.0).round(1)
    return (chainrule.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True))


def _check(ours, theirs, inputs, rng):
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert str(ours.dtype) == str(theirs.dtype)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-10,
                               atol=1e-12)
    grad = rng.normal(size=tuple(theirs.shape))
    ours.backward(chainrule.tensor(grad))
    theirs.backward(torch.tensor(grad))
    for o, t in inputs:
        np.testing.assert_allclose(o.grad.numpy(), t.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("kwargs,wshape,xshape", [
    ({}, (4, 3, 3, 3, 3), (2, 3, 5, 6, 7)),
    ({"stride": 2, "padding": 1}, (4, 3, 3, 3, 3), (2, 3, 5, 6, 7)),
    ({"stride": (1, 2, 1), "padding": (0, 1, 2), "dilation": (2, 1, 1)}, (2, 3, 2, 3, 2),
     (1, 3, 6, 5, 4)),
    ({"groups": 2}, (4, 2, 2, 1, 3), (2, 4, 3, 4, 5)),
    ({"padding": "same"}, (2, 3, 2, 3, 4), (1, 3, 4, 4, 5)),
    ({"padding": "valid"}, (2, 3, 1, 1, 1), (3, 4, 2, 3)),  # unbatched
])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
def test_conv3d_matches_torch(kwargs, wshape, xshape, bias):
    rng = np.random.default_rng(0)
    x = _pair(xshape, rng)
    w = _pair(wshape, rng)
    b = _pair((wshape[0],), rng) if bias else (None, None)
    ours = chainrule.nn.functional.conv3d(x[0], w[0], b[0], **kwargs)
    theirs = torch.nn.functional.conv3d(x[1], w[1], b[1], **kwargs)
    _check(ours, theirs, [x, w] + ([b] if bias else []), rng)


@pytest.mark.parametrize("kwargs,xshape", [
    ({"kernel_size": 2}, (2, 3, 4, 4, 6)),
    ({"kernel_size": 3, "stride": 2, "padding": 1}, (1, 2, 5, 6, 7)),
    ({"kernel_size": (1, 2, 2), "stride": (1, 2, 2)}, (2, 2, 3, 4, 4)),
    ({"kernel_size": (2, 3, 2), "stride": 1, "dilation": (1, 2, 1)}, (1, 2, 4, 6, 5)),
    ({"kernel_size": 2}, (3, 4, 4, 4)),  # unbatched
])
def test_max_pool3d_matches_torch_with_ties(kwargs, xshape):
    rng = np.random.default_rng(1)
    x = _pair(xshape, rng, ties=True)
    _check(chainrule.nn.functional.max_pool3d(x[0], **kwargs),
           torch.nn.functional.max_pool3d(x[1], **kwargs), [x], rng)


@pytest.mark.parametrize("kwargs,xshape", [
    ({"kernel_size": 2}, (2, 3, 4, 4, 6)),
    ({"kernel_size": 3, "stride": 2, "padding": 1}, (1, 2, 5, 6, 7)),
    ({"kernel_size": (1, 2, 2), "stride": (1, 1, 2), "padding": (0, 1, 0)}, (2, 2, 3, 4, 4)),
])
def test_avg_pool3d_matches_torch(kwargs, xshape):
    rng = np.random.default_rng(2)
    x = _pair(xshape, rng)
    _check(chainrule.nn.functional.avg_pool3d(x[0], **kwargs),
           torch.nn.functional.avg_pool3d(x[1], **kwargs), [x], rng)


def test_3d_modules_state_and_repr_match_torch():
    ours = chainrule.nn.Conv3d(2, 4, (1, 3, 3), stride=(1, 2, 2), padding=(0, 1, 1), bias=False)
    theirs = torch.nn.Conv3d(2, 4, (1, 3, 3), stride=(1, 2, 2), padding=(0, 1, 1), bias=False)
    assert repr(ours) == repr(theirs)
    assert {k: tuple(v.shape) for k, v in ours.state_dict().items()} == \
        {k: tuple(v.shape) for k, v in theirs.state_dict().items()}
    bound = 1 / np.sqrt(2 * 9)  # kaiming uniform(a=sqrt(5)) on fan_in = C_in * kD * kH * kW
    assert float(ours.weight.abs().max()) <= bound
    for a, b in [(chainrule.nn.MaxPool3d(2), torch.nn.MaxPool3d(2)),
                 (chainrule.nn.AvgPool3d((1, 2, 2), stride=1, padding=1),
                  torch.nn.AvgPool3d((1, 2, 2), stride=1, padding=1)),
                 (chainrule.nn.Conv3d(1, 2, 3), torch.nn.Conv3d(1, 2, 3))]:
        assert repr(a) == repr(b)
    x = np.random.default_rng(3).normal(size=(1, 2, 3, 6, 6)).astype(np.float32)
    theirs.weight.data = torch.from_numpy(ours.weight.detach().numpy().copy())
    np.testing.assert_allclose(ours(chainrule.tensor(x)).detach().numpy(),
                               theirs(torch.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-6)


def test_unsupported_3d_pool_options_raise():
    x = chainrule.zeros(1, 1, 4, 4, 4)
    with pytest.raises(NotImplementedError):
        chainrule.nn.functional.max_pool3d(x, 2, ceil_mode=True)
    with pytest.raises(NotImplementedError):
        chainrule.nn.functional.avg_pool3d(x, 2, divisor_override=3)
