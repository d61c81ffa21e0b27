"""``torch.accelerator``: which accelerator the process uses (chainrule's is CUDA via CuPy, when
present; otherwise none)."""

from __future__ import annotations

from ._backend import cuda_available

__all__ = [
    "current_accelerator",
    "current_device_index",
    "device_count",
    "is_available",
    "set_device_index",
    "synchronize",
]


def is_available() -> bool:
    return cuda_available()


def current_accelerator(check_available: bool = False):
    """``device('cuda')`` when a GPU is usable, else None (as torch on a CPU-only machine)."""
    if cuda_available():
        from ._backend import device

        return device("cuda")
    return None


def device_count() -> int:
    return 1 if cuda_available() else 0


def current_device_index() -> int:
    return 0 if cuda_available() else -1


def set_device_index(device) -> None:
    return None


set_device_idx = set_device_index
current_device_idx = current_device_index


def synchronize(device=None) -> None:
    return None
