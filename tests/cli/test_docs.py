"""The docs' code runs, and the outputs they show are what it prints (see docs_runner.py)."""

from __future__ import annotations

import os
import pathlib

import pytest
from docs_runner import run_page

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if p.name != "benchmarks.md") if DOCS.is_dir() else []


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(DOCS)) for p in PAGES])
def test_page_runs_and_shows_real_output(page, tmp_path):
    import chainrule

    chainrule.manual_seed(0)
    update = os.environ.get("CHAINRULE_DOCS_UPDATE", "") not in ("", "0")
    problems = run_page(str(page), str(tmp_path), update=update)
    assert not problems, "\n\n".join(problems)


def test_every_page_is_linked_from_the_index():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    for page in PAGES:
        rel = str(page.relative_to(DOCS))
        if rel != "index.md":
            assert f"({rel})" in index, f"docs/index.md does not link {rel}"
