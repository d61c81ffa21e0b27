"""Shared test fixtures: torch as the oracle, deterministic seeds, float64 helpers."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule


@pytest.fixture(autouse=True)
def _seed():
    chainrule.manual_seed(0)
    np.random.seed(0)
    yield
    chainrule.set_default_dtype(chainrule.float32)
