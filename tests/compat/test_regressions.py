"""Regression tests for bugs the compat programs found, each checked against torch."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import chainrule


@pytest.mark.parametrize("name", ["zeros", "ones", "empty", "rand", "randn"])
def test_factories_take_size_keyword(name):
    # d2l: torch.rand(size=(1, 1, 28, 28), dtype=torch.float32)
    ours = getattr(chainrule, name)(size=(2, 3), dtype=chainrule.float64)
    theirs = getattr(torch, name)(size=(2, 3), dtype=torch.float64)
    assert tuple(ours.shape) == tuple(theirs.shape) and str(ours.dtype) == str(theirs.dtype)
    if name in ("zeros", "ones"):
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert tuple(getattr(chainrule, name)(size=[4]).shape) == (4,)
    with pytest.raises(TypeError):
        getattr(torch, name)(2, size=(2, 3))
    with pytest.raises(TypeError):
        getattr(chainrule, name)(2, size=(2, 3))
