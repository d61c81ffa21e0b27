"""``torch.cuda``: reports no GPU unless CuPy finds one; seeding calls are harmless no-ops."""

from __future__ import annotations

import sys as _sys

from ._backend import cuda_available

__all__ = ["is_available", "device_count", "manual_seed", "manual_seed_all", "current_device",
           "get_device_name", "synchronize", "empty_cache", "set_device", "is_bf16_supported",
           "memory_allocated", "max_memory_allocated", "memory_reserved", "device", "amp"]


def is_available() -> bool:
    return cuda_available()


def device_count() -> int:
    return 1 if cuda_available() else 0


def manual_seed(seed: int) -> None:
    from ._creation import manual_seed as _seed  # noqa: PLC0415

    if cuda_available():
        _seed(seed)


def manual_seed_all(seed: int) -> None:
    manual_seed(seed)


def seed() -> None:
    return None


def seed_all() -> None:
    return None


def current_device() -> int:
    if not cuda_available():
        raise RuntimeError("Torch not compiled with CUDA enabled (no GPU: chainrule runs on CPU)")
    return 0


def get_device_name(device=None) -> str:
    if not cuda_available():
        raise RuntimeError("Torch not compiled with CUDA enabled (no GPU: chainrule runs on CPU)")
    import cupy  # noqa: PLC0415

    return cupy.cuda.runtime.getDeviceProperties(0)["name"].decode()


def set_device(device) -> None:
    return None


def synchronize(device=None) -> None:
    return None


def empty_cache() -> None:
    return None


def is_bf16_supported(including_emulation: bool = True) -> bool:
    return False


def memory_allocated(device=None) -> int:
    return 0


max_memory_allocated = memory_reserved = max_memory_reserved = memory_allocated


def reset_peak_memory_stats(device=None) -> None:
    return None


class device:  # noqa: N801
    def __init__(self, device) -> None:
        self.idx = device

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None


# ``torch.cuda.amp`` is a module in torch (``from torch.cuda.amp import autocast`` works).
from .amp import _cuda as amp  # noqa: E402

_sys.modules[__name__ + ".amp"] = amp


class _CudaLegacyMeta(type):
    """``torch.cuda.FloatTensor`` and friends: usable as names (``dtype = torch.cuda.FloatTensor
    if use_cuda else torch.FloatTensor``); constructing one needs a GPU."""

    def __call__(cls, *args, **kwargs):
        if not cuda_available():
            raise TypeError(
                f"type torch.cuda.{cls.__name__} not available. Torch not compiled with CUDA "
                "enabled."
            )
        from . import _legacy  # noqa: PLC0415

        return getattr(_legacy, cls.__name__)(*args, **kwargs).cuda()

    def __instancecheck__(cls, obj) -> bool:
        from ._tensor import Tensor  # noqa: PLC0415

        return isinstance(obj, Tensor) and obj.is_cuda and obj.dtype is cls._chainrule_dtype

    def __repr__(cls) -> str:
        return f"<class 'torch.cuda.{cls.__name__}'>"


def _cuda_legacy(name: str, dtype_name: str) -> type:
    from . import _dtypes  # noqa: PLC0415

    dt = _dtypes._dtype_by_name(dtype_name)
    return _CudaLegacyMeta(name, (), {"_chainrule_dtype": dt, "dtype": dt})


FloatTensor = _cuda_legacy("FloatTensor", "float32")
DoubleTensor = _cuda_legacy("DoubleTensor", "float64")
HalfTensor = _cuda_legacy("HalfTensor", "float16")
LongTensor = _cuda_legacy("LongTensor", "int64")
IntTensor = _cuda_legacy("IntTensor", "int32")
ByteTensor = _cuda_legacy("ByteTensor", "uint8")
BoolTensor = _cuda_legacy("BoolTensor", "bool")
