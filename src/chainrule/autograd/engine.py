"""The backward engine: runs the recorded graph from the outputs back to the leaves.

Traversal is iterative with dependency counting (no recursion, no sorting): a node runs once
every node that feeds it a gradient has run, so a node reached along several paths receives the
sum of its gradients. The engine alone reduces a gradient to its input's shape after
broadcasting (ops never do) and casts it to the input's dtype. Saved data is released after a
node runs unless ``retain_graph``.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Callable, Sequence

import numpy as _np

from .._fp import quiet_fp
from . import _array_engine
from . import function as _fn
from .function import Node
from .grad_mode import STATE as _GRAD

_generic = _np.generic  # NumPy arithmetic on 0-d arrays returns scalars

__all__ = ["run_backward", "add_listener", "remove_listener"]

sum_to_shape: Callable = None  # type: ignore[assignment]  # set by chainrule.ops.reduction
_listeners: list = []


def add_listener(fn) -> None:
    """``fn(node, grad_outputs, grad_inputs)`` is called after each node's backward."""
    _listeners.append(fn)


def remove_listener(fn) -> None:
    if fn in _listeners:
        _listeners.remove(fn)


def _count_dependencies(roots: Sequence[Node]) -> dict:
    deps: dict = {}
    stack = list(roots)
    seen = set(map(id, roots))
    while stack:
        node = stack.pop()
        for edge in node.edges:
            if edge is None:
                continue
            target = edge[0]
            count = deps.get(target)
            if count is None:
                deps[target] = 1
                if isinstance(target, Node) and id(target) not in seen:
                    seen.add(id(target))
                    stack.append(target)
            else:
                deps[target] = count + 1
    return deps


def array_engine_applies() -> bool:
    """Whether a plain ``backward()`` may take the array engine: no listener (the explainer's
    trace) and no anomaly mode, which both need Tensors at every node."""
    return not _listeners and not (_fn._anomaly is not None and _fn._anomaly.STATE.enabled)


def _leads_to_inputs(roots: Sequence[Node], capture_leaf: dict, capture_node: dict) -> dict:
    """For ``autograd.grad``/``backward(inputs=...)``: which nodes have an input below them.

    Like torch, the engine then runs only those; the rest of the graph is left untouched (its
    saved tensors are not needed, and not freed). Iterative post-order DFS over the DAG.
    """
    needed: dict = {}
    stack = [(r, False) for r in roots]
    while stack:
        node, expanded = stack.pop()
        key = id(node)
        if not expanded:
            if key in needed:
                continue
            needed[key] = False
            stack.append((node, True))
            for edge in node.edges:
                if edge is not None and isinstance(edge[0], Node) and id(edge[0]) not in needed:
                    stack.append((edge[0], False))
            continue
        hit = node in capture_node
        if not hit:
            for edge in node.edges:
                if edge is None:
                    continue
                target = edge[0]
                if needed.get(id(target)) if isinstance(target, Node) else target in capture_leaf:
                    hit = True
                    break
        needed[key] = hit
    return needed


def _add(a, b):
    return b if a is None else a + b


