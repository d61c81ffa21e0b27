"""Data sets for learning and testing: bundled, generated, and read from files.

Every loader returns an :class:`ArrayDataset`, a :class:`chainrule.utils.data.Dataset` whose
samples are ``(features, label)`` -- a float32 tensor and an int64 scalar tensor -- with
``num_features``, ``num_classes``, ``classes`` and, for images, ``image_shape``.

=================================  ====================================================
``load_digits()``                  8x8 handwritten digits bundled with scikit-learn
``load_iris()``                    Fisher's iris, bundled with scikit-learn
``make_moons(n, noise, seed)``     two interleaving half circles (NumPy)
``make_spirals(n, classes, ...)``  interleaved spiral arms (NumPy)
``MNIST(root, train=True)``        the IDX files in a local folder (never downloads)
``CSVDataset(path, label_column)`` a CSV table with a header and a label column
=================================  ====================================================
"""

from ._base import ArrayDataset
from ._bundled import load_digits, load_iris
from ._csv import CSVDataset, read_features
from ._synthetic import make_moons, make_spirals
from .mnist import MNIST, read_idx

__all__ = [
    "MNIST",
    "ArrayDataset",
    "CSVDataset",
    "load_digits",
    "load_iris",
    "make_moons",
    "make_spirals",
    "read_features",
    "read_idx",
]
