"""Structural comparison of chainrule and torch outputs (types, dtypes, shapes, values)."""

from __future__ import annotations

import numpy as np
import torch

import chainrule


def assert_same_structure(ours, theirs, path="batch"):
    if isinstance(theirs, torch.Tensor):
        assert isinstance(ours, chainrule.Tensor), f"{path}: {type(ours)} is not a Tensor"
        assert str(ours.dtype) == str(theirs.dtype), f"{path}: {ours.dtype} vs {theirs.dtype}"
        assert tuple(ours.shape) == tuple(theirs.shape), f"{path}: shape"
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy(), err_msg=path)
        return
    assert type(ours) is type(theirs), f"{path}: {type(ours)} vs {type(theirs)}"
    if isinstance(theirs, dict):
        assert list(ours) == list(theirs), path
        for k in theirs:
            assert_same_structure(ours[k], theirs[k], f"{path}[{k!r}]")
    elif isinstance(theirs, (list, tuple)):
        assert len(ours) == len(theirs), path
        for i, (a, b) in enumerate(zip(ours, theirs)):
            assert_same_structure(a, b, f"{path}[{i}]")
    elif isinstance(theirs, np.ndarray):
        assert ours.dtype == theirs.dtype and np.array_equal(ours, theirs), path
    else:
        assert ours == theirs, path
