"""Output files that never replace what is already on disk.

A run writes into a folder; when that folder already holds outputs from an earlier run, the new
ones go into a fresh numbered subfolder (``run-2``, ``run-3``, ...) and the command says so.
Files are written to a temporary name first and then linked into place, so a crash never leaves
a half-written file and an existing file is never replaced. Checkpoints, which a run updates on
purpose, are replaced atomically with ``os.replace``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable


def choose_folder(path: str, names: Iterable[str]) -> tuple[str, str | None]:
    """The folder to write ``names`` into, and a note when it is not ``path`` itself.

    ``path`` is used when it does not exist yet, or holds none of ``names``; otherwise the first
    free ``path/run-N`` (N = 2, 3, ...) is created and returned.
    """
    names = list(names)
    if os.path.exists(path) and not os.path.isdir(path):
        raise FileExistsError(f"{path} exists and is not a folder; choose another --out")
    if not os.path.isdir(path):
        os.makedirs(path)
        return path, None
    if not any(os.path.lexists(os.path.join(path, n)) for n in names):
        return path, None
    n = 2
    while True:
        candidate = os.path.join(path, f"run-{n}")
        try:
            os.mkdir(candidate)
        except FileExistsError:
            n += 1
            continue
        return candidate, (
            f"{path} already holds outputs of an earlier run; writing into {candidate} instead"
        )


def _temp_beside(path: str) -> str:
    folder = os.path.dirname(os.path.abspath(path))
    # Keep the extension last: writers such as matplotlib pick the format from it.
    stem, ext = os.path.splitext(os.path.basename(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{stem}.", suffix=f".tmp{ext}", dir=folder)
    os.close(fd)
    return tmp


def write_new(path: str, write: Callable[[str], None]) -> None:
    """Calls ``write(tmp_path)`` then moves the result to ``path``, which must not exist.

    Raises ``FileExistsError`` rather than replace an existing file.
    """
    tmp = _temp_beside(path)
    try:
        write(tmp)
        try:
            os.link(tmp, path)  # fails if path exists: never replaces
        except FileExistsError:
            raise FileExistsError(f"{path} already exists; not replacing it") from None
        except OSError:
            # file systems without hard links: check, then rename
            if os.path.lexists(path):
                raise FileExistsError(f"{path} already exists; not replacing it") from None
            os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_atomic(path: str, write: Callable[[str], None]) -> None:
    """Calls ``write(tmp_path)`` then atomically replaces ``path`` with it (``os.replace``).

    Readers see the old file or the new one, never a half-written one.
    """
    tmp = _temp_beside(path)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def unique_path(path: str) -> tuple[str, str | None]:
    """``path`` if free, else ``stem-2.ext``, ``stem-3.ext``, ... and a note saying so."""
    if not os.path.lexists(path):
        return path, None
    stem, ext = os.path.splitext(path)
    n = 2
    while os.path.lexists(f"{stem}-{n}{ext}"):
        n += 1
    new = f"{stem}-{n}{ext}"
    return new, f"{path} already exists; writing {new} instead"
