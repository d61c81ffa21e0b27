"""Bad input: one clear line on stderr (``chainrule: error: ...``), a non-zero exit, no traceback.

Every case runs the real command as a subprocess.
"""

from __future__ import annotations

import numpy as np
import pytest
from cli_helpers import assert_one_line_error, cli, idx_bytes


@pytest.fixture(scope="module")
def small_checkpoint(tmp_path_factory):
    """A 1-epoch moons run with hidden size 8, shared by the checkpoint cases."""
    out = tmp_path_factory.mktemp("run")
    result = cli(
        "train", "--data", "moons", "--hidden", "8", "--epochs", "1", "--quiet", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    return out / "checkpoint.ckpt"


def test_missing_csv_file(tmp_path):
    result = cli("train", "--data", f"csv:{tmp_path}/absent.csv")
    assert_one_line_error(result, "absent.csv", "no such file", status=1)


def test_csv_without_label_column(tmp_path):
    (tmp_path / "d.csv").write_text("a,b,target\n1,2,0\n3,4,1\n")
    result = cli("train", "--data", "csv:d.csv", cwd=tmp_path)
    assert_one_line_error(
        result, "d.csv: no label column 'label'; the columns are: a, b, target", status=1
    )


def test_csv_with_non_numeric_cell(tmp_path):
    (tmp_path / "d.csv").write_text("a,b,label\n1,2,0\n3,four,1\n")
    result = cli("train", "--data", "csv:d.csv", cwd=tmp_path)
    assert_one_line_error(result, "row 2 (line 3), column 'b': 'four' is not a finite number")


def _mnist_folder(folder, images_magic=2051, truncate=0):
    images = np.zeros((4, 6, 6), np.uint8)
    labels = np.arange(4, dtype=np.uint8)
    raw = idx_bytes(images_magic, images)
    (folder / "train-images-idx3-ubyte").write_bytes(raw[: len(raw) - truncate])
    (folder / "train-labels-idx1-ubyte").write_bytes(idx_bytes(2049, labels))


def test_idx_with_wrong_magic(tmp_path):
    _mnist_folder(tmp_path, images_magic=2049)
    result = cli("train", "--data", f"mnist:{tmp_path}")
    assert_one_line_error(
        result, "train-images-idx3-ubyte: wrong magic number 2049", "expected 2051"
    )


def test_idx_truncated(tmp_path):
    _mnist_folder(tmp_path, truncate=10)
    result = cli("train", "--data", f"mnist:{tmp_path}")
    assert_one_line_error(
        result, "train-images-idx3-ubyte: truncated data", "4 x 6 x 6 = 144 bytes, only 134 present"
    )


def test_mnist_folder_without_files(tmp_path):
    result = cli("train", "--data", f"mnist:{tmp_path}")
    assert_one_line_error(result, "no MNIST file train-images-idx3-ubyte")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["train", "--model", "rnn"], "argument --model: invalid choice: 'rnn'"),
        (["train", "--optimizer", "adagrad"], "argument --optimizer: invalid choice: 'adagrad'"),
        (["train", "--scheduler", "linear"], "argument --scheduler: invalid choice"),
        (["train", "--data", "cifar"], "argument --data: unknown data 'cifar'"),
        (["train", "--lr", "-0.1"], "argument --lr: must be a positive number, got -0.1"),
        (["train", "--lr", "abc"], "argument --lr: must be a number, got 'abc'"),
        (["train", "--hidden", "64,x"], "argument --hidden: expected comma-separated"),
        (["train", "--epochs", "0"], "argument --epochs: must be a positive whole number"),
        (["train", "--val-split", "1.5"], "argument --val-split: must be in [0, 1)"),
        (["explain", "--lr", "-1"], "argument --lr: must be a positive number"),
        (["explain", "--format", "html"], "argument --format: invalid choice: 'html'"),
        (["evaluate"], "the following arguments are required: --checkpoint"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_bad_option_values(args, fragment):
    assert_one_line_error(cli(*args), fragment, status=2)


def test_missing_checkpoint(tmp_path):
    result = cli("evaluate", "--checkpoint", str(tmp_path / "nope.ckpt"))
    assert_one_line_error(result, "nope.ckpt: no such checkpoint file", status=1)


def test_not_a_checkpoint(tmp_path):
    (tmp_path / "x.ckpt").write_text("a,b\n1,2\n")
    result = cli("predict", "--checkpoint", str(tmp_path / "x.ckpt"), "--input", "x.csv")
    assert_one_line_error(result, "x.ckpt: not a chainrule checkpoint")


def test_checkpoint_of_another_shape(small_checkpoint, tmp_path):
    result = cli(
        "train",
        "--resume",
        str(small_checkpoint),
        "--hidden",
        "16",
        "--epochs",
        "2",
        "--out",
        str(tmp_path),
    )
    assert_one_line_error(
        result,
        "does not fit the model",
        "parameter 'net.net.0.weight' has shape [8, 2] in the checkpoint but [16, 2] in the model",
    )


def test_evaluate_on_data_of_another_width(small_checkpoint):
    result = cli("evaluate", "--checkpoint", str(small_checkpoint), "--data", "iris")
    assert_one_line_error(result, "iris has 4 features per sample but the model", "expects 2")


def test_predict_with_wrong_columns(small_checkpoint, tmp_path):
    (tmp_path / "in.csv").write_text("a,b,c\n1,2,3\n")
    result = cli(
        "predict", "--checkpoint", str(small_checkpoint), "--input", "in.csv", cwd=tmp_path
    )
    assert_one_line_error(result, "in.csv: 3 feature columns but the model expects 2")


def test_resume_of_a_finished_run(small_checkpoint, tmp_path):
    result = cli("train", "--resume", str(small_checkpoint), "--out", str(tmp_path))
    assert_one_line_error(result, "already finished its 1 epochs", "--epochs")


def test_out_is_a_file(tmp_path):
    (tmp_path / "taken").write_text("mine")
    result = cli("train", "--data", "moons", "--epochs", "1", "--out", str(tmp_path / "taken"))
    assert_one_line_error(result, "taken exists and is not a folder")
    assert (tmp_path / "taken").read_text() == "mine"
