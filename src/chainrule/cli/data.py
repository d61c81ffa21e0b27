"""``--data`` values: the names of bundled/generated sets, ``csv:PATH`` and ``mnist:DIR``."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .args import DATA_HELP

if TYPE_CHECKING:
    from chainrule.datasets import ArrayDataset

# Generated sets use a fixed seed so that `train` and `evaluate` see the same points.
MOONS = {"n": 1000, "noise": 0.2, "seed": 0}
SPIRALS = {"n": 900, "classes": 3, "noise": 0.2, "seed": 0}


def load(
    spec: str, *, label_column: str = "label", test: bool = False, classes: list[str] | None = None
) -> ArrayDataset:
    """Loads the data set that ``spec`` names.

    Args:
        spec: a value accepted by :func:`data_spec`.
        label_column: the label column of a CSV file.
        test: for ``mnist:DIR``, the t10k test files instead of the training files.
        classes: for CSV files, the class names of a trained model, so labels map the same way.
    """
    from chainrule import datasets

    if spec == "digits":
        return datasets.load_digits()
    if spec == "iris":
        return datasets.load_iris()
    if spec == "moons":
        return datasets.make_moons(**MOONS)
    if spec == "spirals":
        return datasets.make_spirals(**SPIRALS)
    prefix, _, rest = spec.partition(":")
    if prefix == "csv":
        if not os.path.exists(rest):
            raise FileNotFoundError(2, "no such file", rest)
        return datasets.CSVDataset(rest, label_column=label_column, classes=classes)
    if prefix == "mnist":
        return datasets.MNIST(rest, train=not test)
    raise ValueError(f"unknown data {spec!r} (choose from {DATA_HELP})")
