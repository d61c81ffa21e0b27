"""Two-dimensional toy problems generated with NumPy: moons and spirals.

Both are deterministic for a given ``seed`` and need nothing beyond NumPy.
"""

from __future__ import annotations

import numpy as np

from ._base import ArrayDataset


def _check(n: int, noise: float) -> None:
    if int(n) != n or n < 1:
        raise ValueError(f"number of samples must be a positive integer, got {n}")
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")


def make_moons(n: int = 200, noise: float = 0.1, seed: int = 0) -> ArrayDataset:
    """Two interleaving half circles, ``n`` points in 2-D, labels 0 and 1.

    Class 0 lies on ``(cos t, sin t)``, class 1 on ``(1 - cos t, 0.5 - sin t)`` for
    ``t in [0, pi]``; Gaussian noise of standard deviation ``noise`` is added to both
    coordinates. The first ``ceil(n / 2)`` points are class 0.
    """
    _check(n, noise)
    rng = np.random.default_rng(seed)
    n0 = (n + 1) // 2
    n1 = n - n0
    t0 = np.linspace(0.0, np.pi, n0)
    t1 = np.linspace(0.0, np.pi, n1)
    points = np.concatenate(
        [np.stack([np.cos(t0), np.sin(t0)], 1), np.stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)], 1)]
    )
    points += rng.normal(0.0, noise, size=points.shape)
    labels = np.concatenate([np.zeros(n0, np.int64), np.ones(n1, np.int64)])
    return ArrayDataset(points, labels, num_classes=2, feature_names=["x", "y"], name="moons")


def make_spirals(n: int = 300, classes: int = 3, noise: float = 0.2, seed: int = 0) -> ArrayDataset:
    """``classes`` interleaved spiral arms, ``n`` points in 2-D in total.

    Arm ``k`` is ``r (sin a, cos a)`` with ``r`` from 0 to 1 and angle
    ``a = 4 r + 2 pi k / classes`` plus Gaussian noise of standard deviation ``noise`` on the
    angle (the classic CS231n spiral). Points are split as evenly as possible between arms.
    """
    _check(n, noise)
    if int(classes) != classes or classes < 2:
        raise ValueError(f"spirals need at least 2 classes, got {classes}")
    rng = np.random.default_rng(seed)
    counts = np.full(classes, n // classes)
    counts[: n % classes] += 1
    labels = np.repeat(np.arange(classes, dtype=np.int64), counts)
    # position along its arm of each point, 0..1 within each arm
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    along = (np.arange(n) - starts) / np.maximum(np.repeat(counts, counts) - 1, 1)
    angle = 4.0 * along + 2.0 * np.pi * labels / classes + rng.normal(0.0, noise, n)
    points = np.stack([along * np.sin(angle), along * np.cos(angle)], 1)
    return ArrayDataset(
        points, labels, num_classes=int(classes), feature_names=["x", "y"], name="spirals"
    )
