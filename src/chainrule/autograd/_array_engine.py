"""The engine's fast path: ``loss.backward()`` with no graph of the backward pass to build.

Same traversal and the same rules as ``engine.run_backward`` (dependency counting, summing a
node's gradients, reducing broadcast gradients once here, dtype casts, freeing saved data,
hooks), but gradients travel as raw arrays: ops with ``backward_arrays`` never see a Tensor,
and the others get their gradients wrapped on the way in and unwrapped on the way out. Used when
``create_graph=False``, no ``inputs=`` capture, no listener and no anomaly mode — the common
training step. Everything else goes through ``engine.run_backward``.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

import numpy as np

from .._fp import QUIET as _FP_QUIET
from .._fp import STATE as _FP_STATE
from .._fp import quiet_fp
from . import function as _fn
from .function import Node
from .grad_mode import STATE as _GRAD

_FREED = _fn._FREED

_ndarray = np.ndarray


def sum_to_shape(g, shape: tuple, node: Node, k: int):
    """Sums a broadcast gradient array down to ``shape`` (the input's shape)."""
    lead = g.ndim - len(shape)
    if lead >= 0:
        gshape = g.shape
        axes = tuple(range(lead)) + tuple(
            i + lead for i, s in enumerate(shape) if s == 1 and gshape[i + lead] != 1
        )
        out = g.sum(axis=axes, keepdims=True) if axes else g
        if lead:
            out = out.reshape(out.shape[lead:])
        if out.shape == tuple(shape):
            return out
    if g.size == int(np.prod(shape)):
        return g.reshape(shape)
    raise RuntimeError(
        f"Function {node.name()} returned an invalid gradient at index {k} - got "
        f"{list(g.shape)} but expected shape compatible with {list(shape)}"
    )


def _as_array(g):
    # NumPy arithmetic on 0-d arrays returns scalars; keep everything an ndarray
    return g if type(g) is _ndarray or g is None else np.asarray(g)


def run(tensors: Sequence[Any], grad_tensors: Sequence[Any], retain_graph: bool) -> None:
    make = _fn._make
    buffers: dict = {}
    leaf_buffers: dict = {}
    roots: list = []
    for t, g in zip(tensors, grad_tensors):
        data = g._data
        fn = t.grad_fn
        if fn is None:
            prev = leaf_buffers.get(t)
            leaf_buffers[t] = data if prev is None else _as_array(prev + data)
            continue
        buf = buffers.get(fn)
        if buf is None:
            buf = buffers[fn] = [None] * fn.n_out
            roots.append(fn)
        nr = t._output_nr
        buf[nr] = data if buf[nr] is None else _as_array(buf[nr] + data)
    _run(roots, buffers, leaf_buffers, {id(g._data) for g in grad_tensors}, retain_graph, make)


def run_from(root: Node, output_nr: int, grad, retain_graph: bool) -> None:
    """``run`` for the common call: one output with a graph (``loss.backward()``), ``grad``
    its gradient array."""
    buf = [None] * root.n_out
    buf[output_nr] = grad
    _run([root], {root: buf}, {}, {id(grad)}, retain_graph, _fn._make)


def _dependencies(roots: list) -> dict:
    """How many gradients each node will receive (``engine._count_dependencies``, nodes only:
    leaves are finished after the pass, so their count is not needed).

    A node is expanded when first reached; roots are expanded once, from the start, even
    when one is also reached from another (the graph is acyclic, so one root never is)."""
    deps: dict = {}
    stack = list(roots)
    many = len(roots) > 1
    get = deps.get
    while stack:
        for edge in stack.pop().edges:
            if edge is None:
                continue
            target = edge[0]
            if isinstance(target, Node):
                count = get(target)
                if count is None:
                    deps[target] = 1
                    if not (many and target in roots):
                        stack.append(target)
                else:
                    deps[target] = count + 1
    return deps


def _run(roots: list, buffers: dict, leaf_buffers: dict, stored: set, retain_graph: bool,
         make) -> None:
    deps = _dependencies(roots)
    ready = [n for n in roots if n not in deps]
    ready.reverse()
    prev_mode = _GRAD.enabled
    _GRAD.enabled = False
    # torch never warns about inf/NaN arithmetic in backward: NumPy ignores fp errors for the
    # whole pass (chainrule._fp; set inline, a ``with`` costs more than the setting itself)
    if _FP_STATE is not None:
        fp_token = _FP_STATE.set(_FP_QUIET)
    else:
        fp_errors = quiet_fp()
        fp_errors.__enter__()
    pop_buffer = buffers.pop
    try:
        while ready:
            node = ready.pop()
            grads = pop_buffer(node, None)
            if grads is None:  # no gradient reached this node: pass the news on
                for edge in node.edges:
                    if edge is not None and isinstance(edge[0], Node):
                        target = edge[0]
                        count = deps[target] - 1
                        deps[target] = count
                        if count == 0:
                            ready.append(target)
                continue
            if node.n_out > 1 and node.materialize_grads:
                for i, g in enumerate(grads):
                    if g is None and node.out_meta[i] is not None:
                        shape, dtype = node.out_meta[i]
                        grads[i] = np.zeros(shape, dtype)
            if node.pre_hooks or node.retained:
                grads = _tensor_hooks(node, grads, make)
            op = node.op
            fast = getattr(op, "backward_arrays", None)
            if fast is not None:
                raw = fast(node, *grads)
                if type(raw) is not tuple:
                    raw = (raw,)
            else:
                outs = op.backward(node, *[None if g is None else make(g, False, None)
                                           for g in grads])
                if type(outs) is not tuple:
                    outs = (outs,)
                raw = tuple(None if g is None else _unwrap(g, node, k) for k, g in
                            enumerate(outs))
            if not retain_graph and node.saved is not None:
                node.saved = _FREED
            edges = node.edges
            n_edges = len(edges)
            if len(raw) != n_edges:
                raw = _check_count(raw, n_edges, node)
            if node.post_hooks:
                _post_hooks(node, raw, grads, make)
            for edge, g, meta in zip(edges, raw, node.in_meta):
                if edge is None:
                    continue
                target = edge[0]
                if g is not None:
                    if type(g) is not _ndarray:
                        g = np.asarray(g)
                    shape, dtype = meta
                    if g.shape != shape:
                        g = sum_to_shape(g, shape, node, _position(edges, edge))
                    if g.dtype is not dtype and g.dtype != dtype:
                        g = g.astype(dtype)
                if isinstance(target, Node):
                    if g is not None:
                        buf = buffers.get(target)
                        if buf is None:
                            if target.n_out == 1:
                                buffers[target] = [g]
                            else:
                                buf = buffers[target] = [None] * target.n_out
                                buf[edge[1]] = g
                        else:
                            nr = edge[1]
                            buf[nr] = g if buf[nr] is None else _as_array(buf[nr] + g)
                    count = deps[target] - 1
                    deps[target] = count
                    if count == 0:
                        ready.append(target)
                elif g is not None:
                    prev = leaf_buffers.get(target)
                    leaf_buffers[target] = g if prev is None else _as_array(prev + g)

        for leaf, g in leaf_buffers.items():
            if leaf._hooks:
                g = _leaf_hooks(leaf, g, make)
            _accumulate(leaf, g, stored, make)
    finally:
        _GRAD.enabled = prev_mode
        if _FP_STATE is not None:
            _FP_STATE.reset(fp_token)
        else:
            fp_errors.__exit__(None, None, None)


def _position(edges: list, edge) -> int:
    """Which input an edge belongs to (for error messages only; each edge is its own tuple)."""
    for k, e in enumerate(edges):
        if e is edge:
            return k
    return -1


def _check_count(raw: tuple, n_edges: int, node: Node) -> tuple:
    if len(raw) > n_edges and all(g is None for g in raw[n_edges:]):
        return raw[:n_edges]  # torch allows extra trailing None gradients
    raise RuntimeError(
        f"function {node.name()} returned an incorrect number of gradients "
        f"(expected {n_edges}, got {len(raw)})"
    )


def _post_hooks(node: Node, raw: tuple, grads: list, make) -> None:
    wrapped_in = tuple(None if g is None else make(_as_array(g), False, None) for g in raw)
    wrapped_out = tuple(None if g is None else make(g, False, None) for g in grads)
    for hook in node.post_hooks:
        hook(wrapped_in, wrapped_out)


def _leaf_hooks(leaf, g, make):
    gt = make(g, False, None)
    for hook in list(leaf._hooks.values()):
        result = hook(gt)
        if result is not None:
            gt = result
    return _as_array(gt._data)


def _unwrap(g, node: Node, k: int):
    if not isinstance(g, _fn.Tensor):
        raise TypeError(
            f"{node.name()}.backward returned {type(g).__name__} for input {k}; expected a "
            "Tensor or None"
        )
    return g._data


def _tensor_hooks(node: Node, grads: list, make) -> list:
    """Runs tensor hooks and retain_grad on this node's outputs (they see Tensors)."""
    from .engine import _retain, _run_pre_hooks  # noqa: PLC0415

    tgrads = [None if g is None else make(g, False, None) for g in grads]
    if node.pre_hooks:
        tgrads = _run_pre_hooks(node, tgrads)
    if node.retained:
        _retain(node, tgrads)
    return [None if g is None else g._data for g in tgrads]


def _accumulate(leaf, g, stored: set, make) -> None:
    # A gradient array may be shared: add's backward hands the same array to both inputs, and
    # view ops return views of their upstream gradient. ``.grad`` must own its memory (users
    # and clip_grad_norm_ change it in place), so store a copy unless the array is fresh.
    old = leaf._grad
    if old is None:
        if g.base is not None or id(g) in stored or not g.flags.writeable:
            g = g.copy()
        stored.add(id(g))
        leaf._grad = make(g, False, None)
    elif old._rg:
        leaf._grad = old + make(g, False, None)
    else:
        old._data = _as_array(old._data + g)
        old._vc[0] += 1
