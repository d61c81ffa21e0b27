"""A self-contained HTML page of a :class:`GraphView`: inline SVG laid out by
:mod:`chainrule.teach.layout`, a little inline JS for clicking a node (its formula, gradient and
neighbours). No network, no CDN, no Graphviz: the file opens anywhere, offline.
"""

from __future__ import annotations

import html
import json
import os

from .graph import GraphView
from .layout import LINE_H, PAD_Y, layered_layout
from .render import COLORS

__all__ = ["to_html"]

_CSS = """
body { font-family: system-ui, sans-serif; margin: 16px; color: #111; background: #fff; }
h1 { font-size: 18px; margin: 0 0 4px 0; }
p.hint { color: #555; font-size: 13px; margin: 0 0 8px 0; }
#wrap { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
#graph { border: 1px solid #ddd; border-radius: 6px; overflow: auto; max-width: 100%; }
#info { font-size: 13px; min-width: 260px; max-width: 420px; white-space: pre-wrap;
        font-family: ui-monospace, monospace; border: 1px solid #ddd; border-radius: 6px;
        padding: 8px; }
svg text { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-size: 12px; }
g.node { cursor: pointer; }
text.nid { font-size: 9px; fill: #888; }
g.node.sel rect { stroke-width: 3; }
path.edge { fill: none; stroke: #777; stroke-width: 1.4; }
path.edge.hot { stroke: #d33; stroke-width: 2.4; }
.legend span { display: inline-block; padding: 1px 8px; margin-right: 6px; border-radius: 4px;
               font-size: 12px; border: 1px solid; }
"""

_JS = """
(function () {
  var data = JSON.parse(document.getElementById('graph-data').textContent);
  var info = document.getElementById('info');
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  function show(id) {
    var n = byId[id];
    document.querySelectorAll('g.node').forEach(function (g) {
      g.classList.toggle('sel', g.dataset.id === id);
    });
    var ins = [], outs = [];
    document.querySelectorAll('path.edge').forEach(function (p) {
      var hot = p.dataset.src === id || p.dataset.dst === id;
      p.classList.toggle('hot', hot);
      if (p.dataset.dst === id) ins.push(p.dataset.src);
      if (p.dataset.src === id) outs.push(p.dataset.dst);
    });
    var text = n.id + '  ' + n.name + '\\n' + n.lines.slice(1).join('\\n');
    if (n.formula) text += '\\n\\nlocal derivative:\\n' + n.formula;
    if (ins.length) text += '\\n\\ninputs: ' + ins.join(', ');
    if (outs.length) text += '\\nfeeds: ' + outs.join(', ') +
      '\\n(its gradient is the sum of what these send back)';
    info.textContent = text;
  }
  document.querySelectorAll('g.node').forEach(function (g) {
    g.addEventListener('click', function () { show(g.dataset.id); });
  });
  info.textContent = data.nodes.length + ' nodes, ' + data.edges.length +
    ' edges. Click a box for its formula and gradient.';
})();
"""


def _svg(view: GraphView) -> str:
    lay = layered_layout(view)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{lay.width:.0f}" '
        f'height="{lay.height:.0f}" viewBox="0 0 {lay.width:.0f} {lay.height:.0f}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#777"/></marker></defs>',
    ]
    for e, pts in zip(view.edges, lay.routes):
        d = f"M{pts[0][0]:.1f},{pts[0][1]:.1f}"
        for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
            ym = (y0 + y1) / 2
            d += f" C{x0:.1f},{ym:.1f} {x1:.1f},{ym:.1f} {x1:.1f},{y1:.1f}"
        parts.append(
            f'<path class="edge" data-src="{e.src}" data-dst="{e.dst}" d="{d}" '
            'marker-end="url(#arrow)"/>'
        )
    for n in view.nodes:
        b = lay.boxes[n.id]
        fill, stroke = COLORS.get(n.kind, COLORS["op"])
        rx = 14 if n.kind in ("param", "leaf") else 5
        x0 = b.x - b.w / 2
        parts.append(f'<g class="node {n.kind}" data-id="{n.id}">')
        parts.append(f"<title>{html.escape(n.name)}</title>")
        parts.append(
            f'<rect x="{x0:.1f}" y="{b.y:.1f}" width="{b.w:.1f}" height="{b.h:.1f}" '
            f'rx="{rx}" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'
        )
        parts.append(f'<text class="nid" x="{x0 + 4:.1f}" y="{b.y + 11:.1f}">{n.id}</text>')
        for i, line in enumerate(n.lines()):
            weight = ' font-weight="bold"' if i == 0 else ""
            ty = b.y + PAD_Y + (i + 0.75) * LINE_H
            parts.append(
                f'<text x="{b.x:.1f}" y="{ty:.1f}" text-anchor="middle"{weight}>'
                f"{html.escape(line)}</text>"
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


def to_html(view: GraphView, path=None) -> str:
    """The page as text; also written to ``path`` (UTF-8) when given."""
    data = {
        "title": view.title,
        "nodes": [
            {"id": n.id, "kind": n.kind, "name": n.name, "lines": n.lines(), "formula": n.formula}
            for n in view.nodes
        ],
        "edges": [{"src": e.src, "dst": e.dst} for e in view.edges],
    }
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    legend = "".join(
        f'<span style="background:{fill};border-color:{stroke}">{kind}</span>'
        for kind, (fill, stroke) in COLORS.items()
    )
    notes = "".join(f'<p class="hint">note: {html.escape(x)}</p>' for x in view.notes)
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(view.title or "backward graph")}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>{html.escape(view.title or "backward graph")}</h1>
<p class="hint">Arrows follow the data from the leaves to the output; backward() sends
gradients the other way, box by box, in the order of the ids (n0 first).</p>
<p class="legend">{legend}</p>
{notes}
<div id="wrap"><div id="graph">
{_svg(view)}
</div><div id="info"></div></div>
<script type="application/json" id="graph-data">{payload}</script>
<script>{_JS}</script>
</body>
</html>
"""
    if path is not None:
        with open(os.fspath(path), "w", encoding="utf-8") as fh:
            fh.write(page)
    return page
