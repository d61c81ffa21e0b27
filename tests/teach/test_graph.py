"""graph(): ids in engine order, names, shapes, gradients (vs torch), grouping, text exports."""

from __future__ import annotations

import re
import shutil
import subprocess

import numpy as np
import pytest
import torch

import chainrule
from chainrule import teach
from chainrule.autograd import engine


def _mlp(lib, rng):
    """Linear-ReLU-Linear + MSE from core ops, in float64, same numbers in both libraries."""
    x = lib.tensor(rng.standard_normal((4, 3)), dtype=lib.float64)
    t = lib.tensor(rng.standard_normal((4, 2)), dtype=lib.float64)
    p = {
        "fc1.weight": rng.standard_normal((5, 3)),
        "fc1.bias": rng.standard_normal(5),
        "fc2.weight": rng.standard_normal((2, 5)),
        "fc2.bias": rng.standard_normal(2),
    }
    p = {k: lib.tensor(v, dtype=lib.float64, requires_grad=True) for k, v in p.items()}
    z1 = (
        lib.nn.functional.linear(x, p["fc1.weight"], p["fc1.bias"])
        if lib is torch
        else (chainrule.linear(x, p["fc1.weight"], p["fc1.bias"]))
    )
    h = lib.relu(z1)
    y = (
        torch.nn.functional.linear(h, p["fc2.weight"], p["fc2.bias"])
        if lib is torch
        else chainrule.linear(h, p["fc2.weight"], p["fc2.bias"])
    )
    loss = ((y - t) ** 2).mean()
    return loss, p, {"z1": z1, "h": h, "y": y}


def test_ids_follow_engine_order_and_leaves_are_named():
    loss, p, _ = _mlp(chainrule, np.random.default_rng(0))
    view = teach.graph(loss, params=p)
    visited = []
    engine.add_listener(lambda node, go, gi: visited.append(node.name()))
    try:
        loss.backward(retain_graph=True)
    finally:
        engine._listeners.clear()
    ops = [n for n in view.nodes if n.kind == "op"]
    assert [n.name for n in ops] == visited  # n0 first, in the engine's order
    assert [n.id for n in view.nodes] == [f"n{i}" for i in range(len(view.nodes))]
    assert ops[0].name == "MeanBackward0" and ops[0].shape == ()
    params = {n.label: n for n in view.nodes if n.kind == "param"}
    assert sorted(params) == sorted(p)
    assert params["fc1.weight"].shape == (5, 3) and params["fc1.weight"].dtype == "float64"
    addmm = [n for n in ops if n.label == "Addmm"]
    assert [n.shape for n in addmm] == [(4, 2), (4, 5)]
    # edges in backward order: consumers appear in id order
    dst_order = [int(e.dst[1:]) for e in view.edges]
    assert dst_order == sorted(dst_order)


def test_same_program_gives_byte_identical_text():
    texts = []
    for _ in range(2):
        loss, p, _ = _mlp(chainrule, np.random.default_rng(0))
        v = teach.graph(loss, params=p)
        texts.append((v.to_mermaid(), v.to_dot(), v.to_text(), v.to_html()))
    assert texts[0] == texts[1]


def test_unnamed_leaves():
    x = chainrule.ones(2, requires_grad=True)
    w = chainrule.ones(2, requires_grad=True)
    kinds = [(n.kind, n.label) for n in teach.graph((x * w).sum()).nodes]
    assert kinds == [("op", "Sum"), ("op", "Mul"), ("leaf", "leaf"), ("leaf", "leaf")]
    named = teach.graph((x * w).sum(), params={"w": w}).nodes
    assert [(n.kind, n.label) for n in named][2:] == [("leaf", "input"), ("param", "w")]
    # a leaf itself
    assert teach.graph(w, params={"w": w}).nodes[0].label == "w"
    with pytest.raises(RuntimeError, match="no grad_fn"):
        teach.graph(chainrule.ones(2))


def test_recorded_gradients_equal_torch():
    loss, p, inter = _mlp(chainrule, np.random.default_rng(1))
    tloss, tp, tinter = _mlp(torch, np.random.default_rng(1))
    for t in tinter.values():
        t.retain_grad()
    tloss.backward()
    with teach.record_grads() as rec:
        loss.backward()
    for key in ("z1", "h", "y"):
        got = rec.output_grad(inter[key].grad_fn)
        np.testing.assert_allclose(got, tinter[key].grad.numpy(), rtol=1e-12, atol=1e-14)
    for name in p:
        np.testing.assert_allclose(rec.leaf_grad(p[name]), tp[name].grad.numpy(), rtol=1e-12)
    view = teach.graph(loss, params=p, show_grads=True)
    by_label = {n.label: n for n in view.nodes}
    assert by_label["fc2.bias"].grad == "grad " + teach._format.fmt_array(
        tp["fc2.bias"].grad.numpy()
    )
    relu = by_label["Relu"]
    norm = np.linalg.norm(tinter["h"].grad.numpy())
    assert relu.grad == f"grad norm {teach._format.fmt_num(norm)}"
    assert by_label["Mean"].grad == "grad 1"
    assert "grad norm" in view.to_mermaid()


