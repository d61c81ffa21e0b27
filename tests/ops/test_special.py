"""The NumPy-only erf/erfc/erfinv (used when SciPy is absent) against torch.special."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import chainrule
from chainrule.ops import _special

X = np.concatenate([np.linspace(-6.0, 6.0, 4001), [0.0, 1e-300, -1e-8, 2.5, 2.4999999, 27.0,
                                                  -40.0, np.inf, -np.inf, np.nan]])
Y = np.concatenate([np.linspace(-0.9999, 0.9999, 4001), 1 - np.logspace(-15, -2, 40),
                    np.logspace(-300, -1, 40), [0.0, 1.0, -1.0, 1.5, -2.0, np.nan]])


@pytest.mark.parametrize(("ours", "theirs", "data", "rtol"), [
    (_special.erf_numpy, torch.special.erf, X, 2e-15),
    (_special.erfc_numpy, torch.special.erfc, X, 5e-14),
    (_special.erfinv_numpy, torch.special.erfinv, Y, 1e-12),
], ids=["erf", "erfc", "erfinv"])
def test_numpy_versions_match_torch(ours, theirs, data, rtol) -> None:
    expected = theirs(torch.from_numpy(data)).numpy()
    got = ours(data)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=1e-300, equal_nan=True)
    got32 = ours(data.astype(np.float32))
    assert got32.dtype == np.float32


def test_ops_work_without_scipy(monkeypatch) -> None:
    monkeypatch.setattr(_special, "_scipy", lambda name: None)
    x = chainrule.tensor([-1.5, 0.2, 3.0], dtype=chainrule.float64, requires_grad=True)
    y = chainrule.erf(x) + chainrule.erfc(x) * 2 + chainrule.erfinv(x.tanh())
    y.sum().backward()
    tx = torch.tensor([-1.5, 0.2, 3.0], dtype=torch.float64, requires_grad=True)
    ty = torch.erf(tx) + torch.erfc(tx) * 2 + torch.erfinv(tx.tanh())
    ty.sum().backward()
    np.testing.assert_allclose(y.detach().numpy(), ty.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-11)
