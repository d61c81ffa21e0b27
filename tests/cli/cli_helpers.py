"""Running ``python -m chainrule`` as a subprocess, and checking its one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np


def cli(*args: str, cwd=None, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CHAINRULE_DEBUG"}
    env["PYTHONWARNINGS"] = "error"  # a warning in the command is a bug, as in the tests
    return subprocess.run(
        [sys.executable, "-m", "chainrule", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def assert_one_line_error(
    result: subprocess.CompletedProcess, *fragments: str, status: int | None = None
) -> str:
    """stderr is exactly one ``chainrule: error: ...`` line holding every fragment."""
    lines = result.stderr.splitlines()
    assert result.returncode != 0, f"exit 0; stdout: {result.stdout}"
    if status is not None:
        assert result.returncode == status, (result.returncode, result.stderr)
    assert len(lines) == 1, f"expected one line on stderr, got:\n{result.stderr}"
    assert lines[0].startswith("chainrule: error: "), lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    for fragment in fragments:
        assert fragment in lines[0], f"{fragment!r} not in {lines[0]!r}"
    return lines[0]


def idx_bytes(magic: int, array: np.ndarray) -> bytes:
    header = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in array.shape)
    return header + array.astype(np.uint8).tobytes()