def test_show_grads_without_record():
    loss, p, _ = _mlp(chainrule, np.random.default_rng(2))
    loss.backward(retain_graph=True)
    before = {k: v.grad.numpy().copy() for k, v in p.items()}
    teach.record._latest[0] = None
    view = teach.graph(loss, params=p, show_grads=True)
    assert all(n.grad is not None for n in view.nodes) and not view.notes  # re-run
    for k, v in p.items():  # the re-run used autograd.grad: .grad unchanged
        np.testing.assert_array_equal(v.grad.numpy(), before[k])
    loss2, p2, _ = _mlp(chainrule, np.random.default_rng(2))
    loss2.backward()  # graph freed
    view2 = teach.graph(loss2, params=p2, show_grads=True)
    assert "backward() freed the graph" in view2.notes[0]
    assert all(n.grad is not None for n in view2.nodes if n.kind == "param")
    assert all(n.grad is None for n in view2.nodes if n.kind == "op")


def test_depth_groups_by_parameter_ownership():
    loss, p, _ = _mlp(chainrule, np.random.default_rng(0))
    view = teach.graph(loss, params=p, depth=1)
    assert [(n.kind, n.label) for n in view.nodes] == [
        ("op", "Mean"),
        ("op", "Pow"),
        ("op", "Sub"),
        ("module", "fc2"),
        ("op", "Relu"),
        ("module", "fc1"),
    ]
    assert [(e.src, e.dst) for e in view.edges] == [
        ("n1", "n0"),
        ("n2", "n1"),
        ("n3", "n2"),
        ("n4", "n3"),
        ("n5", "n4"),
    ]
    assert view.nodes[3].details == ("weight (2, 5)", "bias (2,)")
    with pytest.raises(ValueError, match="params"):
        teach.graph(loss, depth=1)


def test_depth_sandwich_rule():
    rng = np.random.default_rng(0)

    def w(*shape):
        return chainrule.tensor(
            rng.standard_normal(shape), dtype=chainrule.float32, requires_grad=True
        )

    p = {"block.a.weight": w(3, 3), "block.b.weight": w(3, 3), "head.weight": w(1, 3)}
    x = chainrule.ones(2, 3)
    h = chainrule.linear(
        chainrule.relu(chainrule.linear(x, p["block.a.weight"])), p["block.b.weight"]
    )
    out = chainrule.linear(chainrule.tanh(h), p["head.weight"]).sum()
    top = teach.graph(out, params=p, depth=1)
    assert [n.label for n in top.nodes] == ["Sum", "head", "Tanh", "block"]  # relu inside block
    two = teach.graph(out, params=p, depth=2)
    assert [n.label for n in two.nodes] == ["Sum", "head", "Tanh", "block.b", "Relu", "block.a"]


_MERMAID_LINE = re.compile(
    r'^    (n\d+(\["[^"]*"\]|\(\["[^"]*"\]\)|\[\["[^"]*"\]\])'
    r"|n\d+ --> n\d+|classDef \w+ fill:#[0-9a-f]{6},stroke:#[0-9a-f]{6},color:#111"
    r"|class n\d+(,n\d+)* \w+|%%.*)$"
)


def test_mermaid_is_well_formed():
    loss, p, _ = _mlp(chainrule, np.random.default_rng(0))
    with teach.record_grads():
        loss.backward()
    for view in (teach.graph(loss, p, show_grads=True), teach.graph(loss, p, True, depth=1)):
        lines = view.to_mermaid().splitlines()
        assert lines[0] == "flowchart TB"
        bad = [line for line in lines[1:] if not _MERMAID_LINE.match(line)]
        assert not bad
        ids = {n.id for n in view.nodes}
        for e in view.edges:
            assert e.src in ids and e.dst in ids


def test_dot_and_render(tmp_path, monkeypatch):
    loss, p, _ = _mlp(chainrule, np.random.default_rng(0))
    view = teach.graph(loss, params=p)
    dot = view.to_dot()
    assert dot.startswith("digraph backward {") and dot.rstrip().endswith("}")
    assert dot.count(" -> ") == len(view.edges)
    if shutil.which("dot"):
        proc = subprocess.run(["dot", "-Tsvg"], input=dot.encode(), capture_output=True)
        assert proc.returncode == 0 and b"<svg" in proc.stdout
        out = view.render(tmp_path / "g.svg")
        assert (tmp_path / "g.svg").read_text().count('<g id="node') == len(view.nodes)
        assert out.endswith("g.svg")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="Graphviz"):
        view.render(tmp_path / "g.png")
    with pytest.raises(ValueError, match="unsupported"):
        view.render(tmp_path / "g.txt")
