"""Training curves as a PNG: loss on the left, accuracy on the right, epochs along the bottom.

Drawn with matplotlib's object API on an Agg canvas (no GUI, no global pyplot state), so it
works on a headless machine and does not disturb a caller's own pyplot figures.
"""

from __future__ import annotations

from typing import Any


def _matplotlib():
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ImportError(
            "plots need matplotlib, which is not installed; install the 'plot' extra: "
            "pip install 'chainrule[plot]'"
        ) from exc
    return Figure, FigureCanvasAgg


def plot_history(history: list[dict[str, Any]], path: str, title: str) -> None:
    """Writes loss and accuracy curves of ``history`` (rows of per-epoch metrics) to ``path``."""
    figure_cls, canvas_cls = _matplotlib()
    epochs = [row["epoch"] for row in history]
    fig = figure_cls(figsize=(10, 4), dpi=100, layout="constrained")
    canvas_cls(fig)
    ax_loss, ax_acc = fig.subplots(1, 2)
    ax_loss.plot(epochs, [r["train_loss"] for r in history], "o-", label="train loss")
    if any(r["val_loss"] is not None for r in history):
        ax_loss.plot(epochs, [r["val_loss"] for r in history], "s--", label="validation loss")
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("loss")
    ax_loss.set_title("loss")
    ax_loss.legend()
    ax_loss.grid(alpha=0.3)
    ax_acc.plot(epochs, [100 * r["train_accuracy"] for r in history], "o-", label="train accuracy")
    if any(r["val_accuracy"] is not None for r in history):
        ax_acc.plot(
            epochs, [100 * r["val_accuracy"] for r in history], "s--", label="validation accuracy"
        )
    ax_acc.set_xlabel("epoch")
    ax_acc.set_ylabel("accuracy (%)")
    ax_acc.set_title("accuracy")
    ax_acc.legend(loc="lower right")
    ax_acc.grid(alpha=0.3)
    for ax in (ax_loss, ax_acc):
        ax.xaxis.get_major_locator().set_params(integer=True)
    fig.suptitle(title)
    fig.savefig(path, format="png")
