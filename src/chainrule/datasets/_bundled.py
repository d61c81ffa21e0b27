"""Small data sets that ship with scikit-learn (no download): 8x8 digits and iris.

scikit-learn keeps them as small CSV files inside its package. Importing scikit-learn itself
takes seconds (it loads SciPy), so the files are located with ``importlib.util.find_spec``,
which does not run the package, and parsed with NumPy; if a future scikit-learn moves them,
its own loaders are used instead.
"""

from __future__ import annotations

import gzip
import importlib.util
import os

import numpy as np

from ._base import ArrayDataset

_MISSING = (
    "this data set ships with scikit-learn, which is not installed; install the 'data' extra: "
    "pip install 'chainrule[data]'"
)


def _sklearn_file(name: str) -> str | None:
    """The path of ``sklearn/datasets/data/<name>``, or None when it is not there."""
    try:
        spec = importlib.util.find_spec("sklearn")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(_MISSING)
    for folder in spec.submodule_search_locations:
        path = os.path.join(folder, "datasets", "data", name)
        if os.path.isfile(path):
            return path
    return None


def _sklearn_loader(name: str):
    try:
        from sklearn import datasets
    except ImportError as exc:
        raise ImportError(_MISSING) from exc
    return getattr(datasets, name)()


def _digits_arrays() -> tuple[np.ndarray, np.ndarray]:
    path = _sklearn_file("digits.csv.gz")
    if path is None:
        bunch = _sklearn_loader("load_digits")
        return bunch.data, bunch.target
    with gzip.open(path, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.float32)
    return table[:, :-1], table[:, -1].astype(np.int64)


def _iris_arrays() -> tuple[np.ndarray, np.ndarray]:
    path = _sklearn_file("iris.csv")
    if path is None:
        bunch = _sklearn_loader("load_iris")
        return bunch.data, bunch.target
    # first line: "150,4,setosa,versicolor,virginica" (counts and class names)
    table = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64)
    return table[:, :-1], table[:, -1].astype(np.int64)


def load_digits() -> ArrayDataset:
    """scikit-learn's 1,797 handwritten digits, 8x8 grey images, 10 classes.

    Features are the 64 pixels scaled from ``0..16`` to ``[0, 1]`` (float32), row-major, so a
    sample reshapes to ``image_shape == (8, 8)``. Needs the ``data`` extra (scikit-learn).

    Example::

        >>> ds = load_digits()
        >>> len(ds), ds.num_features, ds.num_classes, ds.image_shape
        (1797, 64, 10, (8, 8))
    """
    pixels, labels = _digits_arrays()
    features = pixels.astype(np.float32) / np.float32(16)
    return ArrayDataset(
        features,
        labels,
        num_classes=10,
        image_shape=(8, 8),
        feature_names=[f"pixel_{r}_{c}" for r in range(8) for c in range(8)],
        name="digits",
    )


def load_iris() -> ArrayDataset:
    """Fisher's iris: 150 flowers, 4 measurements (cm, float32), 3 species.

    Needs the ``data`` extra (scikit-learn).

    Example::

        >>> ds = load_iris()
        >>> len(ds), ds.num_features, ds.classes
        (150, 4, ['setosa', 'versicolor', 'virginica'])
    """
    features, labels = _iris_arrays()
    return ArrayDataset(
        features,
        labels,
        num_classes=3,
        classes=["setosa", "versicolor", "virginica"],
        feature_names=["sepal_length", "sepal_width", "petal_length", "petal_width"],
        name="iris",
    )
