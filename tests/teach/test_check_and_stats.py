"""check_model_gradients() finds a wrong backward inside a model; grad_stats() flags vanishing,
exploding and dead gradients; plot_grad_stats() draws them."""

from __future__ import annotations

import builtins
import doctest
import importlib
import io

import numpy as np
import pytest

import chainrule
from chainrule import teach

grad_stats_module = importlib.import_module("chainrule.teach.grad_stats")

nn = pytest.importorskip("chainrule.nn")


class _BadSquare(chainrule.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * x  # wrong: should be 2 * g * x


class _WithBadOp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 4)
        self.fc2 = nn.Linear(4, 1)

    def forward(self, x):
        return self.fc2(_BadSquare.apply(self.fc1(x)))


def test_correct_model_passes_and_model_is_restored():
    chainrule.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2))
    x, y = chainrule.randn(4, 3), chainrule.randn(4, 2)
    before = [p.detach().numpy().copy() for p in model.parameters()]
    buf = io.StringIO()
    result = teach.check_model_gradients(model, x, nn.MSELoss(), buf, target=y)
    assert result.ok and bool(result)
    assert [r.name for r in result.rows] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert all(r.checked == r.total for r in result.rows)
    assert all(r.max_abs < 1e-8 for r in result.rows)  # float64 central differences
    text = buf.getvalue()
    assert "all gradients OK" in text and text.count(" OK") >= 4
    for p, old in zip(model.parameters(), before):
        assert p.dtype == chainrule.float32 and p.grad is None
        np.testing.assert_array_equal(p.detach().numpy(), old)


def test_wrong_backward_is_caught_per_parameter():
    chainrule.manual_seed(0)
    model = _WithBadOp()
    x = chainrule.randn(5, 3)
    result = teach.check_model_gradients(model, x, lambda out: (out**2).mean(), io.StringIO())
    status = {r.name: r.ok for r in result.rows}
    # the bad op sits between fc1 and fc2: fc1's gradients are wrong, fc2's are right
    assert status == {"fc1.weight": False, "fc1.bias": False, "fc2.weight": True, "fc2.bias": True}
    bad = result.rows[0]
    assert bad.analytic == pytest.approx(bad.numeric / 2, rel=1e-6)  # the missing factor 2
    assert "FAIL fc1.weight" in result.to_text() and "WRONG" in result.to_text()


def test_large_parameter_is_sampled():
    model = nn.Linear(40, 30)
    x = chainrule.randn(2, 40)
    result = teach.check_model_gradients(
        model, (x,), lambda out: out.sum(), io.StringIO(), max_per_param=10
    )
    assert (result.rows[0].checked, result.rows[0].total) == (10, 1200)
    assert result.ok


def test_grad_stats_flags():
    chainrule.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 1), nn.Linear(1, 1))
    with chainrule.no_grad():
        model[0].bias.fill_(-100.0)  # every ReLU unit off: dead
        model[3].weight.fill_(1e5)  # huge downstream weight: exploding
    x = chainrule.randn(8, 4)
    model(x).sum().backward()
    model[3].bias.grad = None
    stats = teach.grad_stats(model)
    flags = stats.flags
    assert flags["0.weight"] == ["vanishing", "dead"] and flags["0.bias"] == ["vanishing", "dead"]
    assert flags["2.weight"] == ["vanishing", "dead"]  # its input H is all zeros
    assert flags["2.bias"] == ["exploding"]  # 8 rows x 1e5
    assert flags["3.bias"] == ["no grad"]
    assert not stats.ok
    row = {r.name: r for r in stats.rows}["3.weight"]
    g = model[3].weight.grad.numpy().astype(np.float64)
    assert row.norm == pytest.approx(np.linalg.norm(g)) and row.max_abs == pytest.approx(
        np.abs(g).max()
    )
    assert "dead" in stats.to_text() and stats.as_dict()["0.weight"]["zero_frac"] == 1.0
    assert doctest.testmod(grad_stats_module).failed == 0


def test_plot_grad_stats(tmp_path, monkeypatch):
    chainrule.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    history = []
    for _ in range(3):
        model.zero_grad()
        model(chainrule.randn(4, 2)).sum().backward()
        history.append(teach.grad_stats(model))
    out = teach.plot_grad_stats(history, tmp_path / "g.png")
    assert (tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.endswith("g.png")
    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError("No module named 'matplotlib'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    with pytest.raises(ImportError, match=r"chainrule\[plot\]"):
        teach.plot_grad_stats(history, tmp_path / "h.png")
