"""``explain(loss)``: run backward and narrate it, node by node, with the numbers.

For each node, in the order the engine runs them: the op, its local derivative (the op's
``formula``), the gradient that arrived at its output (upstream), and what it sends to each
input. Then each parameter's gradient and the gradient-descent update
``θ_new = θ_old − α·∇θJ``. For the seed's Linear-activation-Linear + MSE network, the chain rule
in closed form, recomputed in NumPy and compared with autograd.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..autograd.function import Node
from . import closed_form
from ._format import emit, fmt_array, fmt_num, fmt_shape
from .graph import GraphView, graph, param_names
from .record import GradRecord

__all__ = ["Explanation", "explain"]

LIMIT = 12  # tensors with at most this many elements are printed in full


@dataclass
class Explanation:
    """What :func:`explain` printed, plus the numbers behind it.

    Attributes:
        text: the printed text (plain or Markdown).
        record: every backward step (:class:`~chainrule.teach.record.GradRecord`).
        view: the graph (ids as printed).
        param_grads: parameter name -> the gradient this backward produced.
        updates: parameter name -> ``θ − lr·∇θJ`` (empty when ``lr`` is None).
        closed_form: symbol (``W1``, ``b1``, ``W2``, ``b2``) -> the NumPy gradient, for the
            seed network; else empty.
        closed_form_max_diff: largest ``|closed form − autograd|``, or None.
    """

    text: str
    record: GradRecord
    view: GraphView
    param_grads: dict = field(default_factory=dict)
    updates: dict = field(default_factory=dict)
    closed_form: dict = field(default_factory=dict)
    closed_form_max_diff: float | None = None

    def __str__(self) -> str:
        return self.text


def _v(a) -> str:
    return fmt_array(a, limit=LIMIT)


class _Doc:
    """Plain text or Markdown from the same calls."""

    def __init__(self, md: bool) -> None:
        self.md = md
        self.out: list[str] = []

    def heading(self, level: int, text: str) -> None:
        if self.md:
            self.out += ["#" * level + " " + text, ""]
        else:
            rule = {1: "=", 2: "-"}.get(level)
            self.out.append(text)
            if rule:
                self.out += [rule * min(len(text), 100), ""]

    def line(self, text: str = "") -> None:
        self.out.append(text)

    def code(self, lines: list[str]) -> None:
        if self.md:
            self.out += ["```", *lines, "```", ""]
        else:
            self.out += ["    " + x if x else "" for x in lines]
            self.out.append("")

    def table(self, headers: list[str], rows: list[list[str]], indent: str = "    ") -> None:
        if self.md:
            self.out.append("| " + " | ".join(headers) + " |")
            self.out.append("|" + "|".join("---" for _ in headers) + "|")
            for r in rows:
                self.out.append("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |")
            self.out.append("")
            return
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
        for r in [headers, *rows]:
            cells = "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True))
            self.out.append((indent + cells).rstrip())
        self.out.append("")

    def text(self) -> str:
        while self.out and self.out[-1] == "":
            self.out.pop()
        return "\n".join(self.out) + "\n"


def _c(doc: _Doc, s: str) -> str:
    """Inline code in Markdown, plain in text."""
    return f"`{s}`" if doc.md else s


def explain(
    loss,
    params: Any = None,
    lr: float | None = None,
    file=None,
    format: str = "text",  # noqa: A002  (the public name)
    *,
    model: Any = None,
) -> Explanation:
    """Runs ``loss.backward()`` and prints every step of the chain rule, with numbers.

    Args:
        loss: a scalar whose graph has not been backpropagated yet.
        params: names for the leaves (``model.named_parameters()``, a Module or a dict);
            defaults to ``model``'s parameters when ``model`` is given.
        lr: the learning rate α; when given, the SGD update is printed with its numbers
            (nothing is modified: the parameters keep their values).
        file: where to print: a text stream (default ``sys.stdout``) or a path.
        format: ``"text"`` or ``"md"`` (Markdown: headings, code blocks, tables).
        model: the model, to name parameters (optional).

    Returns:
        :class:`Explanation` with the text and the numbers. Like ``loss.backward()``, this
        accumulates into each leaf's ``.grad``.
    """
    if format not in ("text", "md"):
        raise ValueError(f"explain(format=...) must be 'text' or 'md', got {format!r}")
    if loss.grad_fn is None:
        raise RuntimeError("explain() needs a loss computed from tensors that require grad")
    if loss._data.size != 1:
        raise RuntimeError(
            f"explain() needs a scalar loss (got shape {tuple(loss.shape)}): reduce it first, "
            "e.g. loss.mean()"
        )
    if params is None and model is not None:
        params = model
    names, _classes, _kept = param_names(params)
    named: dict = {}
    for t in _kept:
        named.setdefault(names[id(t)], t)
    view = graph(loss, params=named or None)
    spec = closed_form.detect(loss)
    had_grad = {k: t.grad is not None for k, t in named.items()}
    record = GradRecord()
    try:
        with record:
            loss.backward()
    except RuntimeError as err:
        if "second time" in str(err):
            raise RuntimeError(
                "explain() runs backward itself: pass a loss whose graph has not been "
                "backpropagated yet (or was kept with retain_graph=True)"
            ) from err
        raise
    doc = _Doc(format == "md")
    ids = {id(obj): nid for nid, obj in view.objects.items()}
    labels = {n.id: n.label for n in view.nodes}
    result = Explanation("", record, view)
    _steps(doc, view, record, ids, labels, loss)
    _params(doc, view, record, named, had_grad, lr, result)
    if spec is not None:
        _closed(doc, spec, record, named, result)
    result.text = doc.text()
    emit(result.text, file)
    return result


def _steps(doc: _Doc, view, record, ids, labels, loss) -> None:
    n_ops = len(record.steps)
    doc.heading(1, f"Backpropagation, step by step ({n_ops} ops)")
    doc.line(
        f"The loss J = {fmt_num(loss.item())}. backward() starts at the output with dJ/dJ = 1 "
        "and visits"
    )
    doc.line(
        "each op once every gradient for it has arrived (summed). Each op multiplies the "
        "upstream gradient"
    )
    doc.line(
        "(dJ/d its output) by its local derivative and sends dJ/d(input) to each input that "
        "requires grad."
    )
    doc.line()
    doc.heading(2, "The graph (ids in the order backward visits them)")
    if doc.md:  # drawn by GitHub and most Markdown viewers
        doc.out += ["```mermaid", *view.to_mermaid().rstrip("\n").splitlines(), "```", ""]
    doc.code(view.to_text().rstrip("\n").splitlines())
    senders: dict[str, list[str]] = {}
    for e in view.edges:
        senders.setdefault(e.src, []).append(e.dst)
    for i, step in enumerate(record.steps, 1):
        node = step.node
        nid = ids.get(id(node), "?")
        vnode = view.node(nid) if nid != "?" else None
        shape = f"{fmt_shape(vnode.shape)} {vnode.dtype}" if vnode else ""
        doc.heading(3, f"Step {i}/{n_ops}: {nid} {labels.get(nid, node.name())} "
                       f"[{node.name()}], output {shape}")  # fmt: skip
        formula = getattr(node.op, "formula", "") or "(no formula given)"
        doc.line(
            f"- local derivative: {_c(doc, formula)}" if doc.md else f"local derivative:  {formula}"
        )
        up = [g for g in step.grad_outputs if g is not None]
        upstream = _v(up[0]) if len(up) == 1 else ", ".join(_v(g) for g in up)
        src = senders.get(nid, [])
        origin = (
            "the seed dJ/dJ" if i == 1 else
            f"sum of what {', '.join(src)} sent" if len(src) > 1 else f"from {src[0]}" if src
            else ""
        )  # fmt: skip
        text = f"upstream dJ/d(output) = {_c(doc, upstream)}" + (f"  ({origin})" if origin else "")
        doc.line(("- " + text) if doc.md else text)
        rows = []
        for k, edge in enumerate(node.edges):
            if edge is None:  # a constant, or data without requires_grad: nothing to send
                continue
            tid = ids.get(id(edge[0]), "?")
            g = step.grad_inputs[k]
            target = f"{tid} {labels.get(tid, '')}"
            if not isinstance(edge[0], Node):
                target += " (.grad)"
            rows.append([str(k), target, _c(doc, _v(g)) if g is not None else "None"])
        if doc.md:
            doc.line()
        doc.table(["input", "sent to", "dJ/d(input)"], rows)


def _params(doc: _Doc, view, record, named, had_grad, lr, result) -> None:
    leaves = [(nm, t) for nm, t in named.items() if record.leaf_grad(t) is not None]
    for nid, obj in view.objects.items():  # unnamed leaves that got a gradient
        unnamed = not isinstance(obj, Node) and all(obj is not t for _, t in leaves)
        if unnamed and record.leaf_grad(obj) is not None:
            leaves.append((f"{nid} (unnamed leaf)", obj))
    title = "Parameter gradients and the SGD update θ_new = θ_old − α·∇θJ"
    doc.heading(2, title + (f" (α = {fmt_num(lr)})" if lr is not None else ""))
    if lr is None:
        doc.line("(pass lr= to see θ_new with numbers; nothing is modified either way)")
        doc.line()
    rows = []
    for nm, t in leaves:
        g = record.leaf_grad(t)
        result.param_grads[nm] = g
        old = np.array(t._data, copy=True)
        row = [nm, fmt_shape(t.shape), _c(doc, _v(g)), _c(doc, _v(old))]
        if lr is not None:
            new = old - old.dtype.type(lr) * g.astype(old.dtype)
            result.updates[nm] = new
            row.append(_c(doc, _v(new)))
        rows.append(row)
    if doc.md:
        headers = ["parameter", "shape", "∇θJ", "θ_old"] + (["θ_new"] if lr is not None else [])
        doc.table(headers, rows)
    else:
        for row in rows:
            doc.line(f"{row[0]} {row[1]}")
            doc.line(f"    ∇θJ   = {row[2]}")
            doc.line(f"    θ_old = {row[3]}")
            if lr is not None:
                doc.line(f"    θ_new = θ_old − {fmt_num(lr)}·∇θJ = {row[4]}")
        doc.line()
    if any(had_grad.get(nm) for nm, _ in leaves):
        doc.line(
            "note: some .grad already held a gradient before explain(); backward() added to "
            "it (call zero_grad() first). The numbers above are this backward's alone."
        )
        doc.line()


def _closed(doc: _Doc, spec, record, named, result) -> None:
    table, grads, diff, rel = closed_form.rows(spec, record.leaf_grad)
    result.closed_form = grads
    result.closed_form_max_diff = diff
    sym_names = {}
    by_id = {id(t): nm for nm, t in named.items()}
    for sym in ("W1", "b1", "W2", "b2"):
        leaf = spec.leaves.get(sym)
        if leaf is not None and id(leaf) in by_id:
            sym_names[sym] = by_id[id(leaf)]
    doc.heading(2, "The same chain rule in closed form (torch's row-major batch layout)")
    where = ", ".join(f"{s} = {n}" for s, n in sym_names.items())
    doc.line(
        "X is N×n (one example per row), W1 is (hidden, n), Z1 = X W1ᵀ + b1, H = σ(Z1), "
        "Z2 = H W2ᵀ + b2, Y = φ(Z2)."
    )
    if where:
        doc.line(f"Here {where}. Computed in NumPy (float64) by chainrule.teach.manual:")
    doc.line()
    rows = [[sym, formula, _c(doc, _v(value))] for sym, formula, value in table]
    doc.table(["quantity", "formula", "value"], rows)
    doc.line(
        f"max |closed form − autograd| over all parameter gradients: {diff:.3g} "
        f"(relative {rel:.2g}"
        + (f"; autograd ran in {spec.dtype})" if spec.dtype != "float64" else ")")
    )
    doc.line()
    doc.line(closed_form.SEED_ERRATUM)