def run_backward(
    tensors: Sequence[Any],
    grad_tensors: Sequence[Any],
    retain_graph: bool,
    create_graph: bool,
    inputs: Sequence[Any] | None = None,
    allow_unused: bool = False,
    accumulate: bool = True,
):
    """Backpropagates ``grad_tensors`` from ``tensors``.

    With ``accumulate`` (``Tensor.backward``) leaf gradients are added to ``.grad``; otherwise
    (``autograd.grad``) the gradients of ``inputs`` are returned and no ``.grad`` changes.
    """
    if inputs is None and accumulate and not create_graph and array_engine_applies():
        return _array_engine.run(tensors, grad_tensors, retain_graph)
    Tensor = _fn.Tensor
    capture_leaf: dict = {}
    capture_node: dict = {}
    if inputs is not None:
        for i, t in enumerate(inputs):
            if t.grad_fn is None:
                capture_leaf.setdefault(t, []).append(i)
            else:
                capture_node.setdefault(t.grad_fn, []).append((t._output_nr, i))
    captured: list = [None] * (len(inputs) if inputs is not None else 0)

    roots: list[Node] = []
    buffers: dict = {}
    leaf_buffers: dict = {}
    for t, g in zip(tensors, grad_tensors):
        fn = t.grad_fn
        if fn is None:
            if not t._rg:
                raise RuntimeError(
                    "element 0 of tensors does not require grad and does not have a grad_fn"
                )
            leaf_buffers[t] = _add(leaf_buffers.get(t), g)
            continue
        buf = buffers.get(fn)
        if buf is None:
            buf = buffers[fn] = [None] * fn.n_out
            roots.append(fn)
        buf[t._output_nr] = _add(buf[t._output_nr], g)

    deps = _count_dependencies(roots)
    needed = _leads_to_inputs(roots, capture_leaf, capture_node) if inputs is not None else None
    ready = [n for n in roots if n not in deps]
    ready.reverse()
    listeners = _listeners
    anomaly = _fn._anomaly
    check_nan = anomaly is not None and anomaly.STATE.enabled

    make = _fn._make
    prev_mode = _GRAD.enabled
    _GRAD.enabled = create_graph
    # torch never warns about inf/NaN arithmetic in backward (e.g. -inf logits give NaN
    # gradients silently); one quiet state for the whole pass (chainrule._fp), not one per node
    fp_errors = quiet_fp()
    fp_errors.__enter__()
    try:
        while ready:
            node = ready.pop()
            grads = buffers.pop(node, None)
            if needed is not None and not needed[id(node)]:
                grads = None  # no input below: skip it (torch's pruning for autograd.grad)
            if grads is None:  # no gradient reached this node: pass the news on
                _propagate_none(node, deps, ready, leaf_buffers)
                continue
            if node.n_out > 1:
                _materialize(node, grads, Tensor)
            if node.pre_hooks:
                grads = _run_pre_hooks(node, grads)
            if node.retained:
                _retain(node, grads)
            if capture_node and node in capture_node:
                for nr, i in capture_node[node]:
                    captured[i] = grads[nr]
            fast = None if create_graph else getattr(node.op, "backward_arrays", None)
            if check_nan:
                grad_inputs = anomaly.run_node(node, grads)
            elif fast is not None:
                # Same formula on raw arrays: no graph is being built, so skip the Tensor layer.
                raw = fast(node, *[None if g is None else g._data for g in grads])
                if type(raw) is not tuple:
                    raw = (raw,)
                grad_inputs = tuple(
                    None if r is None else make(_np.asarray(r) if isinstance(r, _generic) else r,
                                                False, None)
                    for r in raw
                )
            else:
                grad_inputs = node.op.backward(node, *grads)
            if type(grad_inputs) is not tuple:
                grad_inputs = (grad_inputs,)
            if not retain_graph:
                node._release()
            edges = node.edges
            if len(grad_inputs) > len(edges) and all(
                g is None for g in grad_inputs[len(edges):]
            ):
                # as torch: extra trailing None gradients are allowed (the official
                # LinearFunction tutorial returns grad_bias=None when bias was not passed)
                grad_inputs = grad_inputs[: len(edges)]
            if len(grad_inputs) != len(edges):
                raise RuntimeError(
                    f"function {node.name()} returned an incorrect number of gradients "
                    f"(expected {len(edges)}, got {len(grad_inputs)})"
                )
            if node.post_hooks:
                for hook in node.post_hooks:
                    hook(grad_inputs, tuple(grads))
            if listeners:
                for listener in listeners:
                    listener(node, grads, grad_inputs)
            in_meta = node.in_meta
            for k in range(len(edges)):
                edge = edges[k]
                if edge is None:
                    continue
                g = grad_inputs[k]
                target = edge[0]
                if g is not None:
                    if not isinstance(g, Tensor):
                        raise TypeError(
                            f"{node.name()}.backward returned {type(g).__name__} for input {k}; "
                            "expected a Tensor or None"
                        )
                    shape, dtype = in_meta[k]
                    data = g._data
                    if data.shape != shape:
                        g = sum_to_shape(g, shape, node, k)
                    if data.dtype != dtype:
                        g = g.to(_dtype_of(dtype))
                    if isinstance(target, Node):
                        buf = buffers.get(target)
                        if buf is None:
                            buf = buffers[target] = [None] * target.n_out
                        nr = edge[1]
                        buf[nr] = g if buf[nr] is None else buf[nr] + g
                    else:
                        prev = leaf_buffers.get(target)
                        leaf_buffers[target] = g if prev is None else prev + g
                count = deps[target] - 1
                deps[target] = count
                if count == 0 and isinstance(target, Node):
                    ready.append(target)

        given = {id(g._data) for g in grad_tensors if g is not None}
        for leaf, g in leaf_buffers.items():
            if g is None:
                continue
            hooks = leaf._hooks
            if hooks:
                for hook in list(hooks.values()):
                    result = hook(g)
                    if result is not None:
                        g = result
            if leaf in capture_leaf:
                for i in capture_leaf[leaf]:
                    captured[i] = g
            elif accumulate:
                shared = id(g._data) in given
                given.add(id(g._data))
                _accumulate(leaf, g, create_graph, shared)
    finally:
        _GRAD.enabled = prev_mode
        fp_errors.__exit__(None, None, None)

    if inputs is not None:
        for i in range(len(inputs)):
            if captured[i] is None and not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in "
                    "the graph. Set allow_unused=True if this is the desired behavior."
                )
        return tuple(captured)
    return None


