"""Collapse a :class:`GraphView` to one box per module (``graph(..., depth=k)``).

Ownership comes from parameter names: ``fc1.weight`` belongs to module ``fc1`` (at depth 1;
``layer1.0.conv1.weight`` belongs to ``layer1`` at depth 1 and ``layer1.0`` at depth 2). An op
belongs to the module whose parameters it reads directly (``Addmm`` reading ``fc1.weight``). An
op that reads no parameter joins a module when everything it reads and everything that reads it
belong to that module (the ReLU between two convolutions of one block); otherwise it stays its
own box (the ReLU between ``fc1`` and ``fc2``, a loss, a residual add between blocks).
"""

from __future__ import annotations

from ._format import fmt_shape
from .graph import GraphEdge, GraphNode, GraphView

__all__ = ["collapse"]


def _module_of(name: str, depth: int) -> str | None:
    parts = name.split(".")[:-1]
    if not parts:
        return None
    return ".".join(parts[:depth])


def collapse(view: GraphView, names: dict, classes: dict, depth: int) -> GraphView:
    if depth < 1:
        raise ValueError(f"graph(depth=...) must be >= 1, got {depth}")
    group: dict[str, str | None] = {}
    for n in view.nodes:
        group[n.id] = _module_of(n.name, depth) if n.kind == "param" else None
    inputs: dict[str, list[str]] = {n.id: [] for n in view.nodes}
    consumers: dict[str, list[str]] = {n.id: [] for n in view.nodes}
    for e in view.edges:
        inputs[e.dst].append(e.src)
        consumers[e.src].append(e.dst)
    kinds = {n.id: n.kind for n in view.nodes}
    for n in view.nodes:  # ops that read parameters of exactly one module
        if n.kind != "op":
            continue
        owners = []
        for src in inputs[n.id]:
            g = group[src] if kinds[src] == "param" else None
            if g is not None and g not in owners:
                owners.append(g)
        if len(owners) == 1:
            group[n.id] = owners[0]
    changed = True
    while changed:  # ops sandwiched inside one module join it
        changed = False
        for n in view.nodes:
            if n.kind != "op" or group[n.id] is not None:
                continue
            below = [group[s] for s in inputs[n.id] if kinds[s] == "op"]
            above = [group[c] for c in consumers[n.id]]
            around = below + above
            if below and above and around[0] is not None and all(g == around[0] for g in around):
                group[n.id] = around[0]
                changed = True

    out = GraphView(title=view.title + f" (modules at depth {depth})", notes=list(view.notes))
    new_id: dict[str, str] = {}
    boxes: dict[str, GraphNode] = {}
    for n in view.nodes:
        g = group[n.id]
        if g is None:
            nid = f"n{len(out.nodes)}"
            new_id[n.id] = nid
            out.nodes.append(
                GraphNode(nid, n.kind, n.name, n.label, n.shape, n.dtype, n.formula, n.grad)
            )
            continue
        box = boxes.get(g)
        if box is None:
            nid = f"n{len(out.nodes)}"
            cls = classes.get(g)
            label = f"{g} ({cls})" if cls else g
            box = GraphNode(
                nid,
                "module",
                g,
                label,
                n.shape,
                n.dtype,
                group=g,
                grad=n.grad if n.kind == "op" else None,
            )
            boxes[g] = box
            out.nodes.append(box)
        new_id[n.id] = box.id
        if n.kind == "param":
            local = n.name[len(g) + 1 :]
            line = f"{local} {fmt_shape(n.shape)}"
            if n.grad is not None:
                line += f" {n.grad}"
            box.details = (*box.details, line)
        elif n.kind == "op":
            box.formula = (box.formula + "\n" if box.formula else "") + f"{n.label}: {n.formula}"
    seen = set()
    for e in view.edges:
        src, dst = new_id[e.src], new_id[e.dst]
        if src == dst or (src, dst) in seen:
            continue
        seen.add((src, dst))
        out.edges.append(GraphEdge(src, dst, e.input_nr, e.output_nr))
    return out
