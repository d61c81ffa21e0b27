"""Record what the backward engine computes, node by node, through its listener hook.

``with record_grads() as rec: loss.backward()`` keeps, for every node the engine runs (in the
order it runs them), the gradient that arrived at the node's output and the gradients it passed
on to each input, as NumPy copies. The core is unchanged: this only uses
``chainrule.autograd.engine.add_listener`` / ``remove_listener``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..autograd import engine as _engine
from ..autograd.function import Node

__all__ = ["Step", "GradRecord", "record_grads", "latest_record", "sum_to_shape"]

_latest: list = [None]  # the last finished record, kept so graph(show_grads=True) can find it


def sum_to_shape(a: np.ndarray, shape: tuple) -> np.ndarray:
    """Sums a broadcast gradient back to ``shape`` (what the engine does before passing it on)."""
    if a.shape == tuple(shape):
        return a
    lead = a.ndim - len(shape)
    if lead > 0:
        a = a.sum(axis=tuple(range(lead)))
    axes = tuple(i for i, s in enumerate(shape) if s == 1 and a.shape[i] != 1)
    if axes:
        a = a.sum(axis=axes, keepdims=True)
    return a.reshape(shape)


@dataclass
class Step:
    """One node's backward: ``grad_outputs`` arrived, ``grad_inputs`` went to ``node.edges``.

    ``grad_inputs[k]`` is already summed to the shape of input ``k`` (broadcasting undone) and
    is None where the input needs no gradient.
    """

    node: Node
    grad_outputs: list
    grad_inputs: list


def _copy(g) -> np.ndarray | None:
    return None if g is None else np.array(g._data, copy=True)


class GradRecord:
    """A context manager recording every backward step while it is active.

    Attributes:
        steps: the :class:`Step` list, in the order the engine ran the nodes.
    """

    def __init__(self) -> None:
        self.steps: list[Step] = []
        self._by_node: dict[int, Step] = {}
        self._leaf: dict[int, np.ndarray] = {}
        self._leaves: dict[int, object] = {}  # keeps ids valid while the record lives

    def _listener(self, node, grad_outputs, grad_inputs) -> None:
        reduced = []
        for k, g in enumerate(grad_inputs):
            arr = _copy(g)
            meta = node.in_meta[k] if k < len(node.in_meta) else None
            if arr is not None and meta is not None:
                arr = sum_to_shape(arr, meta[0])
            reduced.append(arr)
            edge = node.edges[k] if k < len(node.edges) else None
            if arr is not None and edge is not None and not isinstance(edge[0], Node):
                key = id(edge[0])
                self._leaves[key] = edge[0]
                prev = self._leaf.get(key)
                self._leaf[key] = arr if prev is None else prev + arr
        step = Step(node, [_copy(g) for g in grad_outputs], reduced)
        self.steps.append(step)
        self._by_node[id(node)] = step

    def __enter__(self) -> GradRecord:
        _engine.add_listener(self._listener)
        return self

    def __exit__(self, *exc) -> None:
        _engine.remove_listener(self._listener)
        _latest[0] = self

    def step(self, node: Node) -> Step | None:
        return self._by_node.get(id(node))

    def output_grad(self, node: Node) -> np.ndarray | None:
        """The gradient of the loss with respect to ``node``'s (first) output."""
        step = self._by_node.get(id(node))
        if step is None:
            return None
        return next((g for g in step.grad_outputs if g is not None), None)

    def leaf_grad(self, tensor) -> np.ndarray | None:
        """The gradient that flowed into the leaf ``tensor`` during the recorded backward."""
        return self._leaf.get(id(tensor))

    def __contains__(self, node: Node) -> bool:
        return id(node) in self._by_node


def record_grads() -> GradRecord:
    """``with chainrule.teach.record_grads() as rec: loss.backward()`` records every step."""
    return GradRecord()


def latest_record(root: Node) -> GradRecord | None:
    """The last finished record, if it ran the backward of ``root``."""
    record = _latest[0]
    if record is not None and root in record:
        return record
    return None
