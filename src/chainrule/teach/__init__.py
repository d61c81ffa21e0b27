"""Seeing backprop: graph export, a step-by-step explainer, hand-derived backprop, checks.

- :func:`graph` walks a ``grad_fn`` graph into a :class:`GraphView` with ``to_mermaid()``,
  ``to_dot()``, ``render(path)`` (Graphviz) and ``to_html(path)`` (self-contained page).
- :func:`record_grads` records every backward step through the engine's listener hook.

This package only reads the graph; nothing in the core imports it.
"""

from __future__ import annotations

from .graph import GraphEdge, GraphNode, GraphView, engine_order, graph
from .record import GradRecord, Step, record_grads

__all__ = [
    "graph",
    "GraphView",
    "GraphNode",
    "GraphEdge",
    "engine_order",
    "record_grads",
    "GradRecord",
    "Step",
]
