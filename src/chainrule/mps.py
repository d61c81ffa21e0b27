"""``torch.mps``: Apple-GPU helpers. chainrule has no MPS backend; calls that would need the
device raise, queries report nothing."""

from __future__ import annotations

__all__ = [
    "current_allocated_memory",
    "device_count",
    "driver_allocated_memory",
    "empty_cache",
    "is_available",
    "manual_seed",
    "seed",
    "synchronize",
]


def is_available() -> bool:
    return False


def device_count() -> int:
    return 0


def _no_mps(*args, **kwargs):
    raise RuntimeError("torch.mps: chainrule has no MPS (Apple GPU) backend; use device='cpu'")


synchronize = _no_mps


def manual_seed(seed: int) -> None:
    return None


def seed() -> None:
    return None


def empty_cache() -> None:
    return None


def current_allocated_memory() -> int:
    return 0


driver_allocated_memory = recommended_max_memory = current_allocated_memory
