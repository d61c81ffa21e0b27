"""``chainrule train / evaluate / predict`` end to end, and resume == uninterrupted, bit for bit."""

from __future__ import annotations

import csv
import subprocess
import sys

import numpy as np
import pytest
from cli_helpers import cli

import chainrule

INTERRUPT = """
import sys
import chainrule.cli.trainer as trainer
from chainrule.cli import main

original = trainer.Run.train_epoch
stop_in_epoch = int(sys.argv[1])

def train_epoch(self, show_bar):
    # Ctrl-C arrives while epoch `stop_in_epoch` runs, after earlier epochs' checkpoints.
    if self.epoch + 1 == stop_in_epoch:
        raise KeyboardInterrupt
    return original(self, show_bar)

trainer.Run.train_epoch = train_epoch
sys.exit(main(sys.argv[2:]))
"""


def _arrays(tree, prefix=""):
    """Flattens nested dicts/lists of tensors and numbers into {path: ndarray}."""
    out = {}
    if isinstance(tree, dict):
        for k, v in tree.items():
            out.update(_arrays(v, f"{prefix}/{k}"))
    elif isinstance(tree, list | tuple):
        for i, v in enumerate(tree):
            out.update(_arrays(v, f"{prefix}/{i}"))
    elif isinstance(tree, chainrule.Tensor):
        out[prefix] = tree.numpy()
    elif isinstance(tree, int | float):
        out[prefix] = np.asarray(tree)
    return out


