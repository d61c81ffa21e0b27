"""``torch.profiler``: a wall-clock profiler of ``record_function`` ranges.

chainrule has no kernel-level tracing; ``profile`` records the time and call count of each
``record_function("name")`` block (and of ``profile`` as a whole, as ``[total]``), and
``key_averages().table()`` prints them. Chrome-trace export raises NotImplementedError.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from enum import Enum

__all__ = [
    "ProfilerAction",
    "ProfilerActivity",
    "profile",
    "record_function",
    "schedule",
    "supported_activities",
    "tensorboard_trace_handler",
]


class ProfilerActivity(Enum):
    CPU = 0
    CUDA = 1
    XPU = 2
    MTIA = 3
    HPU = 4
    PrivateUse1 = 5


class ProfilerAction(Enum):
    NONE = 0
    WARMUP = 1
    RECORD = 2
    RECORD_AND_SAVE = 3


def supported_activities() -> set:
    return {ProfilerActivity.CPU}


def schedule(*, wait: int, warmup: int, active: int, repeat: int = 0,
             skip_first: int = 0, skip_first_wait: int = 0) -> Callable[[int], ProfilerAction]:
    """The step -> action schedule of torch (the wall-clock profiler records every step)."""
    def fn(step: int) -> ProfilerAction:
        if step < skip_first:
            return ProfilerAction.NONE
        step -= skip_first
        cycle = wait + warmup + active
        if repeat > 0 and step // cycle >= repeat:
            return ProfilerAction.NONE
        pos = step % cycle
        if pos < wait:
            return ProfilerAction.NONE
        if pos < wait + warmup:
            return ProfilerAction.WARMUP
        return ProfilerAction.RECORD if pos < cycle - 1 else ProfilerAction.RECORD_AND_SAVE

    return fn


def tensorboard_trace_handler(dir_name: str, worker_name=None, use_gzip: bool = False):
    def handler(prof) -> None:
        raise NotImplementedError(
            "torch.profiler.tensorboard_trace_handler: chainrule's profiler records wall-clock "
            "ranges only and cannot write TensorBoard traces"
        )

    return handler


_ACTIVE: list[profile] = []


class _Event:
    __slots__ = ("count", "cpu_time_total", "key")

    def __init__(self, key: str) -> None:
        self.key = key
        self.count = 0
        self.cpu_time_total = 0.0  # microseconds, as torch reports

    @property
    def cpu_time(self) -> float:
        return self.cpu_time_total / max(self.count, 1)


class _EventList(list):
    def table(self, sort_by: str | None = None, row_limit: int = 100, **kwargs) -> str:
        rows = list(self)
        if sort_by and sort_by.startswith(("cpu_time", "self_cpu_time")):
            rows.sort(key=lambda e: -e.cpu_time_total)
        rows = rows[:row_limit] if row_limit and row_limit > 0 else rows
        width = max([len(e.key) for e in rows] + [4])
        lines = [f"{'Name':<{width}}  {'Calls':>7}  {'CPU total':>12}  {'CPU avg':>12}"]
        lines.append("-" * len(lines[0]))
        for e in rows:
            lines.append(f"{e.key:<{width}}  {e.count:>7}  {e.cpu_time_total / 1e3:>10.3f}ms"
                         f"  {e.cpu_time / 1e3:>10.3f}ms")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()


class profile:
    """Context manager recording ``record_function`` ranges (see the module docstring)."""

    def __init__(self, *, activities=None, schedule=None, on_trace_ready=None,
                 record_shapes=False, profile_memory=False, with_stack=False, with_flops=False,
                 with_modules=False, experimental_config=None, use_cuda=None, **kwargs) -> None:
        self.on_trace_ready = on_trace_ready
        self.step_num = 0
        self._events: dict[str, _Event] = {}
        self._start = 0.0

    def _record(self, key: str, seconds: float) -> None:
        ev = self._events.get(key)
        if ev is None:
            ev = self._events[key] = _Event(key)
        ev.count += 1
        ev.cpu_time_total += seconds * 1e6

    def start(self) -> None:
        _ACTIVE.append(self)
        self._start = time.perf_counter()

    def stop(self) -> None:
        self._record("[total]", time.perf_counter() - self._start)
        if self in _ACTIVE:
            _ACTIVE.remove(self)
        if self.on_trace_ready is not None:
            self.on_trace_ready(self)

    def __enter__(self) -> profile:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def step(self) -> None:
        self.step_num += 1

    def key_averages(self, group_by_input_shape: bool = False, group_by_stack_n: int = 0,
                     **kwargs) -> _EventList:
        return _EventList(self._events.values())

    def events(self) -> _EventList:
        return self.key_averages()

    def export_chrome_trace(self, path: str) -> None:
        raise NotImplementedError(
            "profile.export_chrome_trace: chainrule's profiler records wall-clock ranges only"
        )


@contextlib.contextmanager
def _range(name: str):
    start = time.perf_counter()
    try:
        yield
    finally:
        elapsed = time.perf_counter() - start
        for prof in _ACTIVE:
            prof._record(name, elapsed)


class record_function:
    """``with record_function("forward"):`` times the block for the active profilers."""

    def __init__(self, name: str, args: str | None = None) -> None:
        self.name = name
        self._cm = None

    def __enter__(self) -> record_function:
        self._cm = _range(self.name)
        self._cm.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._cm.__exit__(*exc)

    def __call__(self, fn: Callable) -> Callable:
        def wrapper(*args, **kwargs):
            with record_function(self.name):
                return fn(*args, **kwargs)

        return wrapper
