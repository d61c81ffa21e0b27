"""Helpers shared by the engine tests: run one function under chainrule and torch, compare."""

from __future__ import annotations

import numpy as np
import torch

import chainrule

LIBS = [chainrule, torch]


def close(ours, theirs, tol: float = 1e-12) -> None:
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert str(ours.dtype) == str(theirs.dtype)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=tol,
                               atol=tol)


def leaf(lib, values, dtype="float64"):
    return lib.tensor(values, dtype=getattr(lib, dtype), requires_grad=True)


def both(fn):
    """Runs ``fn(lib)`` for chainrule and torch; returns (ours, theirs)."""
    return fn(chainrule), fn(torch)
