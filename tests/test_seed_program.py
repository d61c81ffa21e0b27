"""The seed tutorial's program (examples/seed_simple_nn.py) runs on chainrule and learns."""

from __future__ import annotations

import contextlib
import io
import re
import runpy
from pathlib import Path

import numpy as np
import pytest
import torch

import chainrule

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "seed_simple_nn.py"


def _run_example() -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        runpy.run_path(str(EXAMPLE), run_name="__main__")
    return out.getvalue()


def test_example_prints_falling_loss_and_predictions():
    chainrule.manual_seed(3)
    text = _run_example()
    losses = [float(v) for v in re.findall(r"^Epoch \d+, Loss: (\S+)$", text, re.MULTILINE)]
    assert len(losses) == 100
    assert all(np.isfinite(losses))
    assert losses[-1] < 0.5 * losses[0]
    # mostly monotone: SGD on this tiny problem decreases the loss nearly every epoch
    assert sum(b < a for a, b in zip(losses, losses[1:])) >= 90
    assert "Predicted: tensor([[" in text and "grad_fn=<AddmmBackward0>" in text


def test_integer_data_raises_clear_error():
    """The tutorial as printed (integer data) fails at its data line, in torch as here."""
    source = EXAMPLE.read_text()
    float_data = ("x = torch.tensor([[1.0, 2.0], [2.0, 3.0], [3.0, 4.0]], requires_grad=True)\n"
                  "y = torch.tensor([[1.0], [2.0], [3.0]], requires_grad=True)")
    int_data = ("x = torch.tensor([[1, 2], [2, 3], [3, 4]], requires_grad=True)\n"
                "y = torch.tensor([[1], [2], [3]], requires_grad=True)")
    assert float_data in source
    seed_program = source.replace(float_data, int_data)
    for module_name in ("chainrule", "torch"):
        program = seed_program
        if module_name == "torch":
            for line in ("import chainrule as torch", "import chainrule.nn as nn",
                         "import chainrule.optim as optim"):
                assert line in program
                program = program.replace(line, line.replace("chainrule", "torch").replace(
                    "import torch as torch", "import torch"))
        assert (f"import {module_name}.nn as nn") in program
        with pytest.raises(RuntimeError, match="Only Tensors of floating point"):
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(program, str(EXAMPLE), "exec"), {"__name__": "__main__"})


def _build(lib):
    class SimpleNN(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = lib.nn.Linear(2, 3)
            self.fc2 = lib.nn.Linear(3, 1)
            self.relu = lib.nn.ReLU()

        def forward(self, x):
            return self.fc2(self.relu(self.fc1(x)))

    return SimpleNN()


def test_training_matches_torch_step_for_step():
    torch.manual_seed(0)
    ref = _build(torch)
    model = _build(chainrule)
    assert list(model.state_dict()) == list(ref.state_dict())
    model.load_state_dict({k: v.numpy() for k, v in ref.state_dict().items()})
    data = [[1.0, 2.0], [2.0, 3.0], [3.0, 4.0]]
    targets = [[1.0], [2.0], [3.0]]
    runs = []
    for lib, net in ((torch, ref), (chainrule, model)):
        x = lib.tensor(data, requires_grad=True)
        y = lib.tensor(targets, requires_grad=True)
        opt = lib.optim.SGD(net.parameters(), lr=0.01)
        loss_fn = lib.nn.MSELoss()
        losses = []
        for _ in range(100):
            opt.zero_grad()
            loss = loss_fn(net(x), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        runs.append((losses, net(x).detach().numpy(), x.grad.numpy(), y.grad.numpy()))
    (l_ref, p_ref, gx_ref, gy_ref), (l_cr, p_cr, gx_cr, gy_cr) = runs
    np.testing.assert_allclose(l_cr, l_ref, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(p_cr, p_ref, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(gx_cr, gx_ref, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(gy_cr, gy_ref, rtol=1e-4, atol=1e-5)
