"""The application examples: a short run must already learn the digits, and each model has
torch's parameter names and output shape.

examples/cnn_digits.py reaches >= 97% in its full 15 epochs; examples/lstm_sequence.py about 97%
in 20. Here 4 epochs each (chance is 10%)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("sklearn")

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

CASES = {
    "cnn_digits": dict(min_accuracy=0.90, loss_drop=3, model="DigitsCNN", input=(5, 1, 8, 8),
                       params=["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
                               "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]),
    "lstm_sequence": dict(min_accuracy=0.85, loss_drop=4, model="RowLSTM", input=(5, 8, 8),
                          params=["lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0",
                                  "lstm.bias_hh_l0", "head.weight", "head.bias"]),
}


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"{name}_example", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", sorted(CASES))
def test_short_run_learns(name: str, capsys) -> None:
    case = CASES[name]
    accuracy = _load(name).main(epochs=4, seed=0)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 4
    assert all("train loss" in line and "test accuracy" in line for line in lines)
    assert accuracy >= case["min_accuracy"]
    losses = [float(line.split("train loss")[1].split()[0]) for line in lines]
    assert losses[-1] < losses[0] / case["loss_drop"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_model_shapes_and_parameter_names(name: str) -> None:
    import chainrule as cr

    case = CASES[name]
    model = getattr(_load(name), case["model"])()
    assert tuple(model(cr.zeros(*case["input"])).shape) == (case["input"][0], 10)
    assert [n for n, _ in model.named_parameters()] == case["params"]
