"""The models ``chainrule train`` builds: an MLP, a small CNN, an LSTM over image rows.

Every model takes flattened samples ``(N, F)`` and returns class scores ``(N, C)``, so one data
pipeline serves all three; the CNN and LSTM reshape inside ``forward``. A model is described by
a plain dict (its *spec*: kind, sizes, feature and class counts, ...) that checkpoints store, so
``evaluate`` and ``predict`` rebuild the same architecture before loading the weights.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

import chainrule
from chainrule import nn

from .options import DEFAULT_HIDDEN, MODELS

CNN_CHANNELS = (16, 32)


class Standardize(nn.Module):
    """``(x - mean) / std`` per feature, with ``mean``/``std`` as buffers (saved, not trained).

    Tabular features come in any scale (centimetres, dollars); standardizing with the training
    split's statistics lets one learning rate suit every column. Image pixels are already in
    ``[0, 1]`` and skip this.
    """

    def __init__(self, mean: np.ndarray, std: np.ndarray) -> None:
        super().__init__()
        self.register_buffer("mean", chainrule.tensor(np.asarray(mean, np.float32)))
        self.register_buffer("std", chainrule.tensor(np.asarray(std, np.float32)))

    def forward(self, x: chainrule.Tensor) -> chainrule.Tensor:
        return (x - self.mean) / self.std


def _head(sizes: list[int], num_classes: int) -> list[nn.Module]:
    """Linear-ReLU pairs through ``sizes``, then a Linear to ``num_classes`` scores."""
    layers: list[nn.Module] = []
    for a, b in itertools.pairwise(sizes):
        layers += [nn.Linear(a, b), nn.ReLU()]
    layers.append(nn.Linear(sizes[-1], num_classes))
    return layers


class MLP(nn.Module):
    """Linear-ReLU layers of the ``hidden`` sizes, then a Linear to the class scores."""

    def __init__(self, in_features: int, hidden: list[int], num_classes: int) -> None:
        super().__init__()
        self.net = nn.Sequential(*_head([in_features, *hidden], num_classes))

    def forward(self, x: chainrule.Tensor) -> chainrule.Tensor:
        return self.net(x)


class CNN(nn.Module):
    """Two conv(3x3, padding 1)-ReLU-maxpool(2) blocks (16 and 32 channels), then an MLP head.

    Input ``(N, H*W)`` is viewed as ``(N, 1, H, W)``; after the two pools the map is
    ``32 x H//4 x W//4``, flattened into the fully connected ``hidden`` layers.
    """

    def __init__(self, image_shape: tuple[int, int], hidden: list[int], num_classes: int) -> None:
        super().__init__()
        h, w = image_shape
        if h < 4 or w < 4:
            raise ValueError(f"the cnn needs images of at least 4x4 pixels, got {h}x{w}")
        self.image_shape = (h, w)
        c1, c2 = CNN_CHANNELS
        self.features = nn.Sequential(
            nn.Conv2d(1, c1, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(c1, c2, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(*_head([c2 * (h // 4) * (w // 4), *hidden], num_classes))

    def forward(self, x: chainrule.Tensor) -> chainrule.Tensor:
        x = x.reshape(x.shape[0], 1, *self.image_shape)
        return self.classifier(self.features(x).flatten(1))


class LSTMClassifier(nn.Module):
    """An LSTM of ``hidden[0]`` units reads a sequence; its last output feeds an MLP head.

    Images are read row by row (``H`` steps of ``W`` pixels); tabular features one per step
    (``F`` steps of size 1). ``hidden[1:]`` are fully connected layers after the LSTM.
    """

    def __init__(self, steps: int, step_size: int, hidden: list[int], num_classes: int) -> None:
        super().__init__()
        self.steps, self.step_size = steps, step_size
        self.lstm = nn.LSTM(step_size, hidden[0], batch_first=True)
        self.classifier = nn.Sequential(*_head(hidden, num_classes))

    def forward(self, x: chainrule.Tensor) -> chainrule.Tensor:
        output, _ = self.lstm(x.reshape(x.shape[0], self.steps, self.step_size))
        return self.classifier(output[:, -1])


class Classifier(nn.Module):
    """Optional standardization, the network, and ``LogSoftmax`` when the loss is ``nll``."""

    def __init__(self, spec: dict[str, Any]) -> None:
        super().__init__()
        kind, hidden, classes = spec["kind"], list(spec["hidden"]), spec["num_classes"]
        features, image_shape = spec["num_features"], spec["image_shape"]
        if spec["standardize"]:
            f = spec["num_features"]
            self.standardize = Standardize(np.zeros(f), np.ones(f))
        if kind == "mlp":
            self.net = MLP(features, hidden, classes)
        elif kind == "cnn":
            if image_shape is None:
                raise ValueError(
                    "the cnn model needs image data (digits or mnist:DIR); use --model mlp"
                )
            self.net = CNN(tuple(image_shape), hidden, classes)
        elif kind == "lstm":
            steps, size = image_shape if image_shape is not None else (features, 1)
            self.net = LSTMClassifier(steps, size, hidden, classes)
        else:
            raise ValueError(f"unknown model {kind!r} (choose from {', '.join(MODELS)})")
        self.log_softmax = nn.LogSoftmax(dim=1) if spec["loss"] == "nll" else None

    def forward(self, x: chainrule.Tensor) -> chainrule.Tensor:
        if hasattr(self, "standardize"):
            x = self.standardize(x)
        scores = self.net(x)
        return self.log_softmax(scores) if self.log_softmax is not None else scores


def make_spec(kind: str, hidden: list[int] | None, loss: str, dataset) -> dict[str, Any]:
    """The spec of a model for ``dataset`` (an :class:`~chainrule.datasets.ArrayDataset`)."""
    return {
        "kind": kind,
        "hidden": list(hidden) if hidden else list(DEFAULT_HIDDEN[kind]),
        "loss": loss,
        "num_features": dataset.num_features,
        "num_classes": dataset.num_classes,
        "image_shape": list(dataset.image_shape) if dataset.image_shape else None,
        "standardize": dataset.image_shape is None,
        "classes": list(dataset.classes),
        "feature_names": list(dataset.feature_names),
    }


def build(spec: dict[str, Any], train_features: np.ndarray | None = None) -> Classifier:
    """The model a spec describes; ``train_features`` set the standardization statistics."""
    model = Classifier(spec)
    if spec["standardize"] and train_features is not None:
        mean = train_features.mean(axis=0, dtype=np.float64)
        std = train_features.std(axis=0, dtype=np.float64)
        std[std == 0] = 1.0  # a constant column: leave it centred, do not divide by zero
        with chainrule.no_grad():
            model.standardize.mean.copy_(chainrule.tensor(mean.astype(np.float32)))
            model.standardize.std.copy_(chainrule.tensor(std.astype(np.float32)))
    return model


def describe(spec: dict[str, Any]) -> str:
    """One line, e.g. ``mlp 64 -> 256 -> 128 -> 10 (cross_entropy loss)``."""
    hidden, classes, shape = spec["hidden"], spec["num_classes"], spec["image_shape"]
    if spec["kind"] == "cnn":
        c1, c2 = CNN_CHANNELS
        h, w = shape
        layers = [f"1x{h}x{w}", f"conv {c1}", "pool", f"conv {c2}", "pool", *hidden, classes]
    elif spec["kind"] == "lstm":
        steps, size = shape if shape else (spec["num_features"], 1)
        layers = [f"{steps} steps x {size}", f"LSTM {hidden[0]}", *hidden[1:], classes]
    else:
        layers = [spec["num_features"], *hidden, classes]
    return f"{spec['kind']} {' -> '.join(str(x) for x in layers)} ({spec['loss']} loss)"
