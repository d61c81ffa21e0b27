"""The array backend: NumPy on the CPU, CuPy on a GPU. The only file that imports CuPy.

Ops take their array module from the array they receive (``xp = array_module(a)``); most of
them just call NumPy functions, which CuPy arrays also accept through NumPy's dispatch
protocols (``__array_ufunc__``, ``__array_function__``).
"""

from __future__ import annotations

import numpy as np

__all__ = ["device", "array_module", "cuda_available", "to_device_array"]

_cupy = None
_cupy_checked = False


def _get_cupy():
    global _cupy, _cupy_checked
    if not _cupy_checked:
        _cupy_checked = True
        try:
            import cupy  # noqa: PLC0415

            cupy.cuda.runtime.getDeviceCount()
            _cupy = cupy
        except Exception:  # no CuPy, or CuPy without a working GPU
            _cupy = None
    return _cupy


def cuda_available() -> bool:
    return _get_cupy() is not None


def array_module(array):
    """numpy, or cupy for a CuPy array."""
    if type(array) is np.ndarray:
        return np
    cp = _get_cupy()
    if cp is not None and isinstance(array, cp.ndarray):
        return cp
    return np


class NoCudaError(AssertionError, RuntimeError):
    """CUDA asked for without a GPU: an AssertionError as in torch (and a RuntimeError)."""


class device:  # noqa: N801 - torch's name
    """Where a tensor lives: ``device('cpu')`` or ``device('cuda', 0)``."""

    __slots__ = ("type", "index")

    def __init__(self, type: str | device, index: int | None = None) -> None:  # noqa: A002
        if isinstance(type, device):
            self.type, self.index = type.type, type.index
            return
        if not isinstance(type, str):
            raise TypeError(f"device() expects a string like 'cpu' or 'cuda:0', got {type!r}")
        if ":" in type:
            type, idx = type.split(":", 1)
            index = int(idx)
        if type not in ("cpu", "cuda", "mps", "meta"):
            raise RuntimeError(
                f"Expected one of cpu, cuda, mps, meta device type at start of device string: "
                f"{type}"
            )
        self.type = type
        self.index = index

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other) -> bool:
        if isinstance(other, str):
            other = device(other)
        if not isinstance(other, device):
            return NotImplemented
        return self.type == other.type and (
            self.index == other.index or self.index is None or other.index is None
        )

    def __hash__(self) -> int:
        return hash(self.type)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None


CPU = device("cpu")
_CUDA = device("cuda", 0)


def device_of(array) -> device:
    return CPU if type(array) is np.ndarray else (_CUDA if array_module(array) is not np else CPU)


def parse_device(dev) -> device:
    if dev is None:
        return CPU
    if isinstance(dev, device):
        return dev
    if isinstance(dev, int):
        return device("cuda", dev)
    return device(dev)


def to_device_array(array, dev: device):
    """Moves ``array`` to ``dev``; raises a clear error when CUDA is asked for without a GPU."""
    if dev.type == "cpu" or dev.type == "meta":
        if type(array) is np.ndarray:
            return array
        cp = _get_cupy()
        if cp is not None and isinstance(array, cp.ndarray):
            return cp.asnumpy(array)
        return np.asarray(array)
    if dev.type == "cuda":
        cp = _get_cupy()
        if cp is None:
            raise NoCudaError(
                "Torch not compiled with CUDA enabled: chainrule needs CuPy and a working "
                "NVIDIA GPU for device='cuda' (pip install cupy-cuda12x). Use device='cpu'."
            )
        return cp.asarray(array)
    raise RuntimeError(f"chainrule does not support device type '{dev.type}'; use 'cpu'")
