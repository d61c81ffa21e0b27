"""Text renderers of a :class:`GraphView`: Mermaid ``flowchart`` and Graphviz DOT, and
``render(path)`` through Graphviz's ``dot`` program when it is installed.

Arrows follow the data (input -> op -> ... -> loss, top to bottom); the gradient flows back
against them. Node and edge order is the view's order, so the text is byte-stable.
"""

from __future__ import annotations

import os
import shutil
import subprocess

from .graph import GraphView

__all__ = ["to_mermaid", "to_dot", "render"]

# (fill, stroke) per node kind, shared with the HTML page
COLORS = {
    "op": ("#e8f0fe", "#3b6fd8"),
    "param": ("#e6f4ea", "#2e8b57"),
    "leaf": ("#fff4e5", "#d08a1e"),
    "module": ("#f3e8fd", "#8a4fd8"),
}


def _mermaid_text(line: str) -> str:
    # inside a quoted Mermaid label: quotes and angle brackets must be entities
    return (
        line.replace("&", "&amp;").replace('"', "#quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


def to_mermaid(view: GraphView) -> str:
    """Mermaid ``flowchart`` text; renders on GitHub inside a ```` ```mermaid ```` block."""
    out = ["flowchart TB"]
    if view.title:
        out.append(f"    %% {view.title}; arrows: data flow (gradients flow back along them)")
    for n in view.nodes:
        text = "<br/>".join(_mermaid_text(line) for line in n.lines())
        if n.kind in ("param", "leaf"):
            out.append(f'    {n.id}(["{text}"])')
        elif n.kind == "module":
            out.append(f'    {n.id}[["{text}"]]')
        else:
            out.append(f'    {n.id}["{text}"]')
    for e in view.edges:
        out.append(f"    {e.src} --> {e.dst}")
    for kind, (fill, stroke) in COLORS.items():
        members = [n.id for n in view.nodes if n.kind == kind]
        if members:
            out.append(f"    classDef {kind} fill:{fill},stroke:{stroke},color:#111")
            out.append(f"    class {','.join(members)} {kind}")
    for note in view.notes:
        out.append(f"    %% note: {note}")
    return "\n".join(out) + "\n"


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def to_dot(view: GraphView) -> str:
    """Graphviz DOT text (``dot -Tsvg graph.dot -o graph.svg``)."""
    out = ["digraph backward {"]
    title = _dot_text(view.title)
    out.append(
        f'    graph [rankdir=TB, label="{title}", labelloc=t, fontname="Helvetica", fontsize=12];'
    )
    out.append('    node [fontname="Helvetica", fontsize=10, style="rounded,filled", shape=box];')
    out.append('    edge [color="#555555", arrowsize=0.7];')
    for n in view.nodes:
        fill, stroke = COLORS.get(n.kind, COLORS["op"])
        label = _dot_text("\n".join(n.lines()))
        tip = n.name + (": " + n.formula if n.formula else "")
        attrs = [
            f'label="{label}"',
            f'fillcolor="{fill}"',
            f'color="{stroke}"',
            f'tooltip="{_dot_text(tip)}"',
        ]
        if n.kind in ("param", "leaf"):
            attrs.append("shape=ellipse")
        elif n.kind == "module":
            attrs.append("shape=box3d")
        out.append(f"    {n.id} [{', '.join(attrs)}];")
    for e in view.edges:
        out.append(f"    {e.src} -> {e.dst};")
    for note in view.notes:
        out.append(f"    // note: {note}")
    out.append("}")
    return "\n".join(out) + "\n"


def render(view: GraphView, path) -> str:
    """Writes ``path`` (``.svg``, ``.png`` or ``.pdf``) with Graphviz's ``dot``; returns it.

    Raises:
        RuntimeError: when the ``dot`` program (Graphviz) is not installed, naming it and the
            alternatives that need nothing (``to_html``, ``to_mermaid``).
    """
    path = os.fspath(path)
    fmt = os.path.splitext(path)[1].lstrip(".").lower()
    if fmt not in ("svg", "png", "pdf"):
        raise ValueError(f"render(): unsupported file type {fmt!r}; use .svg, .png or .pdf")
    exe = shutil.which("dot")
    if exe is None:
        raise RuntimeError(
            "render() needs Graphviz: the `dot` program was not found on PATH. Install "
            "Graphviz (https://graphviz.org/download/, e.g. `apt-get install graphviz` or "
            "`brew install graphviz`), or use .to_html(path), which needs nothing, or "
            ".to_mermaid() / .to_dot() for the text."
        )
    proc = subprocess.run(
        [exe, f"-T{fmt}", "-o", path], input=to_dot(view).encode(), capture_output=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"Graphviz dot failed ({proc.returncode}): "
            f"{proc.stderr.decode(errors='replace').strip()}"
        )
    return path
