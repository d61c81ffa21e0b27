"""Reusable arrays for the fused recurrent layers' per-sequence buffers.

A training step of a recurrent layer fills several ``(T, B, 4H)``-sized arrays (gate
activations, states, their gradients): megabytes that the allocator gets from the OS and hands
back on every step, so each step pays a page fault per 4 KiB touched (a third of an LSTM step
here). The layers take such arrays from this pool instead.

A pooled array is lent again only when nothing else refers to it: ``sys.getrefcount`` counts
every holder (a saved graph, an output tensor, any NumPy view, which keeps its base alive, or a
buffer export), so a buffer still needed by a pending backward, or kept by the caller, is never
handed out twice; it is reused once the graph that saved it is freed. The pool is per thread and
bounded in bytes. Free-threaded Python counts references lazily, so there the pool is off.
"""

from __future__ import annotations

import sys
import threading

import numpy as np

__all__: list[str] = []

MAX_BYTES = 1 << 27  # per thread; beyond it new arrays are not pooled
_ENABLED = getattr(sys, "_is_gil_enabled", lambda: True)()
_LOCAL = threading.local()
_getrefcount = sys.getrefcount


def _free(pool: list, i: int) -> bool:
    # a free array is referenced by the pool list and by getrefcount's argument only
    return _getrefcount(pool[i]) == 2


def take(shape: tuple, dtype) -> np.ndarray:
    """An uninitialized C-contiguous array of ``shape`` and ``dtype``, from the pool if one is
    free (its contents are whatever its last user left)."""
    if not _ENABLED:
        return np.empty(shape, dtype)
    pool = getattr(_LOCAL, "pool", None)
    if pool is None:
        pool = _LOCAL.pool = []
    dtype = np.dtype(dtype)
    for i in range(len(pool)):
        buf = pool[i]
        if buf.shape == shape and buf.dtype == dtype:
            del buf
            if _free(pool, i):
                return pool[i]
    new = np.empty(shape, dtype)
    total = sum(b.nbytes for b in pool) + new.nbytes
    i = 0
    while total > MAX_BYTES and i < len(pool):  # make room: drop free arrays, oldest first
        if _free(pool, i):
            total -= pool.pop(i).nbytes
        else:
            i += 1
    if total > MAX_BYTES:
        return new
    pool.append(new)
    return new


def clear() -> None:
    """Drops this thread's pooled arrays (those still in use stay alive with their users)."""
    _LOCAL.pool = []
