"""affine_grid / grid_sample vs torch (values and every gradient, float64, random upstream
gradients). Found missing by the spatial_transformer compat program."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import chainrule


def _pair(data):
    return chainrule.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)


def _check(ours, theirs, leaves, rng, rtol=1e-10, atol=1e-12):
    assert tuple(ours.shape) == tuple(theirs.shape) and str(ours.dtype) == str(theirs.dtype)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=rtol,
                               atol=atol)
    grad = rng.normal(size=tuple(theirs.shape))
    ours.backward(chainrule.tensor(grad))
    theirs.backward(torch.tensor(grad))
    for o, t in leaves:
        np.testing.assert_allclose(o.grad.numpy(), t.grad.numpy(), rtol=rtol, atol=atol)


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("size", [(2, 3, 4, 5), (1, 1, 1, 3), (3, 2, 2, 2)])
@pytest.mark.filterwarnings("ignore:Since version 1.3.0, affine_grid")
def test_affine_grid_matches_torch(align_corners, size):
    rng = np.random.default_rng(0)
    theta = _pair(rng.normal(size=(size[0], 2, 3)))
    _check(chainrule.nn.functional.affine_grid(theta[0], size, align_corners=align_corners),
           torch.nn.functional.affine_grid(theta[1], size, align_corners=align_corners),
           [theta], rng)


@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
@pytest.mark.parametrize("padding_mode", ["zeros", "border", "reflection"])
@pytest.mark.parametrize("align_corners", [False, True])
def test_grid_sample_matches_torch(mode, padding_mode, align_corners):
    rng = np.random.default_rng(1)
    image = _pair(rng.normal(size=(2, 3, 5, 6)))
    # positions inside, on the edges and well outside (clipping / reflection / zeros)
    coords = rng.uniform(-1.6, 1.6, size=(2, 4, 7, 2))
    grid = _pair(coords)
    kwargs = {"mode": mode, "padding_mode": padding_mode, "align_corners": align_corners}
    ours = chainrule.nn.functional.grid_sample(image[0], grid[0], **kwargs)
    theirs = torch.nn.functional.grid_sample(image[1], grid[1], **kwargs)
    _check(ours, theirs, [image] + ([grid] if mode == "bilinear" else []), rng)


def test_spatial_transformer_pipeline_matches_torch():
    rng = np.random.default_rng(2)
    theta = _pair(np.array([[[0.9, 0.2, 0.1], [-0.1, 1.1, -0.2]]]))
    image = _pair(rng.normal(size=(1, 2, 6, 6)))
    ours = chainrule.nn.functional.grid_sample(
        image[0], chainrule.nn.functional.affine_grid(theta[0], (1, 2, 4, 4)))
    theirs = torch.nn.functional.grid_sample(
        image[1], torch.nn.functional.affine_grid(theta[1], (1, 2, 4, 4), align_corners=False),
        align_corners=False)
    _check(ours, theirs, [theta, image], rng)


@pytest.mark.parametrize("align_corners", [False, True])
def test_identity_grid_lands_on_the_same_pixels_as_torch(align_corners):
    # with theta = identity every position is a pixel centre: which neighbours the bilinear
    # weights use (and so the gradient for theta) depends on rounding torch's way
    rng = np.random.default_rng(3)
    image = rng.normal(size=(2, 1, 7, 9)).astype(np.float32)
    grads = []
    for lib in (chainrule, torch):
        theta = lib.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]] * 2, requires_grad=True)
        grid = lib.nn.functional.affine_grid(theta, (2, 1, 7, 9), align_corners=align_corners)
        out = lib.nn.functional.grid_sample(lib.tensor(image), grid, align_corners=align_corners)
        (out * lib.tensor(image)).sum().backward()
        grads.append(theta.grad.numpy())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-5, atol=1e-5)
