"""``torch.multiprocessing``: Python's ``multiprocessing`` with torch's additions.

Tensors pickle by value (NumPy arrays), so they pass between processes as in torch's
file-system sharing strategy. ``spawn`` starts ``nprocs`` processes running ``fn(i, *args)``.
"""

from __future__ import annotations

import multiprocessing as _mp
from multiprocessing import *

__all__ = [name for name in dir(_mp) if not name.startswith("_")] + [
    "spawn", "start_processes", "get_sharing_strategy", "set_sharing_strategy",
    "get_all_sharing_strategies", "ProcessContext", "ProcessRaisedException",
]

_sharing_strategy = "file_system"


def get_all_sharing_strategies() -> set:
    return {"file_system", "file_descriptor"}


def get_sharing_strategy() -> str:
    return _sharing_strategy


def set_sharing_strategy(new_strategy: str) -> None:
    global _sharing_strategy
    if new_strategy not in get_all_sharing_strategies():
        raise ValueError(f"unknown sharing strategy {new_strategy!r}")
    _sharing_strategy = new_strategy


class ProcessRaisedException(Exception):
    """A spawned process ended with an exception."""

    def __init__(self, msg: str, error_index: int, error_pid: int) -> None:
        super().__init__(msg)
        self.error_index = error_index
        self.pid = error_pid


class ProcessContext:
    def __init__(self, processes) -> None:
        self.processes = processes

    def pids(self) -> list:
        return [p.pid for p in self.processes]

    def join(self, timeout=None) -> bool:
        for i, p in enumerate(self.processes):
            p.join(timeout)
            if p.exitcode not in (0, None):
                raise ProcessRaisedException(
                    f"process {i} terminated with exit code {p.exitcode}", i, p.pid
                )
        return all(p.exitcode is not None for p in self.processes)


def _wrap(fn, i, args) -> None:
    fn(i, *args)


def start_processes(fn, args=(), nprocs: int = 1, join: bool = True, daemon: bool = False,
                    start_method: str = "spawn"):
    ctx = _mp.get_context(start_method)
    processes = []
    for i in range(nprocs):
        p = ctx.Process(target=_wrap, args=(fn, i, args), daemon=daemon)
        p.start()
        processes.append(p)
    context = ProcessContext(processes)
    if not join:
        return context
    context.join()
    return None


def spawn(fn, args=(), nprocs: int = 1, join: bool = True, daemon: bool = False,
          start_method: str = "spawn"):
    """Runs ``fn(i, *args)`` for i in range(nprocs) in new processes (as torch's)."""
    return start_processes(fn, args, nprocs, join, daemon, start_method)
