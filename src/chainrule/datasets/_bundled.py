"""Small data sets that ship with scikit-learn (no download): 8x8 digits and iris."""

from __future__ import annotations

from types import ModuleType

from ._base import ArrayDataset


def _sklearn_datasets() -> ModuleType:
    try:
        from sklearn import datasets
    except ImportError as exc:
        raise ImportError(
            "this data set ships with scikit-learn, which is not installed; install the 'data' "
            "extra: pip install 'chainrule[data]'"
        ) from exc
    return datasets


def load_digits() -> ArrayDataset:
    """scikit-learn's 1,797 handwritten digits, 8x8 grey images, 10 classes.

    Features are the 64 pixels scaled from ``0..16`` to ``[0, 1]`` (float32), row-major, so a
    sample reshapes to ``image_shape == (8, 8)``. Needs the ``data`` extra (scikit-learn).

    Example::

        >>> ds = load_digits()
        >>> len(ds), ds.num_features, ds.num_classes, ds.image_shape
        (1797, 64, 10, (8, 8))
    """
    bunch = _sklearn_datasets().load_digits()
    features = bunch.data.astype("float32") / 16.0
    return ArrayDataset(
        features,
        bunch.target,
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
    bunch = _sklearn_datasets().load_iris()
    return ArrayDataset(
        bunch.data,
        bunch.target,
        num_classes=3,
        classes=list(bunch.target_names),
        feature_names=[n.replace(" (cm)", "").replace(" ", "_") for n in bunch.feature_names],
        name="iris",
    )
