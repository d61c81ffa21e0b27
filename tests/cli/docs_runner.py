"""Runs the Python blocks of a Markdown page and checks the outputs it shows.

Conventions in ``docs/**/*.md``:

- every ```` ```python ```` block runs, in order, in one namespace per page, in a scratch
  folder (a block right after a ``<!-- skip -->`` line is only shown, not run);
- a ```` ```text ```` block right after an ``<!-- output -->`` line must equal what the python
  block before it printed (trailing spaces ignored); a line that is just ``...`` stands for
  any number of lines (to shorten long outputs), and ``...`` inside a line for any text.

``CHAINRULE_DOCS_UPDATE=1 python -m pytest tests/cli/test_docs.py`` rewrites those output
blocks from a real run instead of comparing (then read the diff before committing).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from dataclasses import dataclass

FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)


@dataclass
class Block:
    lang: str
    code: str
    start: int  # offset of the block's body in the page
    end: int
    marker: str | None  # "skip" / "output" from an HTML comment on the line before


def blocks(text: str) -> list[Block]:
    found = []
    for m in FENCE.finditer(text):
        before = text[: m.start()].rstrip("\n").rsplit("\n", 1)[-1].strip()
        marker = None
        if before.startswith("<!--") and before.endswith("-->"):
            marker = before[4:-3].strip()
        found.append(Block(m.group(1), m.group(2), m.start(2), m.end(2), marker))
    return found


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.strip("\n").splitlines()]


def matches(shown: str, printed: str) -> bool:
    """Whether the page's output block ``shown`` stands for what the code ``printed``."""
    pattern = []
    for line in _lines(shown):
        if line == "...":
            pattern.append(r"(?:[^\n]*\n)*?")
        else:
            pattern.append(".*?".join(re.escape(part) for part in line.split("...")) + r"\n")
    return re.fullmatch("".join(pattern), "\n".join(_lines(printed)) + "\n") is not None


def run_page(path: str, workdir: str, update: bool = False) -> list[str]:
    """Runs the page's code; returns mismatch descriptions (or rewrites outputs if update)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    namespace: dict = {"__name__": "__docs__"}
    problems: list[str] = []
    replacements: list[tuple[int, int, str]] = []
    last_output: str | None = None
    cwd = os.getcwd()
    os.chdir(workdir)
    try:
        for i, block in enumerate(blocks(text)):
            if block.lang == "python" and block.marker != "skip":
                buffer = io.StringIO()
                line = text[: block.start].count("\n") + 1
                with contextlib.redirect_stdout(buffer):
                    exec(compile(block.code, f"{path}:{line}", "exec"), namespace)  # noqa: S102
                last_output = buffer.getvalue()
            elif block.marker == "output":
                if last_output is None:
                    problems.append(f"{path}: output block #{i} has no python block before it")
                    continue
                if update:
                    replacements.append((block.start, block.end, last_output.rstrip("\n") + "\n"))
                elif not matches(block.code, last_output):
                    line = text[: block.start].count("\n") + 1
                    problems.append(
                        f"{path}:{line}: the page shows\n{block.code}\nbut the code printed\n"
                        f"{last_output}"
                    )
    finally:
        os.chdir(cwd)
    if update and replacements:
        for start, end, new in reversed(replacements):
            text = text[:start] + new + text[end:]
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    return problems
