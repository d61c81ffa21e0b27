"""A progress bar over batches: tqdm when installed (the ``progress`` extra), else nothing.

Without tqdm, or when stderr is not a terminal, the loop runs silently and the caller prints
one summary line per epoch, so the output reads well in a log file too.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import Any


class _Plain:
    """The no-tqdm stand-in: iterates and ignores postfix updates."""

    def __init__(self, iterable: Iterable[Any]) -> None:
        self._iterable = iterable

    def __iter__(self) -> Iterator[Any]:
        return iter(self._iterable)

    def set_postfix_str(self, text: str, refresh: bool = True) -> None:
        pass

    def close(self) -> None:
        pass


def bar(iterable: Iterable[Any], *, desc: str, total: int | None, enabled: bool) -> Any:
    """A tqdm bar over ``iterable`` on stderr, or a silent pass-through.

    The bar is shown only when ``enabled``, stderr is a terminal (a bar redrawn with carriage
    returns would only clutter a log file or a pipe) and tqdm can be imported; it disappears
    when the loop ends (``leave=False``) so the per-epoch summary lines stay readable.
    """
    if not enabled or not sys.stderr.isatty():
        return _Plain(iterable)
    try:
        from tqdm import tqdm
    except ImportError:
        return _Plain(iterable)
    return tqdm(
        iterable,
        desc=desc,
        total=total,
        leave=False,
        file=sys.stderr,
        dynamic_ncols=True,
        unit="batch",
    )
