"""The op table: one row per differentiable op, in the spirit of torch's OpInfo.

A row names the chainrule op(s) it covers, one call written against the API chainrule and
torch share (``fn(m, *args, **kwargs)`` is called with ``m = chainrule`` and ``m = torch``; a
row may give a separate ``torch_fn`` where the spellings differ), and a sample generator.
Samples hold NumPy arrays: float arrays become tensors that require grad, integer and bool
arrays become constant tensors, :class:`Const` wraps a float array that must not require grad,
and anything else (Python numbers, tuples of dims) is passed through as is. Input domains live
in the generators (positive for log, away from kinks for abs and relu, distinct values where
ties would make the gradient ambiguous); samples that probe ties turn off the finite-difference
check, which cannot judge a kink.

The rows themselves are spread over ``rows_*.py`` by kind; ``OP_TABLE`` is their union.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable

import numpy as np

__all__ = ["Sample", "OpRow", "Const", "Maker", "OP_TABLE", "NON_DIFFERENTIABLE", "row"]


@dataclass
class Const:
    """A float array passed as a tensor that does not require grad."""

    array: np.ndarray


@dataclass
class Sample:
    args: tuple
    kwargs: dict = field(default_factory=dict)
    desc: str = ""
    gradcheck: bool = True  # False at kinks/ties, where finite differences are meaningless
    backward: bool = True  # False where torch's own gradient is undefined for this sample


@dataclass
class OpRow:
    name: str
    covers: tuple[str, ...]
    fn: Callable
    samples: Callable[[Maker], list[Sample]]
    torch_fn: Callable | None = None
    dtypes: tuple[str, ...] = ("float32", "float64")
    rtol32: float = 1e-5
    atol32: float = 1e-5
    rtol64: float = 1e-10
    atol64: float = 1e-12
    grad_rtol: float = 1e-9
    grad_atol: float = 1e-10
    gradcheck: bool = True
    gradgradcheck: bool = False
    method: str | None = None  # also compare ``args[0].<method>(*args[1:], **kwargs)``

    def call(self, lib, args, kwargs):
        is_torch = lib.__name__ == "torch"
        fn = self.torch_fn if (is_torch and self.torch_fn is not None) else self.fn
        return fn(lib, *args, **kwargs)


def row(name: str, samples, fn=None, covers=None, method: str | bool | None = True,
        **kw) -> OpRow:
    """A row whose call defaults to ``m.<name>(*args, **kwargs)``."""
    op = name.split(".")[0]
    if fn is None:
        def fn(m, *args, _op=op, **kwargs):
            return getattr(m, _op)(*args, **kwargs)
    if method is True:
        method = op
    covers = (op,) if covers is None else covers
    return OpRow(name=name, covers=tuple(covers), fn=fn, samples=samples, method=method or None,
                 **kw)


class Maker:
    """Random sample arrays (float64, NumPy) with the domains ops need."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = np.random.default_rng(seed)

    def real(self, *shape, low: float = -2.0, high: float = 2.0) -> np.ndarray:
        return np.asarray(self.rng.uniform(low, high, shape))

    def pos(self, *shape, low: float = 0.5, high: float = 2.5) -> np.ndarray:
        return np.asarray(self.rng.uniform(low, high, shape))

    def away(self, *shape, margin: float = 0.2, scale: float = 2.0) -> np.ndarray:
        """Values at least ``margin`` away from zero (for kinks at 0)."""
        mag = self.rng.uniform(margin, scale, shape)
        return np.asarray(np.where(self.rng.random(shape) < 0.5, -mag, mag))

    def off_grid(self, *shape) -> np.ndarray:
        """Values at least 0.1 away from integers and half-integers (rounding ops)."""
        base = self.rng.integers(-3, 3, shape).astype(np.float64)
        frac = self.rng.uniform(0.1, 0.4, shape) + 0.5 * self.rng.integers(0, 2, shape)
        return np.asarray(base + frac)

    def distinct(self, *shape, gap: float = 0.1) -> np.ndarray:
        """Distinct values, pairwise at least ``gap`` apart (no ties for max/sort)."""
        n = int(np.prod(shape)) if shape else 1
        values = (self.rng.permutation(n) - n / 2) * gap * 3 + self.rng.uniform(0, gap, n)
        return values.reshape(shape)

    def index(self, *shape, high: int) -> np.ndarray:
        return np.asarray(self.rng.integers(0, high, shape), dtype=np.int64)

    def mask(self, *shape, p: float = 0.5) -> np.ndarray:
        return np.asarray(self.rng.random(shape) < p)

    def perm_index(self, shape, dim: int, size: int) -> np.ndarray:
        """Indices along ``dim`` without repeats in any line (for scatter without collisions)."""
        out = np.empty(shape, dtype=np.int64)
        moved = np.moveaxis(out, dim, -1)
        for pos in np.ndindex(moved.shape[:-1]):
            moved[pos] = self.rng.permutation(size)[: shape[dim]]
        return out


# Ops in ``chainrule.ops.__all__`` that have no gradient (or are engine internals), each with
# the reason it has no row. The coverage test fails for any other op without a row.
NON_DIFFERENTIABLE: dict[str, str] = {
    **{name: "comparison: returns bool, no gradient" for name in (
        "eq", "ne", "lt", "le", "gt", "ge", "greater", "less", "greater_equal", "less_equal",
        "not_equal", "equal", "isclose", "allclose", "isin")},
    **{name: "logical/bitwise: bool or integer result, no gradient" for name in (
        "logical_and", "logical_or", "logical_xor", "logical_not", "bitwise_and", "bitwise_or",
        "bitwise_xor", "bitwise_not")},
    **{name: "predicate: bool result, no gradient" for name in (
        "isnan", "isinf", "isfinite", "isposinf", "isneginf", "isreal", "signbit", "all",
        "any")},
    **{name: "integer result (indices or counts), no gradient" for name in (
        "argmax", "argmin", "argsort", "count_nonzero", "nonzero", "searchsorted", "bucketize",
        "unique", "unique_consecutive")},
    "sum_to_shape": "engine internal (broadcast-gradient reduction), tested in test_engine.py",
    "to_dtype": "internal cast behind Tensor.to(dtype); tested in test_tensor_api.py",
    "to_device": "internal move behind Tensor.to(device); tested in test_tensor_api.py",
}


def _collect() -> list[OpRow]:
    import rows_elementwise
    import rows_indexing
    import rows_linalg
    import rows_reduction
    import rows_shape

    rows: list[OpRow] = []
    for module in (rows_elementwise, rows_reduction, rows_shape, rows_linalg, rows_indexing):
        rows.extend(module.ROWS)
    names = [r.name for r in rows]
    dupes = {n for n in names if names.count(n) > 1}
    assert not dupes, f"duplicate row names: {sorted(dupes)}"
    return rows


OP_TABLE: list[OpRow] = _collect()
_ = Any
