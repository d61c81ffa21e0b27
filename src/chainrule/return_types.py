"""Named result tuples, as ``torch.return_types`` (``values``/``indices`` fields)."""

from __future__ import annotations

from collections import namedtuple

__all__ = ["max", "min", "sort", "topk", "aminmax", "kthvalue", "median", "mode"]

max = namedtuple("max", ["values", "indices"])  # noqa: A001
min = namedtuple("min", ["values", "indices"])  # noqa: A001
sort = namedtuple("sort", ["values", "indices"])
topk = namedtuple("topk", ["values", "indices"])
kthvalue = namedtuple("kthvalue", ["values", "indices"])
median = namedtuple("median", ["values", "indices"])
mode = namedtuple("mode", ["values", "indices"])
aminmax = namedtuple("aminmax", ["min", "max"])
for _cls in (max, min, sort, topk, kthvalue, median, mode, aminmax):
    _cls.__module__ = "torch.return_types"
    _cls.__repr__ = lambda self, _n=_cls.__name__: (  # type: ignore[method-assign]
        f"torch.return_types.{_n}(\n"
        + ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
        + ")"
    )


def minmax_result(values, indices, is_max: bool):
    return (max if is_max else min)(values, indices)


def aminmax_result(lo, hi):
    return aminmax(lo, hi)
