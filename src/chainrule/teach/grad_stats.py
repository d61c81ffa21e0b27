"""Gradient health per parameter: norm, mean, max |g|, fraction of exact zeros, with flags.

- **vanishing**: ``‖g‖ < 1e-7``: this parameter barely learns (saturated sigmoids/tanh, deep
  stacks without normalisation);
- **exploding**: ``‖g‖ > 1e3``: steps that large diverge (lower the learning rate, clip);
- **dead**: more than 90% of the entries exactly zero: typical of ReLU units that never fire
  (their incoming weights get no gradient at all);
- **no grad**: ``.grad`` is None (unused in the loss, or frozen).

``grad_stats(model)`` after ``loss.backward()``; record one per epoch and draw them with
``plot_grad_stats(history, path)`` (needs matplotlib: the ``plot`` extra).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np

from ._format import fmt_num, fmt_shape

__all__ = ["ParamGradStats", "GradStats", "grad_stats", "plot_grad_stats"]


@dataclass
class ParamGradStats:
    """One parameter: statistics of its ``.grad`` (all NaN when it has none)."""

    name: str
    shape: tuple
    norm: float
    mean: float
    max_abs: float
    zero_frac: float
    flags: list = field(default_factory=list)


@dataclass
class GradStats:
    """Per-parameter statistics, in ``named_parameters()`` order."""

    rows: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no parameter is flagged."""
        return not any(r.flags for r in self.rows)

    @property
    def flags(self) -> dict:
        """Parameter name -> its flags, for flagged parameters only."""
        return {r.name: list(r.flags) for r in self.rows if r.flags}

    def as_dict(self) -> dict:
        """``{name: {"norm", "mean", "max_abs", "zero_frac"}}``: plain floats, for logs/JSON."""
        return {
            r.name: {"norm": r.norm, "mean": r.mean, "max_abs": r.max_abs, "zero_frac": r.zero_frac}
            for r in self.rows
        }

    def to_text(self) -> str:
        head = ["parameter", "shape", "grad norm", "mean", "max |g|", "zeros", "flags"]
        body = [
            [r.name, fmt_shape(r.shape), fmt_num(r.norm), fmt_num(r.mean), fmt_num(r.max_abs),
             f"{100 * r.zero_frac:.0f}%" if r.zero_frac == r.zero_frac else "-",
             ", ".join(r.flags)]
            for r in self.rows
        ]  # fmt: skip
        widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(head)]
        lines = [
            "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            for row in [head, *body]
        ]
        return "\n".join(lines) + "\n"

    __str__ = to_text


def grad_stats(
    model,
    *,
    vanishing: float = 1e-7,
    exploding: float = 1e3,
    dead: float = 0.9,
) -> GradStats:
    """Statistics of every parameter's ``.grad`` (call after ``backward()``).

    Args:
        model: a Module, or an iterable of ``(name, parameter)`` pairs.
        vanishing, exploding: thresholds on the gradient's L2 norm.
        dead: threshold on the fraction of exact zeros.

    Example:
        >>> import chainrule as torch
        >>> w = torch.ones(3, requires_grad=True)
        >>> (w * torch.tensor([0.0, 0.0, 0.0])).sum().backward()
        >>> grad_stats([("w", w)]).flags
        {'w': ['vanishing', 'dead']}
    """
    named = model.named_parameters() if hasattr(model, "named_parameters") else model
    stats = GradStats()
    for name, p in named:
        g = p.grad
        if g is None:
            nan = float("nan")
            stats.rows.append(ParamGradStats(name, tuple(p.shape), nan, nan, nan, nan, ["no grad"]))
            continue
        a = np.asarray(g._data, dtype=np.float64)
        norm = float(np.sqrt(np.sum(a * a)))
        row = ParamGradStats(
            name,
            tuple(p.shape),
            norm,
            float(a.mean()) if a.size else 0.0,
            float(np.abs(a).max()) if a.size else 0.0,
            float(np.count_nonzero(a == 0) / a.size) if a.size else 0.0,
        )
        if norm < vanishing:
            row.flags.append("vanishing")
        if norm > exploding:
            row.flags.append("exploding")
        if row.zero_frac > dead:
            row.flags.append("dead")
        stats.rows.append(row)
    return stats


def plot_grad_stats(history, path) -> str:
    """Plots gradient norms and zero fractions per parameter over epochs; writes ``path``.

    Args:
        history: one entry per epoch: a :class:`GradStats` or its ``as_dict()``.
        path: the image file (PNG, SVG, PDF by suffix).

    Raises:
        ImportError: naming the ``plot`` extra when matplotlib is not installed.
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415
        from matplotlib.figure import Figure  # noqa: PLC0415
    except ImportError as err:
        raise ImportError(
            "plot_grad_stats() needs matplotlib: pip install 'chainrule[plot]' "
            "(or pip install matplotlib)"
        ) from err
    epochs = [h.as_dict() if isinstance(h, GradStats) else dict(h) for h in history]
    if not epochs:
        raise ValueError("plot_grad_stats(): the history is empty")
    names = list(dict.fromkeys(n for e in epochs for n in e))
    fig = Figure(figsize=(9, 6.5))
    FigureCanvasAgg(fig)  # a canvas of its own: pyplot's global state is never touched
    ax_norm, ax_zero = fig.subplots(2, 1, sharex=True)
    xs = np.arange(1, len(epochs) + 1)
    for name in names:
        norms = [e.get(name, {}).get("norm", np.nan) for e in epochs]
        zeros = [e.get(name, {}).get("zero_frac", np.nan) for e in epochs]
        ax_norm.plot(xs, np.maximum(np.asarray(norms, dtype=float), 1e-30), marker=".", label=name)
        ax_zero.plot(xs, 100 * np.asarray(zeros, dtype=float), marker=".", label=name)
    ax_norm.set_yscale("log")
    ax_norm.axhline(1e-7, color="#999", linestyle="--", linewidth=0.8)
    ax_norm.axhline(1e3, color="#999", linestyle="--", linewidth=0.8)
    ax_norm.set_ylabel("gradient L2 norm")
    ax_norm.set_title("gradient norm per parameter (dashed: vanishing / exploding thresholds)")
    ax_zero.set_ylabel("% exact zeros")
    ax_zero.set_ylim(-2, 102)
    ax_zero.axhline(90, color="#999", linestyle="--", linewidth=0.8)
    ax_zero.set_xlabel("epoch")
    ax_norm.legend(fontsize=8, loc="best")
    fig.tight_layout()
    path = os.fspath(path)
    fig.savefig(path)
    return path
