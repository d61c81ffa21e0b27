"""Argument parsing shared by the commands: a one-line-error parser and value checkers."""

from __future__ import annotations

import argparse
import math
import sys
from typing import NoReturn

from .errors import EXIT_USAGE, one_line


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line, ``chainrule: error: ...``, and exit status 2.

    argparse's own format (the usage block, then ``prog: error: ...``) buries the reason under
    the usage text; the full usage stays one ``--help`` away, as the message says.
    """

    def error(self, message: str) -> NoReturn:
        help_hint = f"; see '{self.prog} --help'"
        print(f"chainrule: error: {one_line(message)}{help_hint}", file=sys.stderr, flush=True)
        sys.exit(EXIT_USAGE)


def positive_float(text: str) -> float:
    """A float > 0 (learning rates): ``--lr -0.1`` is refused by argparse with this message."""
    value = _float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def nonnegative_float(text: str) -> float:
    value = _float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
    return value


def fraction(text: str) -> float:
    """A float in [0, 1) (the validation split)."""
    value = _float(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be in [0, 1), got {text}")
    return value


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, got {text}")
    return value


def nonnegative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0, got {text}")
    return value


def sizes(text: str) -> list[int]:
    """``"256,128"`` -> ``[256, 128]`` (hidden layer sizes)."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    try:
        values = [int(p) for p in parts]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated whole numbers like 256,128, got {text!r}"
        ) from None
    if not values or any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"expected positive sizes like 256,128, got {text!r}")
    return values


def _float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {text}")
    return value


DATA_NAMES = ("digits", "iris", "moons", "spirals")
DATA_PREFIXES = ("csv", "mnist")
DATA_HELP = "digits | iris | moons | spirals | csv:PATH | mnist:DIR"


def data_spec(text: str) -> str:
    """argparse type for ``--data``: checks the form; loading happens later."""
    if text in DATA_NAMES:
        return text
    prefix, sep, rest = text.partition(":")
    if sep and prefix in DATA_PREFIXES and rest:
        return text
    if sep and prefix in DATA_PREFIXES:
        what = "the PATH of a CSV file" if prefix == "csv" else "the DIR of the MNIST IDX files"
        example = "data.csv" if prefix == "csv" else "./mnist"
        raise argparse.ArgumentTypeError(f"{prefix}: needs {what}, e.g. {prefix}:{example}")
    raise argparse.ArgumentTypeError(f"unknown data {text!r} (choose from {DATA_HELP})")