def _propagate_none(node: Node, deps: dict, ready: list, leaf_buffers: dict) -> None:
    for edge in node.edges:
        if edge is None:
            continue
        target = edge[0]
        count = deps[target] - 1
        deps[target] = count
        if count == 0 and isinstance(target, Node):
            ready.append(target)


def _materialize(node: Node, grads: list, Tensor) -> None:
    if not node.materialize_grads:
        return
    for i, g in enumerate(grads):
        if g is None and node.out_meta[i] is not None:
            shape, dtype = node.out_meta[i]
            import numpy as np  # noqa: PLC0415

            grads[i] = _fn._make(np.zeros(shape, dtype), False, None)


def _run_pre_hooks(node: Node, grads: list) -> list:
    grads = list(grads)
    for nr, hook in list(node.pre_hooks):
        if nr < 0:
            result = hook(tuple(grads))
            if result is not None:
                grads = list(result)
        elif grads[nr] is not None:
            result = hook(grads[nr])
            if result is not None:
                grads[nr] = result
    return grads


def _retain(node: Node, grads: list) -> None:
    for nr, ref in list(node.retained.items()):
        t = ref()
        if t is None or grads[nr] is None:
            continue
        g = grads[nr]
        if t._grad is None:
            t._grad = g.detach() if not _GRAD.enabled else g
        else:
            t._grad = t._grad + g


def _accumulate(leaf, g, create_graph: bool, shared: bool) -> None:
    # Never alias: a backward may hand the same gradient array to several leaves (add's
    # backward returns dy twice), so the first store keeps it and later ones add out of place.
    if not create_graph:
        g = g.detach() if g.grad_fn is not None else g
    old = leaf._grad
    if old is None:
        if shared and not create_graph:
            g = _fn._make(g._data.copy(), False, None)
        leaf._grad = g
    elif create_graph or old._rg:
        leaf._grad = old + g
    else:
        old._data = old._data + g._data
        old._vc[0] += 1


_DTYPE_CACHE: dict = {}


def _dtype_of(np_dtype):
    from .._dtypes import from_numpy_dtype  # noqa: PLC0415

    return from_numpy_dtype(np_dtype)
