"""``chainrule predict``: classify the rows of a CSV file with a trained checkpoint."""

from __future__ import annotations

import argparse
import os

import numpy as np

from .outputs import unique_path, write_new


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "predict",
        help="classify the rows of a CSV file with a checkpoint",
        description="Predict the class of each row of a CSV file (a header row, then numeric "
        "feature columns; a label column, if present, is ignored). Features are matched by "
        "name when the header has the training columns' names, else by position.",
    )
    p.add_argument("--checkpoint", required=True, metavar="PATH")
    p.add_argument("--input", required=True, metavar="CSV")
    p.add_argument(
        "--output",
        metavar="CSV",
        help="write row,prediction,confidence here (a new file; never replaced)",
    )
    p.set_defaults(run=run)


def _features(path: str, spec: dict, label_column: str) -> np.ndarray:
    from chainrule.datasets import read_features

    if not os.path.exists(path):
        raise FileNotFoundError(2, "no such file", path)
    names = spec["feature_names"]
    import csv

    with open(path, newline="", encoding="utf-8-sig") as f:
        header = [c.strip() for c in next(csv.reader(f), [])]
    if all(n in header for n in names):
        values, _ = read_features(path, feature_names=names)
    else:
        values, used = read_features(path, drop=[label_column])
        if len(used) != spec["num_features"]:
            raise ValueError(
                f"{path}: {len(used)} feature columns but the model expects "
                f"{spec['num_features']} ({', '.join(names[:6])}"
                f"{', ...' if len(names) > 6 else ''})"
            )
    return values


def run(options: argparse.Namespace) -> int:
    import chainrule

    from .evaluate import load_model

    model, spec, config = load_model(options.checkpoint)
    features = _features(options.input, spec, config.get("label_column", "label"))
    with chainrule.no_grad():
        scores = model(chainrule.from_numpy(features))
        if spec["loss"] == "nll":
            probabilities = scores.exp()
        elif spec["loss"] == "mse":
            probabilities = None  # MSE scores are not probabilities
        else:
            probabilities = chainrule.softmax(scores, dim=1)
    predicted = scores.argmax(1).numpy()
    confidence = (
        probabilities.numpy()[np.arange(len(predicted)), predicted]
        if probabilities is not None
        else None
    )
    lines = ["row,prediction" + (",confidence" if confidence is not None else "")]
    for i, k in enumerate(predicted):
        line = f"{i + 1},{spec['classes'][k]}"
        if confidence is not None:
            line += f",{confidence[i]:.4f}"
        lines.append(line)
    text = "\n".join(lines) + "\n"
    if options.output:
        path, note = unique_path(options.output)
        if note:
            print(note)

        def write(tmp: str) -> None:
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(text)

        write_new(path, write)
        print(f"wrote {len(predicted)} predictions to {path}")
    else:
        print(text, end="")
    return 0
