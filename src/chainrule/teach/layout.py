"""A small layered (Sugiyama-style) layout for the HTML page: no Graphviz needed.

1. Layers: the output sits in layer 0 at the bottom; every other node one layer above the
   highest node it feeds (longest path), so all arrows point down.
2. Edges that skip layers get invisible bend points, one per skipped layer.
3. Order within layers: barycenter sweeps (up, then down, four rounds), ties kept in id order.
4. x positions: each box pulled towards the mean x of its neighbours, then overlaps pushed
   apart left-to-right and right-to-left.

Deterministic: the same view always gets the same coordinates.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from .graph import GraphView

__all__ = ["Box", "Layout", "layered_layout", "CHAR_W", "LINE_H"]

CHAR_W = 7.0  # px per character of the 12px monospace font used for labels
LINE_H = 16.0
PAD_X, PAD_Y = 10.0, 8.0
GAP_X, GAP_Y = 28.0, 56.0
MARGIN = 20.0
DUMMY_W = 8.0  # a bend point keeps this much room, so long edges pass between boxes


@dataclass
class Box:
    id: str
    layer: int
    w: float
    h: float
    x: float = 0.0  # center
    y: float = 0.0  # top
    dummy: bool = False


@dataclass
class Layout:
    boxes: dict[str, Box]
    routes: list[list[tuple[float, float]]]  # per view edge: points from src bottom to dst top
    width: float
    height: float
    layers: list[list[str]] = field(default_factory=list)


def _layers(view: GraphView) -> dict[str, int]:
    consumers: dict[str, list[str]] = {n.id: [] for n in view.nodes}
    inputs: dict[str, list[str]] = {n.id: [] for n in view.nodes}
    for e in view.edges:
        consumers[e.src].append(e.dst)
        inputs[e.dst].append(e.src)
    waiting = {nid: len(set(c)) for nid, c in consumers.items()}
    ready = deque(n.id for n in view.nodes if waiting[n.id] == 0)
    layer: dict[str, int] = {}
    while ready:  # Kahn's order from the output towards the leaves
        nid = ready.popleft()
        layer[nid] = max((layer[c] + 1 for c in consumers[nid]), default=0)
        for src in dict.fromkeys(inputs[nid]):
            waiting[src] -= 1
            if waiting[src] == 0:
                ready.append(src)
    return layer


def layered_layout(view: GraphView) -> Layout:
    layer = _layers(view)
    boxes: dict[str, Box] = {}
    for n in view.nodes:
        lines = n.lines()
        w = max(len(s) for s in lines) * CHAR_W + 2 * PAD_X
        h = len(lines) * LINE_H + 2 * PAD_Y
        boxes[n.id] = Box(n.id, layer[n.id], w, h)
    n_layers = max(layer.values(), default=0) + 1
    rows: list[list[str]] = [[] for _ in range(n_layers)]
    for n in view.nodes:
        rows[layer[n.id]].append(n.id)
    # chains of bend points for edges that skip layers
    chains: list[list[str]] = []
    up: dict[str, list[str]] = {b: [] for b in boxes}  # neighbours one layer up (inputs)
    down: dict[str, list[str]] = {b: [] for b in boxes}  # one layer down (consumers)
    for k, e in enumerate(view.edges):
        chain = [e.src]
        for lay in range(layer[e.src] - 1, layer[e.dst], -1):
            did = f"_d{k}_{lay}"
            boxes[did] = Box(did, lay, DUMMY_W, 0.0, dummy=True)
            rows[lay].append(did)
            up[did], down[did] = [], []
            chain.append(did)
        chain.append(e.dst)
        for a, b in zip(chain, chain[1:]):
            down[a].append(b)
            up[b].append(a)
        chains.append(chain)

    pos = {bid: i for row in rows for i, bid in enumerate(row)}

    def sweep(row_ids: list[str], neighbours: dict) -> list[str]:
        def key(item):
            i, bid = item
            ns = neighbours[bid]
            bary = sum(pos[x] for x in ns) / len(ns) if ns else float(pos[bid])
            return (bary, i)

        ordered = [bid for _, bid in sorted(enumerate(row_ids), key=key)]
        for i, bid in enumerate(ordered):
            pos[bid] = i
        return ordered

    for _ in range(4):
        for lay in range(1, n_layers):
            rows[lay] = sweep(rows[lay], down)
        for lay in range(n_layers - 2, -1, -1):
            rows[lay] = sweep(rows[lay], up)

    # y: the output (layer 0) at the bottom
    heights = [max((boxes[b].h for b in row), default=0.0) for row in rows]
    y = MARGIN
    for lay in range(n_layers - 1, -1, -1):
        for bid in rows[lay]:
            b = boxes[bid]
            if b.dummy:  # a vertical segment through the whole layer band
                b.y, b.h = y, heights[lay]
            else:
                b.y = y + (heights[lay] - b.h) / 2
        y += heights[lay] + GAP_Y
    height = y - GAP_Y + MARGIN

    # x: start packed, then pull towards neighbours and resolve overlaps
    for row in rows:
        x = 0.0
        for bid in row:
            b = boxes[bid]
            b.x = x + b.w / 2
            x += b.w + GAP_X
    for it in range(8):
        order = range(n_layers) if it % 2 == 0 else range(n_layers - 1, -1, -1)
        for lay in order:
            row = rows[lay]
            want = []
            for bid in row:
                ns = up[bid] + down[bid]
                want.append(sum(boxes[x].x for x in ns) / len(ns) if ns else boxes[bid].x)
            _place(row, want, boxes)
    min_x = min((b.x - b.w / 2 for b in boxes.values()), default=0.0)
    for b in boxes.values():
        b.x += MARGIN - min_x
    width = max((b.x + b.w / 2 for b in boxes.values()), default=0.0) + MARGIN

    routes = []
    for chain in chains:
        pts = []
        src, dst = boxes[chain[0]], boxes[chain[-1]]
        pts.append((src.x, src.y + src.h))
        for bid in chain[1:-1]:
            d = boxes[bid]
            pts += [(d.x, d.y), (d.x, d.y + d.h)]
        pts.append((dst.x, dst.y))
        routes.append(pts)
    return Layout(
        {k: v for k, v in boxes.items() if not v.dummy},
        routes,
        width,
        height,
        [[b for b in row if not boxes[b].dummy] for row in rows],
    )


def _place(row: list[str], want: list[float], boxes: dict) -> None:
    """Centres as close to ``want`` as the order and the gaps allow.

    Pushing overlaps right alone drifts everything right, pushing left drifts left; the mean of
    the two is still overlap-free (the separation constraints are convex) and balanced.
    """
    n = len(row)
    sep = [boxes[row[i]].w / 2 + GAP_X + boxes[row[i + 1]].w / 2 for i in range(n - 1)]
    right = list(want)
    for i in range(1, n):
        right[i] = max(right[i], right[i - 1] + sep[i - 1])
    left = list(want)
    for i in range(n - 2, -1, -1):
        left[i] = min(left[i], left[i + 1] - sep[i])
    for i, bid in enumerate(row):
        boxes[bid].x = (right[i] + left[i]) / 2
