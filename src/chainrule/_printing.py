"""Tensor ``repr`` in torch's exact format (a port of the rules in ``torch/_tensor_str.py``).

Floats: when every nonzero finite value is integral the tensor prints in *int mode* (``1.``);
otherwise with ``precision`` decimals, or in scientific notation when the nonzero finite
magnitudes span more than 1000x, exceed 1e8 or fall below 1e-4. Every element is padded to the
width of the widest nonzero finite one. More than ``threshold`` elements are summarized with
``...`` keeping ``edgeitems`` per side of each dim, and the widths come from the shown values
only. Lines wrap at ``linewidth``; suffixes (``dtype=``, ``grad_fn=``, ``requires_grad=True``)
move to a new line when they would pass it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from . import _dtypes

__all__ = ["get_printoptions", "printoptions", "set_printoptions", "tensor_repr"]


@dataclasses.dataclass
class _PrinterOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


PRINT_OPTS = _PrinterOptions()
OPTS = PRINT_OPTS  # older name kept for callers inside the package

_PROFILES = {
    "default": (4, 1000, 3, 80),
    "short": (2, 1000, 2, 80),
    "full": (4, math.inf, 3, 80),
}


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """Sets how tensors print, as ``torch.set_printoptions``.

    Args:
        precision: digits after the decimal point (default 4).
        threshold: element count above which a tensor is summarized (default 1000).
        edgeitems: items kept at each end of each summarized dim (default 3).
        linewidth: characters per line before wrapping (default 80).
        profile: ``"default"``, ``"short"`` or ``"full"`` presets, overridable by the above.
        sci_mode: force (True) or forbid (False) scientific notation; None chooses per tensor.
            Like torch, every call resets it to the value passed (None when omitted).
    """
    if profile is not None:
        if profile not in _PROFILES:
            raise ValueError(f"profile must be one of {sorted(_PROFILES)}, got {profile!r}")
        (PRINT_OPTS.precision, PRINT_OPTS.threshold, PRINT_OPTS.edgeitems,
         PRINT_OPTS.linewidth) = _PROFILES[profile]
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """The current print options, as keyword arguments for ``set_printoptions``."""
    return dataclasses.asdict(PRINT_OPTS)


@contextlib.contextmanager
def printoptions(**kwargs) -> Iterator[None]:
    """Temporarily changes the print options (same arguments as ``set_printoptions``)."""
    old = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old)


class _Formatter:
    """Chooses int/fixed/scientific mode and the common width from the values shown."""

    def __init__(self, values: np.ndarray) -> None:
        self.floating = values.dtype.kind == "f"
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        flat = values.reshape(-1)
        if not self.floating:
            # ints and bools print as Python prints them
            for v in flat.tolist():
                self.max_width = max(self.max_width, len(str(v)))
            return
        shown = flat[np.isfinite(flat) & (flat != 0)]
        if shown.size == 0:
            return
        magnitudes = np.abs(shown).astype(np.float64)
        lo, hi = float(magnitudes.min()), float(magnitudes.max())
        self.int_mode = bool(np.all(shown == np.ceil(shown)))
        if PRINT_OPTS.sci_mode is None:
            self.sci_mode = hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4
        else:
            self.sci_mode = PRINT_OPTS.sci_mode
        p = PRINT_OPTS.precision
        values_list = shown.tolist()
        if self.sci_mode:
            width = max(len(f"{v:.{p}e}") for v in values_list)
        elif self.int_mode:
            width = max(len(f"{v:.0f}") for v in values_list) + 1  # the trailing "."
        else:
            width = max(len(f"{v:.{p}f}") for v in values_list)
        self.max_width = max(self.max_width, width)

    def width(self) -> int:
        return self.max_width

    def format(self, value) -> str:
        if self.floating:
            p = PRINT_OPTS.precision
            if self.sci_mode:
                s = f"{value:{self.max_width}.{p}e}"
            elif self.int_mode:
                s = f"{value:.0f}"
                if not (math.isinf(value) or math.isnan(value)):
                    s += "."
            else:
                s = f"{value:.{p}f}"
        else:
            s = f"{value}"
        return (self.max_width - len(s)) * " " + s


def _complex_str(value: complex, real_fmt: _Formatter, imag_fmt: _Formatter) -> str:
    real_str = real_fmt.format(value.real)
    imag_str = (imag_fmt.format(value.imag) + "j").lstrip()
    # a sign already present (negative numbers, -0.0) joins directly
    if imag_str[0] in "+-":
        return real_str + imag_str
    return real_str + "+" + imag_str


def _summarized(a: np.ndarray) -> np.ndarray:
    """The values a summarized print shows: ``edgeitems`` from each end of every dim."""
    e = PRINT_OPTS.edgeitems
    if a.ndim == 0:
        return a
    if a.ndim == 1:
        return np.concatenate([a[:e], a[-e:]]) if a.shape[0] > 2 * e else a
    if not e:
        return a[tuple(slice(0, 0) for _ in range(a.ndim))]
    rows = list(a[:e]) + list(a[-e:]) if a.shape[0] > 2 * e else list(a)
    return np.stack([_summarized(r) for r in rows])


class _Printer:
    def __init__(self, fmt: _Formatter, imag_fmt: _Formatter | None, summarize: bool) -> None:
        self.fmt = fmt
        self.imag_fmt = imag_fmt
        self.summarize = summarize

    def value(self, v) -> str:
        if self.imag_fmt is not None:
            return _complex_str(v, self.fmt, self.imag_fmt)
        return self.fmt.format(v)

    def vector(self, a: np.ndarray, indent: int) -> str:
        element_length = self.fmt.width() + 2
        if self.imag_fmt is not None:
            element_length += self.imag_fmt.width() + 1
        per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / element_length))
        e = PRINT_OPTS.edgeitems
        if self.summarize and not e:
            items = ["..."]
        elif self.summarize and a.shape[0] > 2 * e:
            items = ([self.value(v) for v in a[:e].tolist()] + [" ..."]
                     + [self.value(v) for v in a[-e:].tolist()])
        else:
            items = [self.value(v) for v in a.tolist()]
        lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"

    def tensor(self, a: np.ndarray, indent: int) -> str:
        if a.ndim == 0:
            return self.value(a.item())
        if a.ndim == 1:
            return self.vector(a, indent)
        e = PRINT_OPTS.edgeitems
        if self.summarize and a.shape[0] > 2 * e:
            slices = ([self.tensor(a[i], indent + 1) for i in range(e)] + ["..."]
                      + [self.tensor(a[i], indent + 1) for i in range(a.shape[0] - e, a.shape[0])])
        else:
            slices = [self.tensor(a[i], indent + 1) for i in range(a.shape[0])]
        return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(slices) + "]"


def _tensor_str(data: np.ndarray, indent: int) -> str:
    if data.size == 0:
        return "[]"
    summarize = data.size > PRINT_OPTS.threshold
    shown = _summarized(data) if summarize else data
    if data.dtype.kind == "c":
        printer = _Printer(_Formatter(shown.real), _Formatter(shown.imag), summarize)
    else:
        printer = _Printer(_Formatter(shown), None, summarize)
    return printer.tensor(data, indent)


def _add_suffixes(tensor_str: str, suffixes: list[str], indent: int) -> str:
    parts = [tensor_str]
    # torch's own arithmetic (it counts two more than the last line's length)
    last_line_len = len(tensor_str) - tensor_str.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > PRINT_OPTS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


def _host_array(t) -> np.ndarray:
    data = t._data
    if type(data) is np.ndarray:
        return data
    return np.asarray(data.get()) if hasattr(data, "get") else np.asarray(data)


def tensor_repr(t, prefix: str | None = None) -> str:
    """``repr(t)`` exactly as torch writes it (also ``str(t)``)."""
    cls_name = type(t).__name__
    if prefix is None:
        plain = cls_name in ("Tensor", "Parameter")
        prefix = "tensor(" if plain else f"{cls_name}("
    indent = len(prefix)
    data = _host_array(t)
    suffixes: list[str] = []
    dev = t.device
    if dev.type != "cpu":
        suffixes.append(f"device='{dev}'")
    default_float = _dtypes._default_float
    dt = _dtypes._FROM_NUMPY.get(data.dtype)
    default_complex = np.complex128 if default_float is _dtypes.float64 else np.complex64
    has_default_dtype = (
        dt in (default_float, _dtypes.int64, _dtypes.bool_) or data.dtype == default_complex
    )
    if data.size == 0:
        if data.ndim != 1:
            suffixes.append(f"size={tuple(data.shape)}")
        # an empty tensor has no values to show its dtype, so anything non-float says it
        if dt is not default_float:
            suffixes.append(f"dtype={dt}")
        body = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            suffixes.append(f"size={tuple(data.shape)}")
        if not has_default_dtype:
            suffixes.append(f"dtype={dt}")
        body = _tensor_str(data, indent)
    fn = t.grad_fn
    if fn is not None:
        suffixes.append(f"grad_fn=<{_grad_fn_name(fn)}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + body, suffixes, indent)


def _grad_fn_name(fn) -> str:
    name = fn.name() if hasattr(fn, "name") else type(fn).__name__
    return name.rsplit("::", 1)[-1]
