"""The dataset every loader in :mod:`chainrule.datasets` returns: features and labels in memory.

A sample is ``(features, label)``: a float32 tensor of shape ``(num_features,)`` (or
``image_shape`` when ``as_images=True``) and an int64 scalar tensor. The whole data lives in two
NumPy arrays, so indexing a batch is one fancy-index, not a Python loop over items.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from chainrule._tensor import Tensor
from chainrule.utils.data import Dataset


class ArrayDataset(Dataset):
    """Classification data held as ``features`` (N, F) float32 and ``labels`` (N,) int64.

    Attributes:
        num_features: F, the length of one flattened sample.
        num_classes: the number of classes (labels are ``0 .. num_classes - 1``).
        image_shape: ``(H, W)`` for image data, else ``None``.
        classes: a name for each class index (strings), shown by ``predict``.
        feature_names: a name for each feature column.
        name: a short description used in messages (``"digits"``, ``"csv:data.csv"``).
    """

    def __init__(
        self,
        features: np.ndarray,
        labels: np.ndarray,
        *,
        num_classes: int | None = None,
        image_shape: tuple[int, int] | None = None,
        classes: Sequence[str] | None = None,
        feature_names: Sequence[str] | None = None,
        name: str = "data",
    ) -> None:
        features = np.ascontiguousarray(features, dtype=np.float32)
        labels = np.ascontiguousarray(labels, dtype=np.int64)
        if features.ndim != 2:
            raise ValueError(
                f"{name}: features must be 2-D (samples, features), got {features.shape}"
            )
        if labels.shape != (features.shape[0],):
            raise ValueError(
                f"{name}: {features.shape[0]} feature rows but labels of shape {labels.shape}"
            )
        if labels.size and labels.min() < 0:
            raise ValueError(f"{name}: labels must be >= 0, found {int(labels.min())}")
        if num_classes is None:
            num_classes = int(labels.max()) + 1 if labels.size else 0
        if labels.size and labels.max() >= num_classes:
            raise ValueError(f"{name}: label {int(labels.max())} >= num_classes {num_classes}")
        if image_shape is not None and int(np.prod(image_shape)) != features.shape[1]:
            raise ValueError(
                f"{name}: image_shape {image_shape} does not hold {features.shape[1]} features"
            )
        self.features = features
        self.labels = labels
        self.num_classes = int(num_classes)
        self.image_shape = tuple(image_shape) if image_shape is not None else None
        self.classes = (
            [str(c) for c in classes]
            if classes is not None
            else [str(i) for i in range(self.num_classes)]
        )
        self.feature_names = (
            [str(f) for f in feature_names]
            if feature_names is not None
            else [f"x{i}" for i in range(features.shape[1])]
        )
        self.name = name

    @property
    def num_features(self) -> int:
        return int(self.features.shape[1])

    def __len__(self) -> int:
        return int(self.features.shape[0])

    def __getitem__(self, index: int) -> tuple[Tensor, Tensor]:
        return Tensor._wrap(self.features[index]), Tensor._wrap(np.asarray(self.labels[index]))

    def __getitems__(self, indices: Sequence[int]) -> list[tuple[Tensor, Tensor]]:
        # Batched fetch (used by DataLoader when present): one fancy-index for the batch.
        idx = np.asarray(indices, dtype=np.int64)
        feats, labs = self.features[idx], self.labels[idx]
        return [(Tensor._wrap(f), Tensor._wrap(np.asarray(y))) for f, y in zip(feats, labs)]

    def tensors(self) -> tuple[Tensor, Tensor]:
        """All features ``(N, F)`` float32 and labels ``(N,)`` int64 as tensors (no copy)."""
        return Tensor._wrap(self.features), Tensor._wrap(self.labels)

    def subset(self, indices: np.ndarray, name: str | None = None) -> ArrayDataset:
        """The samples at ``indices`` as a new dataset with the same metadata."""
        return ArrayDataset(
            self.features[indices],
            self.labels[indices],
            num_classes=self.num_classes,
            image_shape=self.image_shape,
            classes=self.classes,
            feature_names=self.feature_names,
            name=name or self.name,
        )

    def split(self, val_fraction: float, seed: int = 0) -> tuple[ArrayDataset, ArrayDataset]:
        """A deterministic shuffle-and-split into (train, validation) parts.

        ``val_fraction`` in ``[0, 1)``; the permutation depends on ``seed`` only, so a resumed
        or re-evaluated run sees the same held-out samples.
        """
        if not 0.0 <= val_fraction < 1.0:
            raise ValueError(f"validation split must be in [0, 1), got {val_fraction}")
        n = len(self)
        order = np.random.default_rng(seed).permutation(n)
        n_val = round(n * val_fraction)
        if val_fraction > 0 and n_val == 0 and n > 1:
            n_val = 1
        return (
            self.subset(np.sort(order[n_val:]), f"{self.name} (train)"),
            self.subset(np.sort(order[:n_val]), f"{self.name} (validation)"),
        )

    def __repr__(self) -> str:
        shape = f", image_shape={self.image_shape}" if self.image_shape else ""
        return (
            f"ArrayDataset({self.name!r}, samples={len(self)}, num_features={self.num_features}, "
            f"num_classes={self.num_classes}{shape})"
        )
