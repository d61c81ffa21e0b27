"""The HTML page: self-contained (no network), laid out without overlaps, and drawn by a real
browser (headless Chromium, when installed) with its boxes visible in a screenshot."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile

import numpy as np
import pytest

import chainrule
from chainrule import teach
from chainrule.teach.layout import layered_layout

OP_FILL = (0xE8, 0xF0, 0xFE)  # teach.render.COLORS["op"][0]
PARAM_FILL = (0xE6, 0xF4, 0xEA)


def _view(show_grads=True):
    chainrule.manual_seed(0)
    x = chainrule.tensor([[1.0, 2.0], [2.0, 3.0], [3.0, 4.0]])
    t = chainrule.tensor([[1.0], [2.0], [3.0]])
    p = {
        "fc1.weight": chainrule.randn(3, 2, requires_grad=True),
        "fc1.bias": chainrule.zeros(3, requires_grad=True),
        "fc2.weight": chainrule.randn(1, 3, requires_grad=True),
        "fc2.bias": chainrule.zeros(1, requires_grad=True),
    }
    h = chainrule.relu(chainrule.linear(x, p["fc1.weight"], p["fc1.bias"]))
    loss = ((chainrule.linear(h, p["fc2.weight"], p["fc2.bias"]) - t) ** 2).mean()
    with teach.record_grads():
        loss.backward()
    return teach.graph(loss, params=p, show_grads=show_grads)


def test_page_is_self_contained(tmp_path):
    view = _view()
    page = view.to_html(tmp_path / "g.html")
    assert (tmp_path / "g.html").read_text(encoding="utf-8") == page
    urls = set(re.findall(r"https?://[^\s\"'<>]+", page))
    assert urls <= {"http://www.w3.org/2000/svg"}  # the SVG namespace, never fetched
    assert "<script src" not in page and "<link" not in page and "@import" not in page
    assert page.count('<g class="node') == len(view.nodes)
    assert page.count('<path class="edge"') == len(view.edges)


def test_layout_has_no_overlaps_and_arrows_point_down():
    view = _view()
    lay = layered_layout(view)
    boxes = list(lay.boxes.values())
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart_x = abs(a.x - b.x) >= (a.w + b.w) / 2
            apart_y = a.y + a.h <= b.y or b.y + b.h <= a.y
            assert apart_x or apart_y, (a.id, b.id)
    for e in view.edges:  # data flows down: the input sits above its consumer
        assert lay.boxes[e.src].y + lay.boxes[e.src].h < lay.boxes[e.dst].y
    assert lay.boxes["n0"].y == max(b.y for b in boxes)  # the loss at the bottom


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _read_png(path: str) -> np.ndarray:
    import matplotlib.image  # noqa: PLC0415  (test dependency)

    img = matplotlib.image.imread(path)
    return (np.asarray(img)[..., :3] * 255).round().astype(np.int16)


def test_chromium_draws_the_nodes(tmp_path):
    exe = _chromium()
    if exe is None:
        pytest.skip(
            "headless Chromium not installed (Debian: apt-get install -y chromium); "
            "skipping the screenshot check of the HTML graph"
        )
    view = _view()
    page = tmp_path / "graph.html"
    view.to_html(page)
    shot = tmp_path / "shot.png"
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    cmd = [
        exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        f"--user-data-dir={profile}", "--window-size=1000,900", "--hide-scrollbars",
        f"--screenshot={shot}", page.as_uri(),
    ]  # fmt: skip
    try:
        subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert os.path.exists(shot), "Chromium wrote no screenshot"
    img = _read_png(str(shot))
    assert img.shape[0] >= 800 and img.shape[1] >= 900
    background = (img == 255).all(axis=-1)
    assert (~background).mean() > 0.05  # something was drawn

    def count(color):
        return int((np.abs(img - np.array(color)).max(axis=-1) <= 2).sum())

    n_op = sum(n.kind == "op" for n in view.nodes)
    # each op box is at least ~90 x 40 px of fill; the ones in view (top of the page) count
    assert count(OP_FILL) > 3 * 80 * 30, "op boxes not drawn"
    assert count(PARAM_FILL) > 4 * 80 * 30, "parameter boxes not drawn"
    assert n_op == 6


def test_long_edges_bend_around_boxes():
    # a skip connection: h feeds both the block and the add two layers below
    w = [chainrule.randn(4, 4, requires_grad=True) for _ in range(3)]
    h = chainrule.relu(chainrule.linear(chainrule.ones(2, 4), w[0]))
    out = (h + chainrule.linear(chainrule.tanh(chainrule.linear(h, w[1])), w[2])).sum()
    view = teach.graph(out, params={f"w{i}": t for i, t in enumerate(w)})
    lay = layered_layout(view)
    long_routes = [pts for pts in lay.routes if len(pts) > 2]
    assert long_routes, "the skip edge should get bend points"
    for pts in long_routes:
        for x, y in pts[1:-1]:
            for b in lay.boxes.values():
                inside = b.x - b.w / 2 < x < b.x + b.w / 2 and b.y < y < b.y + b.h
                assert not inside, (b.id, x, y)
