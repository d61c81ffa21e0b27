"""``torch.cpu``: the CPU as a device module, for device-agnostic code
(``torch.get_device_module(device).synchronize()``). The CPU runs synchronously: streams and
events are no-ops with torch's interface."""

from __future__ import annotations

__all__ = [
    "Event",
    "Stream",
    "StreamContext",
    "current_device",
    "current_stream",
    "device_count",
    "is_available",
    "is_initialized",
    "set_device",
    "stream",
    "synchronize",
]


def is_available() -> bool:
    return True


def is_initialized() -> bool:
    return True


def device_count() -> int:
    return 1


def current_device() -> str:
    return "cpu"


def set_device(device) -> None:
    """Accepted for the interface; there is one CPU device."""


def synchronize(device=None) -> None:
    """Nothing to wait for: CPU work is done when a call returns."""


class Stream:
    """torch.cpu.Stream: work on the CPU is synchronous, so a stream is a placeholder."""

    def __init__(self, priority: int = -1) -> None:
        self.priority = priority

    def wait_stream(self, stream) -> None:
        pass

    def synchronize(self) -> None:
        pass

    def query(self) -> bool:
        return True


class Event:
    """torch.cpu.Event: recorded work is always complete."""

    def query(self) -> bool:
        return True

    def record(self, stream=None) -> None:
        pass

    def synchronize(self) -> None:
        pass

    def wait(self, stream=None) -> None:
        pass


_default_stream = Stream()


def current_stream(device=None) -> Stream:
    return _default_stream


class StreamContext:
    """``with torch.cpu.stream(s):`` runs the block as usual."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def __enter__(self):
        return self.stream

    def __exit__(self, *exc) -> None:
        return None


def stream(stream) -> StreamContext:
    return StreamContext(stream)