@pytest.mark.parametrize(
    "settings",
    [
        ["--optimizer", "adam", "--scheduler", "cosine"],
        ["--optimizer", "sgd", "--lr", "0.1", "--momentum", "0.9", "--scheduler", "plateau"],
    ],
    ids=["adam-cosine", "sgd-momentum-plateau"],
)
def test_resumed_run_equals_uninterrupted_run(tmp_path, settings):
    common = [
        "train",
        "--data",
        "spirals",
        "--hidden",
        "16,16",
        "--epochs",
        "4",
        "--batch-size",
        "64",
        "--seed",
        "3",
        "--quiet",
        *settings,
    ]
    full = cli(*common, "--out", str(tmp_path / "full"))
    assert full.returncode == 0, full.stderr

    interrupted = subprocess.run(
        [sys.executable, "-c", INTERRUPT, "3", *common, "--out", str(tmp_path / "cut")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert interrupted.returncode == 130, interrupted.stderr
    assert "interrupted in epoch 3" in interrupted.stdout
    assert "resume with: chainrule train --resume" in interrupted.stdout
    partial = chainrule.load(str(tmp_path / "cut" / "checkpoint.ckpt"))
    assert partial["epoch"] == 2

    # without --out, the run goes on in its own folder
    resumed = cli("train", "--resume", str(tmp_path / "cut" / "checkpoint.ckpt"), "--quiet")
    assert resumed.returncode == 0, resumed.stderr
    assert f"to {tmp_path / 'cut'}" in resumed.stdout
    assert len((tmp_path / "cut" / "metrics.csv").read_text().splitlines()) == 1 + 4

    a = chainrule.load(str(tmp_path / "full" / "checkpoint.ckpt"))
    b = chainrule.load(str(tmp_path / "cut" / "checkpoint.ckpt"))
    assert a["epoch"] == b["epoch"] == 4
    for part in ("model", "optimizer", "scheduler"):
        left, right = _arrays(a[part]), _arrays(b[part])
        assert left.keys() == right.keys()
        for key in left:
            assert left[key].dtype == right[key].dtype, key
            assert np.array_equal(left[key], right[key]), f"{part}{key} differs"
    # not a vacuous comparison: training moved the weights away from the epoch-2 ones
    assert not np.array_equal(
        a["model"]["net.net.0.weight"].numpy(), partial["model"]["net.net.0.weight"].numpy()
    )
    for row_a, row_b in zip(a["history"], b["history"], strict=True):
        assert row_a["train_loss"] == row_b["train_loss"]
        assert row_a["val_accuracy"] == row_b["val_accuracy"]


def test_train_evaluate_predict_on_csv(tmp_path):
    from sklearn.datasets import load_iris

    iris = load_iris()
    with open(tmp_path / "iris.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["sl", "sw", "pl", "pw", "species"])
        for row, label in zip(iris.data, iris.target, strict=True):
            writer.writerow([*row, iris.target_names[label]])
    result = cli(
        "train",
        "--data",
        "csv:iris.csv",
        "--label-column",
        "species",
        "--hidden",
        "16",
        "--epochs",
        "30",
        "--lr",
        "0.05",
        "--out",
        "run",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("data: csv:iris.csv: 120 training and 30 validation samples")
    assert sum(line.startswith("epoch ") for line in lines) == 30
    assert "wrote checkpoint.ckpt, metrics.csv, loss.png to run" in result.stdout
    metrics = (tmp_path / "run" / "metrics.csv").read_text().splitlines()
    assert metrics[0] == "epoch,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds"
    assert len(metrics) == 31
    final_accuracy = float(metrics[-1].split(",")[4])
    assert final_accuracy >= 0.85  # chance is 1/3

    result = cli(
        "evaluate",
        "--checkpoint",
        "run/checkpoint.ckpt",
        "--split",
        "val",
        "--confusion",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "30 samples (val)" in result.stdout
    assert f"accuracy {100 * final_accuracy:.2f}%" in result.stdout
    assert "confusion matrix (rows: true class, columns: predicted class)" in result.stdout
    assert "setosa" in result.stdout

    with open(tmp_path / "new.csv", "w") as f:
        f.write("pw,pl,sw,sl\n0.2,1.4,3.5,5.1\n2.3,5.9,3.0,6.8\n")  # other column order
    result = cli(
        "predict", "--checkpoint", "run/checkpoint.ckpt", "--input", "new.csv", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    rows = result.stdout.splitlines()
    assert rows[0] == "row,prediction,confidence"
    assert rows[1].startswith("1,setosa,") and rows[2].startswith("2,virginica,")

    for expected in ("out.csv", "out-2.csv"):
        result = cli(
            "predict",
            "--checkpoint",
            "run/checkpoint.ckpt",
            "--input",
            "new.csv",
            "--output",
            "out.csv",
            cwd=tmp_path,
        )
        assert result.returncode == 0, result.stderr
        assert f"wrote 2 predictions to {expected}" in result.stdout
    assert "out.csv already exists; writing out-2.csv instead" in result.stdout
    assert (tmp_path / "out.csv").read_text() == (tmp_path / "out-2.csv").read_text()


def test_second_run_into_same_folder_keeps_the_first(tmp_path):
    args = [
        "train",
        "--data",
        "moons",
        "--hidden",
        "8",
        "--epochs",
        "1",
        "--quiet",
        "--out",
        str(tmp_path),
    ]
    assert cli(*args).returncode == 0
    before = (tmp_path / "checkpoint.ckpt").read_bytes()
    result = cli(*args)
    assert result.returncode == 0, result.stderr
    assert f"writing into {tmp_path}/run-2 instead" in result.stdout
    assert (tmp_path / "checkpoint.ckpt").read_bytes() == before
    assert (tmp_path / "run-2" / "checkpoint.ckpt").exists()


@pytest.mark.parametrize(("model", "loss"), [("cnn", "nll"), ("lstm", "mse")])
def test_cnn_and_lstm_on_images(tmp_path, model, loss):
    result = cli(
        "train",
        "--data",
        "digits",
        "--model",
        model,
        "--loss",
        loss,
        "--epochs",
        "3",  # one epoch of seed 0 is still near chance with torch's initial weights
        "--val-split",
        "0.5",
        "--quiet",
        "--out",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    state = chainrule.load(str(tmp_path / "checkpoint.ckpt"))
    assert state["spec"]["kind"] == model and state["spec"]["image_shape"] == [8, 8]
    result = cli("evaluate", "--checkpoint", str(tmp_path / "checkpoint.ckpt"), "--split", "val")
    assert result.returncode == 0, result.stderr
    accuracy = float(result.stdout.split("accuracy ")[1].split("%")[0])
    assert accuracy > 20  # three epochs are far better than chance (10%)


def test_grad_stats_plot(tmp_path):
    result = cli(
        "train",
        "--data",
        "moons",
        "--hidden",
        "8",
        "--epochs",
        "2",
        "--grad-stats",
        "--quiet",
        "--out",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "grad_stats.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    state = chainrule.load(str(tmp_path / "checkpoint.ckpt"))
    assert len(state["grad_stats"]) == 2


def test_mnist_folder_train_and_test_split(tmp_path):
    from cli_helpers import idx_bytes

    rng = np.random.default_rng(0)
    for prefix, count in (("train", 60), ("t10k", 20)):
        labels = rng.integers(0, 10, count).astype(np.uint8)
        # each digit class lights up its own row of a 12x12 image: learnable in a few epochs
        images = rng.integers(0, 40, (count, 12, 12)).astype(np.uint8)
        images[np.arange(count), labels, :] = 255
        (tmp_path / f"{prefix}-images-idx3-ubyte").write_bytes(idx_bytes(2051, images))
        (tmp_path / f"{prefix}-labels-idx1-ubyte").write_bytes(idx_bytes(2049, labels))
    out = tmp_path / "run"
    result = cli(
        "train",
        "--data",
        f"mnist:{tmp_path}",
        "--model",
        "cnn",
        "--hidden",
        "32",
        "--epochs",
        "15",
        "--lr",
        "0.01",
        "--batch-size",
        "16",
        "--quiet",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    result = cli("evaluate", "--checkpoint", str(out / "checkpoint.ckpt"), "--split", "test")
    assert result.returncode == 0, result.stderr
    assert "20 samples (test)" in result.stdout
    accuracy = float(result.stdout.split("accuracy ")[1].split("%")[0])
    assert accuracy >= 80
