"""Bundled (scikit-learn) and generated data sets: shapes, dtypes, values, determinism."""

from __future__ import annotations

import numpy as np
import pytest

from chainrule.datasets import ArrayDataset, load_digits, load_iris, make_moons, make_spirals
from chainrule.utils.data import DataLoader, Dataset


def test_digits_matches_sklearn():
    from sklearn.datasets import load_digits as sk_digits

    ds = load_digits()
    sk = sk_digits()
    assert isinstance(ds, Dataset)
    assert (len(ds), ds.num_features, ds.num_classes, ds.image_shape) == (1797, 64, 10, (8, 8))
    np.testing.assert_array_equal(ds.features, (sk.data / 16).astype(np.float32))
    np.testing.assert_array_equal(ds.labels, sk.target)
    x, y = ds[10]
    assert str(x.dtype) == "torch.float32" and tuple(x.shape) == (64,)
    assert str(y.dtype) == "torch.int64" and int(y) == sk.target[10]


def test_iris():
    from sklearn.datasets import load_iris as sk_iris

    ds = load_iris()
    sk = sk_iris()
    assert (len(ds), ds.num_features, ds.num_classes) == (150, 4, 3)
    np.testing.assert_array_equal(ds.features, sk.data.astype(np.float32))
    np.testing.assert_array_equal(ds.labels, sk.target)
    assert ds.classes == ["setosa", "versicolor", "virginica"]
    assert ds.features.dtype == np.float32 and ds.labels.dtype == np.int64


def test_missing_sklearn_names_the_extra(monkeypatch):
    import importlib.util

    real_find_spec = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        return None if name == "sklearn" else real_find_spec(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    with pytest.raises(ImportError, match=r"'data' extra.*chainrule\[data\]"):
        load_digits()
    with pytest.raises(ImportError, match=r"'data' extra"):
        load_iris()


def test_falls_back_to_sklearn_loaders(monkeypatch):
    from chainrule.datasets import _bundled

    fast_digits, fast_iris = load_digits(), load_iris()
    monkeypatch.setattr(_bundled, "_sklearn_file", lambda name: None)
    slow_digits, slow_iris = load_digits(), load_iris()
    np.testing.assert_array_equal(fast_digits.features, slow_digits.features)
    np.testing.assert_array_equal(fast_digits.labels, slow_digits.labels)
    np.testing.assert_array_equal(fast_iris.features, slow_iris.features)
    np.testing.assert_array_equal(fast_iris.labels, slow_iris.labels)


def test_moons_equal_sklearn_without_noise():
    from sklearn.datasets import make_moons as sk_moons

    ds = make_moons(40, noise=0.0)
    points, labels = sk_moons(40, shuffle=False, noise=None)
    np.testing.assert_allclose(ds.features, points.astype(np.float32), atol=1e-6)
    np.testing.assert_array_equal(ds.labels, labels)


def test_moons_noise_and_seed():
    a, b, c = make_moons(51, 0.2, seed=3), make_moons(51, 0.2, seed=3), make_moons(51, 0.2, seed=4)
    np.testing.assert_array_equal(a.features, b.features)
    assert not np.array_equal(a.features, c.features)
    assert np.bincount(a.labels).tolist() == [26, 25]
    clean = make_moons(51, 0.0, seed=3)
    assert 0.1 < np.std(a.features - clean.features) < 0.3
    with pytest.raises(ValueError, match="noise must be >= 0"):
        make_moons(10, -1.0)


def test_spirals():
    ds = make_spirals(100, classes=4, noise=0.0, seed=0)
    assert ds.num_classes == 4 and np.bincount(ds.labels).tolist() == [25, 25, 25, 25]
    radius = np.linalg.norm(ds.features, axis=1)
    # radius grows 0 -> 1 along each arm, and each arm is rotated by 2 pi / classes
    np.testing.assert_allclose(radius[:25], np.linspace(0, 1, 25), atol=1e-6)
    np.testing.assert_allclose(
        ds.features[25:50],
        ds.features[:25] @ np.array([[0.0, -1.0], [1.0, 0.0]], np.float32),
        atol=1e-6,
    )
    with pytest.raises(ValueError, match="at least 2 classes"):
        make_spirals(10, classes=1)


def test_split_is_deterministic_and_disjoint():
    ds = make_moons(50, 0.1)
    tr1, va1 = ds.split(0.2, seed=7)
    _tr2, va2 = ds.split(0.2, seed=7)
    assert (len(tr1), len(va1)) == (40, 10)
    np.testing.assert_array_equal(va1.features, va2.features)
    rows = {tuple(r) for r in np.concatenate([tr1.features, va1.features])}
    assert len(rows) == 50
    assert tr1.num_classes == 2 and va1.feature_names == ["x", "y"]


def test_dataloader_batches():
    ds = ArrayDataset(np.arange(12, dtype=np.float32).reshape(6, 2), np.array([0, 1, 2, 0, 1, 2]))
    batches = list(DataLoader(ds, batch_size=4))
    assert [tuple(b[0].shape) for b in batches] == [(4, 2), (2, 2)]
    np.testing.assert_array_equal(batches[1][1].numpy(), [1, 2])
    assert str(batches[0][0].dtype) == "torch.float32" and str(batches[0][1].dtype) == "torch.int64"


def test_array_dataset_validates():
    with pytest.raises(ValueError, match="labels must be >= 0"):
        ArrayDataset(np.zeros((2, 1)), np.array([0, -1]))
    with pytest.raises(ValueError, match="3 feature rows but labels of shape"):
        ArrayDataset(np.zeros((3, 1)), np.array([0, 1]))
