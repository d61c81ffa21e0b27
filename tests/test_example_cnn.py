"""examples/cnn_digits.py: a short run (4 of its 15 epochs) must already learn the digits."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("sklearn")

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "cnn_digits.py"


def _load():
    spec = importlib.util.spec_from_file_location("cnn_digits_example", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cnn_digits_short_run_learns(capsys) -> None:
    example = _load()
    accuracy = example.main(epochs=4, seed=0)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 4
    assert all("train loss" in line and "test accuracy" in line for line in lines)
    # the full 15-epoch run reaches >= 97%; after 4 epochs it is past 90%
    assert accuracy >= 0.90
    losses = [float(line.split("train loss")[1].split()[0]) for line in lines]
    assert losses[-1] < losses[0] / 3


def test_cnn_digits_model_shapes() -> None:
    import chainrule as cr

    example = _load()
    model = example.DigitsCNN()
    assert tuple(model(cr.zeros(5, 1, 8, 8)).shape) == (5, 10)
    assert [name for name, _ in model.named_parameters()] == [
        "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias",
        "fc2.weight", "fc2.bias"]
