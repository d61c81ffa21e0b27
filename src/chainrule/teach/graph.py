"""Walk a ``grad_fn`` graph into a plain :class:`GraphView` (nodes, edges, labels, stable ids).

The walk visits op nodes in exactly the order the backward engine runs them (dependency
counting from the output, a LIFO ready list), so ids ``n0, n1, ...`` read as "the order in which
the chain rule is applied": ``n0`` is the op that produced the output, each leaf gets the next
id when the first op that feeds it a gradient runs. The same program always gives the same ids
and byte-identical exports.

Only the public graph is read: ``tensor.grad_fn``, ``node.edges`` (``(target, output_nr)``,
target a Node or a leaf tensor), ``node.name()``, ``node.op.formula``, ``node.in_meta``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..autograd.function import Node
from ._format import fmt_array, fmt_dtype, fmt_num, fmt_shape, norm, short_op_name
from .record import GradRecord, latest_record

__all__ = ["GraphNode", "GraphEdge", "GraphView", "graph", "engine_order", "param_names"]


@dataclass
class GraphNode:
    """One box of the drawing.

    Attributes:
        id: stable id, ``n0`` for the op that produced the output.
        kind: ``"op"`` (a backward node), ``"param"`` (a named leaf), ``"leaf"`` (an unnamed
            leaf that requires grad) or ``"module"`` (a collapsed group, with ``depth``).
        name: torch's node name (``AddmmBackward0``), the leaf's name, or the module path.
        label: the short title drawn in the box (``Addmm``, ``fc1.weight``, ``fc1 (Linear)``).
        shape, dtype: of the op's output or of the leaf tensor.
        formula: the op's local derivative (``node.op.formula``); empty for leaves.
        grad: the formatted gradient of the output (``show_grads``), else None.
        group: the module path owning this node (used by ``depth``), else None.
        details: extra lines (a module's parameters) shown under the title.
    """

    id: str
    kind: str
    name: str
    label: str
    shape: tuple
    dtype: str
    formula: str = ""
    grad: str | None = None
    group: str | None = None
    details: tuple = ()

    def lines(self) -> list[str]:
        """The text lines of the box, title first."""
        out = [self.label]
        if self.kind == "module":
            out.append(f"out {fmt_shape(self.shape)} {self.dtype}")
        else:
            out.append(f"{fmt_shape(self.shape)} {self.dtype}")
        if self.grad is not None:
            out.append(self.grad)
        out.extend(self.details)
        return out


@dataclass
class GraphEdge:
    """Data flows ``src -> dst`` (the gradient flows back ``dst -> src``).

    ``input_nr`` is which input of ``dst`` this is, ``output_nr`` which output of ``src``.
    """

    src: str
    dst: str
    input_nr: int = 0
    output_nr: int = 0


@dataclass
class GraphView:
    """A plain, render-ready view of a backward graph. Edges are listed in backward order."""

    nodes: list[GraphNode] = field(default_factory=list)
    edges: list[GraphEdge] = field(default_factory=list)
    title: str = ""
    notes: list[str] = field(default_factory=list)
    # id -> the Node or leaf tensor behind it (empty for collapsed views); not part of equality
    objects: dict = field(default_factory=dict, repr=False, compare=False)

    def node(self, node_id: str) -> GraphNode:
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise KeyError(node_id)

    def to_text(self) -> str:
        """One line per node: id, kind, title, shape, and the ids it takes inputs from."""
        inputs: dict[str, list[str]] = {n.id: [] for n in self.nodes}
        for e in self.edges:
            inputs[e.dst].append(e.src)
        lines = []
        for n in self.nodes:
            src = ", ".join(inputs[n.id])
            head = f"{n.id:<4} {n.kind:<6} {n.label:<16} {fmt_shape(n.shape):<10} {n.dtype}"
            if n.kind == "op" and n.name != n.label:
                head += f"  [{n.name}]"
            if src:
                head += f"  <- {src}"
            if n.grad is not None:
                head += f"  {n.grad}"
            lines.append(head.rstrip())
        lines.extend(f"note: {note}" for note in self.notes)
        return "\n".join(lines) + "\n"

    __str__ = to_text

    def to_mermaid(self) -> str:
        from .render import to_mermaid  # noqa: PLC0415

        return to_mermaid(self)

    def to_dot(self) -> str:
        from .render import to_dot  # noqa: PLC0415

        return to_dot(self)

    def render(self, path) -> str:
        """Writes SVG or PNG (by the suffix of ``path``) with Graphviz's ``dot``; returns path."""
        from .render import render  # noqa: PLC0415

        return render(self, path)

    def to_html(self, path=None) -> str:
        """A self-contained HTML page (inline SVG + JS, no network); written to ``path`` if
        given. Returns the HTML text."""
        from .render_html import to_html  # noqa: PLC0415

        return to_html(self, path)


# -- traversal --------------------------------------------------------------------------------


def engine_order(root: Node) -> list[Node]:
    """The op nodes reachable from ``root`` in the order the engine runs their backward."""
    deps: dict[int, int] = {}
    stack = [root]
    seen = {id(root)}
    while stack:
        node = stack.pop()
        for edge in node.edges:
            if edge is None:
                continue
            target = edge[0]
            key = id(target)
            if key in deps:
                deps[key] += 1
            else:
                deps[key] = 1
                if isinstance(target, Node) and key not in seen:
                    seen.add(key)
                    stack.append(target)
    order: list[Node] = []
    ready = [root]
    while ready:
        node = ready.pop()
        order.append(node)
        for edge in node.edges:
            if edge is None:
                continue
            target = edge[0]
            key = id(target)
            deps[key] -= 1
            if deps[key] == 0 and isinstance(target, Node):
                ready.append(target)
    return order


def param_names(params: Any) -> tuple[dict[int, str], dict[str, str], list]:
    """``(id(tensor) -> name, module path -> class name, kept tensors)`` from ``params``.

    ``params`` may be a Module (anything with ``named_parameters``), an iterable of
    ``(name, tensor)`` pairs such as ``model.named_parameters()``, or a dict.
    """
    if params is None:
        return {}, {}, []
    classes: dict[str, str] = {}
    if hasattr(params, "named_parameters"):
        if hasattr(params, "named_modules"):
            classes = {path: type(m).__name__ for path, m in params.named_modules()}
        params = params.named_parameters()
    elif isinstance(params, dict):
        params = params.items()
    names: dict[int, str] = {}
    kept = []
    for name, tensor in params:
        names.setdefault(id(tensor), str(name))
        kept.append(tensor)
    return names, classes, kept


def graph(
    tensor, params: Any = None, show_grads: bool = False, depth: int | None = None
) -> GraphView:
    """The backward graph of ``tensor`` as a :class:`GraphView`.

    Args:
        tensor: the output (usually the loss); must have a ``grad_fn`` or require grad.
        params: names for leaves: ``model.named_parameters()``, a Module, or a dict. Named
            leaves are drawn as ``fc1.weight``; other leaves as ``input`` (``leaf`` when no
            names are given).
        show_grads: add each node's gradient (of the loss with respect to the node's output):
            the values for tensors with at most 6 elements, else the norm. Uses the gradients
            recorded by :func:`chainrule.teach.record_grads` (or :func:`explain`); otherwise
            re-runs the chain rule with ``autograd.grad`` when the graph is still alive
            (``backward(retain_graph=True)``), else shows only the leaves' ``.grad``.
        depth: collapse the graph to one box per module ``depth`` levels deep (``1``: top-level
            modules), found by parameter ownership; needs ``params``.

    Returns:
        GraphView with ``to_mermaid()``, ``to_dot()``, ``render(path)``, ``to_html(path)``.

    Example:
        >>> import chainrule as torch
        >>> w = torch.ones(2, requires_grad=True)
        >>> print(graph((w * 3).sum(), params={"w": w}).to_text(), end="")
        n0   op     Sum              ()         float32  [SumBackward0]  <- n1
        n1   op     Mul              (2,)       float32  [MulBackward0]  <- n2
        n2   param  w                (2,)       float32
    """
    names, classes, _kept = param_names(params)
    leaf_kind = "param" if names else "leaf"
    view = GraphView()
    root = tensor.grad_fn
    if root is None:
        if not getattr(tensor, "requires_grad", False):
            raise RuntimeError(
                "graph(): the tensor has no grad_fn and does not require grad: there is no "
                "backward graph to draw (compute it from tensors with requires_grad=True)"
            )
        name = names.get(id(tensor), "leaf")
        view.nodes.append(
            GraphNode(
                "n0",
                "param" if id(tensor) in names else "leaf",
                name,
                name,
                tuple(tensor.shape),
                fmt_dtype(tensor._data.dtype),
            )
        )
        view.title = name
        if show_grads and tensor.grad is not None:
            view.nodes[0].grad = fmt_grad(tensor.grad._data)
        return view

    order = engine_order(root)
    ids: dict[int, str] = {}
    objects: dict[str, Any] = {}
    meta: dict[int, tuple] = {id(root): (tuple(tensor.shape), tensor._data.dtype)}
    nodes: list[GraphNode] = []

    def new_id(obj) -> str:
        nid = f"n{len(ids)}"
        ids[id(obj)] = nid
        objects[nid] = obj
        return nid

    for node in order:
        nid = new_id(node)
        shape, dtype = meta[id(node)]
        name = node.name()
        nodes.append(
            GraphNode(
                nid,
                "op",
                name,
                short_op_name(name),
                tuple(shape),
                fmt_dtype(dtype),
                formula=getattr(node.op, "formula", "") or "",
            )
        )
        for k, edge in enumerate(node.edges):
            if edge is None:
                continue
            target = edge[0]
            if id(target) not in meta:
                if isinstance(target, Node):
                    if getattr(target, "n_out", 1) > 1 and getattr(target, "out_meta", None):
                        meta[id(target)] = target.out_meta[0]
                    else:
                        meta[id(target)] = node.in_meta[k]
                else:
                    meta[id(target)] = (target._data.shape, target._data.dtype)
            if not isinstance(target, Node) and id(target) not in ids:
                lid = new_id(target)
                leaf_name = names.get(id(target))
                kind = "param" if leaf_name is not None else "leaf"
                if leaf_name is None:
                    leaf_name = "input" if leaf_kind == "param" else "leaf"
                nodes.append(
                    GraphNode(
                        lid,
                        kind,
                        leaf_name,
                        leaf_name,
                        tuple(target.shape),
                        fmt_dtype(target._data.dtype),
                    )
                )
    edges = []
    for node in order:
        for k, edge in enumerate(node.edges):
            if edge is not None:
                edges.append(GraphEdge(ids[id(edge[0])], ids[id(node)], k, edge[1]))
    view.nodes, view.edges, view.objects = nodes, edges, objects
    view.title = f"backward graph of {root.name()} ({len(order)} ops)"

    if show_grads:
        _attach_grads(view, tensor, order, objects)
    if depth is not None:
        if not names:
            raise ValueError(
                "graph(depth=...) groups nodes by module: pass params=model or "
                "params=model.named_parameters()"
            )
        from .grouping import collapse  # noqa: PLC0415

        view = collapse(view, names, classes, int(depth))
    return view


def fmt_grad(a: np.ndarray) -> str:
    """``grad [0.1, 0.2]`` for at most 6 elements, else ``grad norm 1.234`` (the L2 norm)."""
    a = np.asarray(a)
    if a.size <= 6:
        return f"grad {fmt_array(a, limit=6)}"
    return f"grad norm {fmt_num(norm(a))}"


def _attach_grads(view: GraphView, tensor, order: list, objects: dict) -> None:
    record = latest_record(order[0])
    if record is None:
        record = _rerun(tensor, objects)
    if record is None:
        view.notes.append(
            "op gradients unavailable: backward() freed the graph; call backward(retain_graph="
            "True) or run it inside `with chainrule.teach.record_grads():` (leaves show .grad)"
        )
    for n in view.nodes:
        obj = objects[n.id]
        if isinstance(obj, Node):
            g = record.output_grad(obj) if record is not None else None
        else:
            g = record.leaf_grad(obj) if record is not None else None
            if g is None and obj.grad is not None:
                g = obj.grad._data
        if g is not None:
            n.grad = fmt_grad(g)


def _rerun(tensor, objects: dict) -> GradRecord | None:
    from .. import autograd  # noqa: PLC0415

    leaves = [obj for obj in objects.values() if not isinstance(obj, Node)]
    record = GradRecord()
    seed = None
    if tensor._data.size != 1:  # a non-scalar output: differentiate its sum, as the explainer
        from .._creation import ones_like  # noqa: PLC0415

        seed = ones_like(tensor)
    try:
        with record:
            autograd.grad(tensor, leaves, grad_outputs=seed, retain_graph=True, allow_unused=True)
    except RuntimeError as err:
        if "second time" in str(err) or "freed" in str(err):
            return None
        raise
    return record
