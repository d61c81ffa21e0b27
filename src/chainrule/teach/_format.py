"""Number formatting shared by the graph labels, the explainer and the reports.

Everything here is deterministic (fixed significant digits, ``-0`` printed as ``0``) so that the
same program prints byte-identical text: the golden-file tests depend on it.
"""

from __future__ import annotations

import os
import sys

import numpy as np

__all__ = ["emit", "fmt_num", "fmt_array", "fmt_shape", "fmt_dtype", "short_op_name", "norm"]


def fmt_num(value: float, digits: int = 4) -> str:
    """One number with ``digits`` significant digits: ``0.1235``, ``-3``, ``1.2e-08``, ``nan``."""
    v = float(value)
    if v != v:
        return "nan"
    if v in (float("inf"), float("-inf")):
        return "inf" if v > 0 else "-inf"
    if v == 0.0:
        return "0"  # also for -0.0: a sign on zero only confuses a reader
    return f"{v:.{digits}g}"


def _nested(a: np.ndarray, digits: int) -> str:
    if a.ndim == 0:
        return fmt_num(a, digits)
    return "[" + ", ".join(_nested(row, digits) for row in a) + "]"


def fmt_shape(shape) -> str:
    """``(3, 2)``, ``(3,)`` or ``()`` (a scalar)."""
    shape = tuple(int(s) for s in shape)
    if len(shape) == 1:
        return f"({shape[0]},)"
    return "(" + ", ".join(str(s) for s in shape) + ")"


def fmt_dtype(dtype) -> str:
    """``float32`` for a NumPy dtype (what ``node.in_meta`` holds)."""
    return str(np.dtype(dtype))


def norm(a: np.ndarray) -> float:
    """The Frobenius (L2) norm, computed in float64 so float32 data does not overflow."""
    return float(np.sqrt(np.sum(np.square(np.asarray(a, dtype=np.float64)))))


def fmt_array(a, limit: int = 12, digits: int = 4) -> str:
    """Values as nested lists when ``a`` has at most ``limit`` elements, else shape and norm.

    >>> fmt_array(np.array([[1.0, -0.0], [0.5, 2.25]]))
    '[[1, 0], [0.5, 2.25]]'
    >>> fmt_array(np.ones((4, 4)), limit=12)
    'shape (4, 4), norm 4'
    """
    a = np.asarray(a)
    if a.size <= limit:
        return _nested(a, digits)
    return f"shape {fmt_shape(a.shape)}, norm {fmt_num(norm(a), digits)}"


def short_op_name(name: str) -> str:
    """``AddmmBackward0`` -> ``Addmm``; ``MyFnBackward`` -> ``MyFn``; other names unchanged."""
    for suffix in ("Backward0", "Backward1", "Backward2", "Backward"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def emit(text: str, file=None) -> None:
    """Writes ``text`` to ``file``: a text stream, a path (UTF-8), or ``sys.stdout`` (None)."""
    if file is None:
        sys.stdout.write(text)
    elif isinstance(file, (str, os.PathLike)):
        with open(file, "w", encoding="utf-8") as fh:
            fh.write(text)
    elif hasattr(file, "write"):
        file.write(text)
    else:
        raise TypeError(f"file= takes a text stream or a path, got {type(file).__name__}")
