"""``chainrule evaluate``: the loss and accuracy of a trained checkpoint on a data set."""

from __future__ import annotations

import argparse

import numpy as np

from . import args as A
from .errors import CLIError

SPLITS = ("all", "train", "val", "test")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "evaluate",
        help="loss and accuracy of a checkpoint on a data set",
        description="Print the loss and accuracy of a trained model (a checkpoint written by "
        "'chainrule train') on a data set.",
    )
    p.add_argument("--checkpoint", required=True, metavar="PATH")
    p.add_argument(
        "--data",
        type=A.data_spec,
        metavar="DATA",
        help=f"{A.DATA_HELP} (default: the data the model was trained on)",
    )
    p.add_argument(
        "--label-column",
        metavar="NAME",
        help="the label column of a CSV file (default: the one used in training)",
    )
    p.add_argument(
        "--split",
        choices=SPLITS,
        default="all",
        help="all samples; the run's own train or validation part (same seed and "
        "fraction as in training); or test: MNIST's t10k files (default: all)",
    )
    p.add_argument("--confusion", action="store_true", help="print the confusion matrix")
    p.set_defaults(run=run)


def load_model(path: str):
    """The model of a checkpoint, its spec and its config."""
    from . import checkpoint as ckpt
    from . import models

    state = ckpt.load(path)
    spec = state["spec"]
    model = models.build(spec)
    ckpt.load_weights(model, state["model"], path)
    model.eval()
    return model, spec, state["config"]


def check_fits(spec: dict, dataset, path: str) -> None:
    if dataset.num_features != spec["num_features"]:
        raise CLIError(
            f"{dataset.name} has {dataset.num_features} features per sample but the model in "
            f"{path} expects {spec['num_features']}"
        )
    if dataset.labels.size and dataset.labels.max() >= spec["num_classes"]:
        raise CLIError(
            f"{dataset.name} has label {int(dataset.labels.max())} but the model in {path} "
            f"knows {spec['num_classes']} classes"
        )


def confusion_matrix(labels: np.ndarray, predicted: np.ndarray, classes: list[str]) -> str:
    """Rows: true class; columns: predicted class."""
    k = len(classes)
    counts = np.bincount(labels * k + predicted, minlength=k * k).reshape(k, k)
    names = [c[:8] for c in classes]
    width = max(6, max(len(n) for n in names), len(str(counts.max())))
    lines = ["confusion matrix (rows: true class, columns: predicted class)"]
    lines.append(" " * (width + 1) + " ".join(f"{n:>{width}}" for n in names))
    for name, row in zip(names, counts, strict=True):
        lines.append(f"{name:>{width}} " + " ".join(f"{v:>{width}}" for v in row))
    return "\n".join(lines)


def run(options: argparse.Namespace) -> int:
    from . import data, models, trainer

    model, spec, config = load_model(options.checkpoint)
    spec_data = options.data or config["data"]
    label_column = options.label_column or config.get("label_column", "label")
    if options.split == "test" and not spec_data.startswith("mnist:"):
        raise CLIError(
            "--split test reads MNIST's t10k files; other data sets have no test "
            "files (use --split val for the run's held-out part)"
        )
    classes = spec["classes"] if spec_data.startswith("csv:") else None
    dataset = data.load(
        spec_data, label_column=label_column, test=options.split == "test", classes=classes
    )
    if options.split in ("train", "val"):
        train_part, val_part = dataset.split(config["val_split"], seed=config["seed"])
        dataset = train_part if options.split == "train" else val_part
        if len(dataset) == 0:
            raise CLIError(
                f"the {options.split} split is empty (val_split was {config['val_split']})"
            )
    check_fits(spec, dataset, options.checkpoint)
    loss, accuracy, predicted = trainer.evaluate(model, dataset, spec["loss"])
    print(f"model: {models.describe(spec)}")
    print(f"data: {dataset.name}, {len(dataset)} samples ({options.split})")
    print(
        f"loss {loss:.4f}  accuracy {100 * accuracy:.2f}% "
        f"({int((predicted == dataset.labels).sum())}/{len(dataset)})"
    )
    if options.confusion:
        print(confusion_matrix(dataset.labels, predicted.astype(np.int64), spec["classes"]))
    return 0
