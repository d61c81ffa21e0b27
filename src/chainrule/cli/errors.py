"""How the ``chainrule`` command reports a problem: one line on stderr, a non-zero exit.

A person who mistypes a path or feeds a broken file should read what is wrong and where, not a
traceback. Every command raises :class:`CLIError` (or lets a data loader's ``ValueError`` /
``FileNotFoundError`` through); :func:`report` turns any of them into
``chainrule: error: <message>``. ``CHAINRULE_DEBUG=1`` re-raises instead, for developers.
"""

from __future__ import annotations

import os
import sys

#: exit status for bad usage (as argparse uses) and for everything else that failed
EXIT_USAGE = 2
EXIT_FAILURE = 1
EXIT_INTERRUPTED = 130


class CLIError(Exception):
    """A problem the user can fix; the message is printed as is, on one line."""

    def __init__(self, message: str, status: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.status = status


def one_line(text: str) -> str:
    """Collapses a (possibly multi-line) message into one line."""
    return " ".join(part.strip() for part in str(text).splitlines() if part.strip())


def describe(exc: BaseException) -> tuple[str, int]:
    """The one-line message and exit status for an exception raised by a command."""
    if isinstance(exc, CLIError):
        return one_line(str(exc)), exc.status
    if (
        isinstance(
            exc, FileNotFoundError | IsADirectoryError | NotADirectoryError | PermissionError
        )
        and exc.filename is not None
    ):
        reason = exc.strerror or type(exc).__name__
        return f"{exc.filename}: {reason.lower() if reason[0].isupper() else reason}", EXIT_FAILURE
    if isinstance(exc, FileNotFoundError | ValueError | ImportError):
        return one_line(str(exc)), EXIT_FAILURE
    if isinstance(exc, OSError):
        return one_line(f"{exc.filename or ''} {exc.strerror or exc}".strip()), EXIT_FAILURE
    return (
        (
            f"internal error ({type(exc).__name__}: {one_line(str(exc))}); "
            "rerun with CHAINRULE_DEBUG=1 for a traceback and please report it"
        ),
        EXIT_FAILURE,
    )


def report(message: str) -> None:
    """Prints ``chainrule: error: message`` as one line on stderr."""
    print(f"chainrule: error: {one_line(message)}", file=sys.stderr, flush=True)


def debug_enabled() -> bool:
    return os.environ.get("CHAINRULE_DEBUG", "") not in ("", "0")
