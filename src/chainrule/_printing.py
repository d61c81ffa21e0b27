"""Tensor ``repr`` in torch's format.

Floats: integral values print as ``1.``; otherwise 4 decimals, or scientific notation when the
finite nonzero magnitudes span more than 1000x or fall outside [1e-4, 1e8]. Every element of a
tensor is padded to one width. More than 1000 elements are summarized with ``...``.
"""

from __future__ import annotations

import math

import numpy as np

from . import _dtypes

__all__ = ["tensor_repr", "set_printoptions"]


class _Options:
    precision = 4
    threshold = 1000
    edgeitems = 3
    linewidth = 80
    sci_mode: bool | None = None


OPTS = _Options()


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None) -> None:
    if profile == "default":
        OPTS.precision, OPTS.threshold, OPTS.edgeitems, OPTS.linewidth = 4, 1000, 3, 80
    elif profile == "short":
        OPTS.precision, OPTS.threshold, OPTS.edgeitems, OPTS.linewidth = 2, 1000, 2, 80
    elif profile == "full":
        OPTS.precision, OPTS.threshold, OPTS.edgeitems, OPTS.linewidth = 4, math.inf, 3, 80
    if precision is not None:
        OPTS.precision = precision
    if threshold is not None:
        OPTS.threshold = threshold
    if edgeitems is not None:
        OPTS.edgeitems = edgeitems
    if linewidth is not None:
        OPTS.linewidth = linewidth
    OPTS.sci_mode = sci_mode


class _Formatter:
    def __init__(self, values: np.ndarray) -> None:
        self.kind = values.dtype.kind
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        flat = values.reshape(-1)
        if self.kind == "b":
            self.max_width = 5 if not flat.all() else 4
            if flat.size and flat.all():
                self.max_width = 4
            return
        if self.kind in "iu":
            for v in flat:
                self.max_width = max(self.max_width, len(str(int(v))))
            return
        if self.kind == "c":
            self.int_mode = False
            return
        finite = flat[np.isfinite(flat)].astype(np.float64)
        if finite.size == 0:
            for v in flat:
                self.max_width = max(self.max_width, len(_special(v)))
            return
        nonzero = np.abs(finite[finite != 0])
        self.int_mode = bool(np.all(finite == np.ceil(finite)))
        p = OPTS.precision
        if self.int_mode:
            if nonzero.size and nonzero.max() > 1e8:
                self.sci_mode = True
                strs = [f"{v:.{p}e}" for v in finite]
            else:
                strs = [f"{v:.0f}." for v in finite]
        else:
            hi = nonzero.max() if nonzero.size else 0.0
            lo = nonzero.min() if nonzero.size else 0.0
            if nonzero.size and (hi / lo > 1000.0 or hi > 1e8 or lo < 1e-4):
                self.sci_mode = True
                strs = [f"{v:.{p}e}" for v in finite]
            else:
                strs = [f"{v:.{p}f}" for v in finite]
        if OPTS.sci_mode is not None:
            self.sci_mode = OPTS.sci_mode
            if self.sci_mode:
                strs = [f"{v:.{p}e}" for v in finite]
        self.max_width = max(len(s) for s in strs)
        if finite.size != flat.size:
            for v in flat[~np.isfinite(flat)]:
                self.max_width = max(self.max_width, len(_special(v)))

    def width(self) -> int:
        return self.max_width

    def format(self, value) -> str:
        p = OPTS.precision
        if self.kind == "b":
            s = "True" if value else "False"
        elif self.kind in "iu":
            s = str(int(value))
        elif self.kind == "c":
            s = f"{complex(value):.{p}f}"
        elif not math.isfinite(float(value)):
            s = _special(value)
        elif self.sci_mode:
            s = f"{float(value):.{p}e}"
        elif self.int_mode:
            s = f"{float(value):.0f}."
        else:
            s = f"{float(value):.{p}f}"
        return " " * (self.max_width - len(s)) + s


def _special(v) -> str:
    v = float(v)
    if math.isnan(v):
        return "nan"
    return "inf" if v > 0 else "-inf"


def _summarized(a: np.ndarray) -> np.ndarray:
    e = OPTS.edgeitems
    if a.ndim == 0:
        return a
    if a.shape[0] > 2 * e:
        a = np.concatenate([a[:e], a[-e:]])
    return np.stack([_summarized(x) for x in a]) if a.ndim > 1 else a


def _format_vector(a, fmt, indent, summarize) -> str:
    e = OPTS.edgeitems
    elem_len = fmt.width() + 2
    per_line = max(1, int(math.floor((OPTS.linewidth - indent) / elem_len)))
    if summarize and a.shape[0] > 2 * e:
        items = [fmt.format(v) for v in a[:e]] + ["..."] + [fmt.format(v) for v in a[-e:]]
    else:
        items = [fmt.format(v) for v in a]
    lines = [items[i:i + per_line] for i in range(0, len(items), per_line)]
    body = (",\n" + " " * (indent + 1)).join(", ".join(line) for line in lines)
    return "[" + body + "]"


def _format(a, fmt, indent, summarize) -> str:
    if a.ndim == 0:
        return fmt.format(a.item())
    if a.ndim == 1:
        return _format_vector(a, fmt, indent, summarize)
    e = OPTS.edgeitems
    if summarize and a.shape[0] > 2 * e:
        rows = [_format(x, fmt, indent + 1, summarize) for x in a[:e]] + ["..."] + [
            _format(x, fmt, indent + 1, summarize) for x in a[-e:]]
    else:
        rows = [_format(x, fmt, indent + 1, summarize) for x in a]
    sep = "," + "\n" * (a.ndim - 1) + " " * (indent + 1)
    return "[" + sep.join(rows) + "]"


def tensor_repr(t, prefix: str = "tensor(") -> str:
    data = t._data
    if type(data) is not np.ndarray:
        data = np.asarray(data.get()) if hasattr(data, "get") else np.asarray(data)
    indent = len(prefix)
    suffixes = []
    dev = t.device
    if dev.type != "cpu":
        suffixes.append(f"device='{dev}'")
    if data.size == 0:
        body = "[]"
        if data.ndim != 1:
            suffixes.append(f"size={tuple(data.shape)}")
    else:
        summarize = data.size > OPTS.threshold
        shown = _summarized(data) if summarize else data
        fmt = _Formatter(shown)
        body = _format(shown, fmt, indent, summarize)
    dt = _dtypes._FROM_NUMPY.get(data.dtype)
    if dt not in (_dtypes._default_float, _dtypes.int64, _dtypes.bool_):
        suffixes.append(f"dtype={dt}")
    fn = t.grad_fn
    if fn is not None:
        suffixes.append(f"grad_fn=<{fn.name()}>")
    elif t._rg:
        suffixes.append("requires_grad=True")
    tail = ", ".join(suffixes)
    if tail:
        joiner = ", "
        last_line = (prefix + body).split("\n")[-1]
        if len(last_line) + len(tail) + 2 > OPTS.linewidth and "\n" in body:
            joiner = ",\n" + " " * indent
        return prefix + body + joiner + tail + ")"
    return prefix + body + ")"
