"""The strict IDX (MNIST) parser, on files the tests write: raw and gzipped, good and broken."""

from __future__ import annotations

import gzip
import os

import numpy as np
import pytest

from chainrule.datasets import MNIST, read_idx


def _idx(magic: int, array: np.ndarray) -> bytes:
    header = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


def _write(folder, name: str, payload: bytes, gz: bool) -> str:
    path = os.path.join(folder, name + (".gz" if gz else ""))
    with open(path, "wb") as f:
        f.write(gzip.compress(payload) if gz else payload)
    return path


def _mnist(folder, count=5, rows=4, cols=3, train=True, gz=False, seed=0):
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, (count, rows, cols), dtype=np.uint8)
    labels = rng.integers(0, 10, count, dtype=np.uint8)
    prefix = "train" if train else "t10k"
    _write(folder, f"{prefix}-images-idx3-ubyte", _idx(2051, images), gz)
    _write(folder, f"{prefix}-labels-idx1-ubyte", _idx(2049, labels), gz)
    return images, labels


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("train", [True, False])
def test_reads_images_and_labels(tmp_path, gz, train):
    images, labels = _mnist(tmp_path, train=train, gz=gz)
    ds = MNIST(str(tmp_path), train=train)
    assert len(ds) == 5 and ds.image_shape == (4, 3) and ds.num_features == 12
    assert ds.num_classes == 10
    x, y = ds[2]
    assert x.dtype.is_floating_point and str(x.dtype) == "torch.float32"
    assert str(y.dtype) == "torch.int64" and tuple(y.shape) == ()
    np.testing.assert_array_equal(x.numpy(), (images[2].reshape(-1) / 255).astype(np.float32))
    assert int(y) == int(labels[2])
    np.testing.assert_array_equal(ds.labels, labels.astype(np.int64))


def test_train_and_test_files_are_distinct(tmp_path):
    _mnist(tmp_path, count=5, train=True, seed=1)
    _mnist(tmp_path, count=3, train=False, seed=2)
    assert len(MNIST(str(tmp_path), train=True)) == 5
    assert len(MNIST(str(tmp_path), train=False)) == 3


@pytest.mark.parametrize("gz", [False, True])
def test_wrong_magic_names_the_file(tmp_path, gz):
    labels = np.arange(4, dtype=np.uint8)
    path = _write(tmp_path, "labels", _idx(2051, labels), gz)  # an images magic on labels
    with pytest.raises(ValueError, match=r"labels.*wrong magic number 2051.*expected 2049"):
        read_idx(path, 2049, 1)


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_data(tmp_path, gz):
    payload = _idx(2051, np.zeros((3, 4, 4), np.uint8))[:-5]
    path = _write(tmp_path, "images", payload, gz)
    with pytest.raises(ValueError, match=r"images.*truncated data.*3 x 4 x 4 = 48 bytes, only 43"):
        read_idx(path, 2051, 3)


def test_truncated_header(tmp_path):
    path = _write(tmp_path, "images", (2051).to_bytes(4, "big") + b"\0\0\0\3", False)
    with pytest.raises(ValueError, match="truncated header"):
        read_idx(path, 2051, 3)
    empty = _write(tmp_path, "empty", b"", False)
    with pytest.raises(ValueError, match="too short"):
        read_idx(empty, 2051, 3)


def test_surplus_bytes(tmp_path):
    path = _write(tmp_path, "labels", _idx(2049, np.zeros(3, np.uint8)) + b"\1", False)
    with pytest.raises(ValueError, match="1 bytes more than"):
        read_idx(path, 2049, 1)


def test_corrupt_gzip(tmp_path):
    path = os.path.join(tmp_path, "x.gz")
    with open(path, "wb") as f:
        f.write(gzip.compress(_idx(2049, np.zeros(50, np.uint8)))[:-12])
    with pytest.raises(ValueError, match="not a valid gzip"):
        read_idx(path, 2049, 1)


def test_count_mismatch_and_bad_label(tmp_path):
    _mnist(tmp_path, count=5)
    _write(tmp_path, "train-labels-idx1-ubyte", _idx(2049, np.zeros(4, np.uint8)), False)
    with pytest.raises(ValueError, match="5 images but .* 4 labels"):
        MNIST(str(tmp_path))
    _write(tmp_path, "train-labels-idx1-ubyte", _idx(2049, np.full(5, 12, np.uint8)), False)
    with pytest.raises(ValueError, match="label 12 is not a digit"):
        MNIST(str(tmp_path))


def test_missing_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="train-images-idx3-ubyte"):
        MNIST(str(tmp_path))
    with pytest.raises(FileNotFoundError, match="does not exist"):
        MNIST(str(tmp_path / "nowhere"))
