"""Seeing backprop: graph export, a step-by-step explainer, hand-derived backprop, checks.

- :func:`graph` walks a ``grad_fn`` graph into a :class:`GraphView` with ``to_mermaid()``,
  ``to_dot()``, ``render(path)`` (Graphviz) and ``to_html(path)`` (self-contained page).
- :func:`explain` runs backward and prints every step of the chain rule with its numbers.
- :mod:`manual` is backprop for an MLP written by hand in NumPy, equal to autograd.
- :func:`check_model_gradients` finite-difference checks every parameter of a model.
- :func:`grad_stats` flags vanishing, exploding and dead gradients.
- :func:`record_grads` records every backward step through the engine's listener hook.

This package only reads the graph; nothing in the core imports it.
"""

from __future__ import annotations

from . import manual
from .check import ModelGradCheck, ParamCheck, check_model_gradients
from .explain import Explanation, explain
from .grad_stats import GradStats, ParamGradStats, grad_stats, plot_grad_stats
from .graph import GraphEdge, GraphNode, GraphView, engine_order, graph
from .record import GradRecord, Step, record_grads


def seed_network(seed: int = 0):
    """``(model, x, y)``: the seed tutorial's Linear(2,3)-ReLU-Linear(3,1) and its data (see
    :func:`chainrule.teach.seed.seed_network`)."""
    from .seed import seed_network as _seed_network  # noqa: PLC0415  (imports nn on use)

    return _seed_network(seed)


def __getattr__(name: str):
    if name == "SimpleNN":
        from .seed import SimpleNN  # noqa: PLC0415

        return SimpleNN
    raise AttributeError(f"module 'chainrule.teach' has no attribute {name!r}")


__all__ = [
    "Explanation",
    "GradStats",
    "ModelGradCheck",
    "ParamCheck",
    "ParamGradStats",
    "check_model_gradients",
    "grad_stats",
    "plot_grad_stats",
    "GradRecord",
    "GraphEdge",
    "GraphNode",
    "GraphView",
    "SimpleNN",
    "Step",
    "engine_order",
    "explain",
    "graph",
    "manual",
    "record_grads",
    "seed_network",
]
