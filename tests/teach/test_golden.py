"""Golden files: the Mermaid and DOT text of the seed network's graph for one training step.

The weights are fixed literals (not the init RNG), so the files change only when the graph
export or the ops' names/formulas change. Regenerate after an intended change with
``CHAINRULE_UPDATE_GOLDEN=1 python -m pytest tests/teach/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import difflib
import io
import os
import re
from pathlib import Path

import pytest

import chainrule
from chainrule import teach

nn = pytest.importorskip("chainrule.nn")

GOLDEN = Path(__file__).parent / "golden"
WEIGHTS = {
    "fc1.weight": [[0.5, -0.3], [0.2, 0.4], [-0.6, 0.1]],
    "fc1.bias": [0.1, -0.2, 0.05],
    "fc2.weight": [[0.7, -0.5, 0.3]],
    "fc2.bias": [0.2],
}


def _step():
    """The seed program's training step: forward, MSE loss, backward (recorded)."""
    model, x, y = teach.seed_network()
    with chainrule.no_grad():
        for name, p in model.named_parameters():
            p.copy_(chainrule.tensor(WEIGHTS[name]))
    loss = nn.MSELoss()(model(x), y)
    plain = teach.graph(loss, params=model.named_parameters())
    with teach.record_grads():
        loss.backward()
    grads = teach.graph(loss, params=model.named_parameters(), show_grads=True)
    modules = teach.graph(loss, params=model, show_grads=True, depth=1)
    return plain, grads, modules


def _check(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("CHAINRULE_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                            f"golden/{name}", "now"))  # fmt: skip
        pytest.fail(f"{name} differs from the golden file (CHAINRULE_UPDATE_GOLDEN=1 to "
                    f"regenerate):\n{diff}")  # fmt: skip


def test_seed_graph_golden_files():
    plain, grads, modules = _step()
    _check("seed_graph.mmd", plain.to_mermaid())
    _check("seed_graph.dot", plain.to_dot())
    _check("seed_graph_grads.mmd", grads.to_mermaid())
    _check("seed_graph_grads.dot", grads.to_dot())
    _check("seed_graph_depth1.mmd", modules.to_mermaid())


def test_byte_identical_across_runs():
    first = [v.to_mermaid() + v.to_dot() for v in _step()]
    second = [v.to_mermaid() + v.to_dot() for v in _step()]
    assert first == second


def test_seed_explain_golden():
    model, x, y = teach.seed_network()
    with chainrule.no_grad():
        for name, p in model.named_parameters():
            p.copy_(chainrule.tensor(WEIGHTS[name]))
    loss = nn.MSELoss()(model(x), y)
    buf = io.StringIO()
    result = teach.explain(loss, params=model.named_parameters(), lr=0.01, file=buf)
    assert result.closed_form_max_diff < 1e-5  # float32 autograd vs float64 NumPy
    # the float32 rounding error itself may differ between BLAS builds: masked
    text = re.sub(r"(over all parameter gradients:) .*", r"\1 <float32 rounding>", buf.getvalue())
    _check("seed_explain.txt", text)
