"""Top-level torch constants, types and state functions: layouts (``torch.strided``),
memory formats (``torch.channels_last``), ``torch.newaxis``, exception classes, the anomaly/
deterministic/autocast switches, ``torch.cond``/``while_loop``, DLPack, ``sym_*`` helpers.
Served lazily through ``chainrule._aliases_functional``.
"""

from __future__ import annotations

import math

from ._tensor import Tensor
from .amp import GradScaler  # torch.GradScaler is torch.amp.GradScaler

__all__ = [
    "TYPE_CHECKING",
    "AcceleratorError",
    "GradScaler",
    "OutOfMemoryError",
    "channels_last",
    "channels_last_3d",
    "clear_autocast_cache",
    "compiled_with_cxx11_abi",
    "cond",
    "contiguous_format",
    "fork",
    "from_dlpack",
    "get_autocast_cpu_dtype",
    "get_autocast_dtype",
    "get_autocast_gpu_dtype",
    "get_deterministic_debug_mode",
    "get_device",
    "get_device_module",
    "has_lapack",
    "has_mkl",
    "has_openmp",
    "has_spectral",
    "init_num_threads",
    "is_anomaly_check_nan_enabled",
    "is_anomaly_enabled",
    "is_autocast_cache_enabled",
    "is_autocast_cpu_enabled",
    "is_autocast_enabled",
    "is_deterministic_algorithms_warn_only_enabled",
    "is_distributed",
    "is_vulkan_available",
    "jagged",
    "layout",
    "legacy_contiguous_format",
    "memory_format",
    "newaxis",
    "preserve_format",
    "set_anomaly_enabled",
    "set_autocast_cache_enabled",
    "set_autocast_cpu_enabled",
    "set_autocast_dtype",
    "set_autocast_enabled",
    "set_deterministic_debug_mode",
    "set_flush_denormal",
    "sparse_bsc",
    "sparse_bsr",
    "sparse_coo",
    "sparse_csc",
    "sparse_csr",
    "strided",
    "sym_ite",
    "sym_max",
    "sym_min",
    "sym_not",
    "sym_sqrt",
    "sym_sum",
    "to_dlpack",
    "vmap",
    "wait",
    "while_loop",
]


# -- layouts and memory formats -----------------------------------------------------------------


class layout(str):
    """A tensor layout (``torch.strided``...). It equals its name string, which is what older
    chainrule code compares ``Tensor.layout`` with."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str.__str__(self)


strided = layout("torch.strided")
sparse_coo = layout("torch.sparse_coo")
sparse_csr = layout("torch.sparse_csr")
sparse_csc = layout("torch.sparse_csc")
sparse_bsr = layout("torch.sparse_bsr")
sparse_bsc = layout("torch.sparse_bsc")
jagged = layout("torch.jagged")

if Tensor.layout == "torch.strided" and not isinstance(Tensor.layout, layout):
    Tensor.layout = strided  # the same string, now also a torch.layout


class memory_format:
    """A memory format (``torch.channels_last``...). chainrule arrays are row-major: the
    formats are accepted wherever torch takes one and do not change results."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return f"torch.{self._name}"

    def __reduce__(self):
        return (_memory_format_named, (self._name,))


contiguous_format = memory_format("contiguous_format")
channels_last = memory_format("channels_last")
channels_last_3d = memory_format("channels_last_3d")
preserve_format = memory_format("preserve_format")
legacy_contiguous_format = contiguous_format
_FORMATS = {f._name: f for f in (contiguous_format, channels_last, channels_last_3d,
                                  preserve_format)}


def _memory_format_named(name: str) -> memory_format:
    return _FORMATS[name]


newaxis = None
TYPE_CHECKING = False
has_lapack = True  # NumPy's linear algebra is LAPACK
has_mkl = False
has_openmp = False
has_spectral = True  # numpy.fft


class OutOfMemoryError(RuntimeError):
    """torch.OutOfMemoryError (torch.cuda.OutOfMemoryError): raised when an allocation fails."""


class AcceleratorError(RuntimeError):
    """torch.AcceleratorError: an error reported by the accelerator."""


def vmap(func, *args, **kwargs):
    """``torch.func.vmap``."""
    from .func import vmap as _vmap

    return _vmap(func, *args, **kwargs)


def fork(func, *args, **kwargs):
    """``torch.jit.fork``: runs ``func`` now and returns a future of its result."""
    from .jit import fork as _fork

    return _fork(func, *args, **kwargs)


def wait(future):
    """``torch.jit.wait``."""
    from .jit import wait as _wait

    return _wait(future)


# -- state ---------------------------------------------------------------------------------------


def is_anomaly_enabled() -> bool:
    from .autograd import anomaly

    return anomaly.is_anomaly_enabled()


def is_anomaly_check_nan_enabled() -> bool:
    from .autograd import anomaly

    return anomaly.is_anomaly_check_nan_enabled()


def set_anomaly_enabled(enabled: bool, check_nan: bool = True) -> None:
    from .autograd import anomaly

    anomaly.set_detect_anomaly(enabled, check_nan)


_warn_only = [False]


def get_deterministic_debug_mode() -> int:
    """0 (default), 1 (warn) or 2 (error), as set by ``use_deterministic_algorithms``/
    ``set_deterministic_debug_mode``."""
    from . import _toplevel

    if _toplevel.are_deterministic_algorithms_enabled():
        return 1 if _warn_only[0] else 2
    return 0


def set_deterministic_debug_mode(debug_mode) -> None:
    from . import _toplevel

    modes = {"default": 0, "warn": 1, "error": 2}
    mode = modes[debug_mode] if isinstance(debug_mode, str) else int(debug_mode)
    if mode not in (0, 1, 2):
        raise RuntimeError(f"invalid value of debug_mode, expected 0, 1, or 2, but got {mode}")
    _warn_only[0] = mode == 1
    _toplevel.use_deterministic_algorithms(mode > 0, warn_only=mode == 1)


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    return get_deterministic_debug_mode() == 1


def set_flush_denormal(mode: bool) -> bool:
    """False: NumPy cannot flush denormals to zero (torch returns False where unsupported)."""
    return False


def init_num_threads() -> None:
    """Nothing to do: NumPy's thread pools start on their own."""


def compiled_with_cxx11_abi() -> bool:
    return True


def is_vulkan_available() -> bool:
    return False


def get_device(input: Tensor) -> int:
    """The CUDA device index of a tensor, -1 on CPU."""
    dev = input.device
    return -1 if dev.type == "cpu" else (dev.index or 0)


def is_distributed(input: Tensor) -> bool:
    return False


def get_device_module(device=None):
    """``chainrule.cuda`` for a CUDA device, ``chainrule.cpu`` otherwise."""
    import importlib

    kind = getattr(device, "type", device) or "cpu"
    kind = str(kind).split(":")[0]
    if kind not in ("cpu", "cuda"):
        raise RuntimeError(f"Device '{kind}' does not have a corresponding module registered "
                           "as 'torch.{kind}'.")
    return importlib.import_module(f"chainrule.{kind}")


def cond(pred, true_fn, false_fn, operands=(), **kwargs):
    """``true_fn(*operands)`` if ``pred`` else ``false_fn(*operands)`` (eagerly)."""
    take = bool(pred.item() if isinstance(pred, Tensor) else pred)
    return (true_fn if take else false_fn)(*operands)


def while_loop(cond_fn, body_fn, carried_inputs):
    """Runs ``carried = body_fn(*carried)`` while ``cond_fn(*carried)`` holds (eagerly)."""
    carried = tuple(carried_inputs)
    while bool(cond_fn(*carried)):
        out = body_fn(*carried)
        carried = tuple(out) if isinstance(out, (tuple, list)) else (out,)
    return carried


def from_dlpack(ext_tensor) -> Tensor:
    """A tensor sharing memory with any DLPack producer (a torch or NumPy array...) on CPU."""
    import numpy as np

    return Tensor._wrap(np.from_dlpack(ext_tensor))


def to_dlpack(tensor: Tensor):
    """A DLPack capsule of the tensor's memory."""
    return tensor._data.__dlpack__()


def sym_max(a, b):
    return max(a, b)


def sym_min(a, b):
    return min(a, b)


def sym_not(a) -> bool:
    return not a


def sym_sqrt(a) -> float:
    return math.sqrt(a)


def sym_sum(args):
    return sum(args)


def sym_ite(b, t, f):
    return t if b else f


# -- autocast state (chainrule.amp) -------------------------------------------------------------


def get_autocast_dtype(device_type: str):
    from .amp import autocast_mode

    return autocast_mode.get_autocast_dtype(device_type)


def set_autocast_dtype(device_type: str, dtype) -> None:
    from .amp import autocast_mode

    setter = getattr(autocast_mode, "set_autocast_dtype", None)
    if setter is None:
        raise NotImplementedError("chainrule: set_autocast_dtype is not supported; use "
                                  "torch.autocast(device_type, dtype=...)")
    setter(device_type, dtype)


def is_autocast_enabled(device_type: str | None = None) -> bool:
    from .amp import autocast_mode

    return autocast_mode.is_autocast_enabled(device_type)


def set_autocast_enabled(device_type, enabled: bool | None = None) -> None:
    from .amp import autocast_mode

    autocast_mode.set_autocast_enabled(device_type, enabled)


def _deprecated_autocast(old: str, new: str) -> None:
    import warnings

    warnings.warn(f"torch.{old}() is deprecated. Please use torch.{new} instead.",
                  DeprecationWarning, stacklevel=3)


def get_autocast_cpu_dtype():
    _deprecated_autocast("get_autocast_cpu_dtype", "get_autocast_dtype('cpu')")
    return get_autocast_dtype("cpu")


def get_autocast_gpu_dtype():
    _deprecated_autocast("get_autocast_gpu_dtype", "get_autocast_dtype('cuda')")
    return get_autocast_dtype("cuda")


def is_autocast_cpu_enabled() -> bool:
    _deprecated_autocast("is_autocast_cpu_enabled", "is_autocast_enabled('cpu')")
    return is_autocast_enabled("cpu")


def set_autocast_cpu_enabled(enabled: bool) -> None:
    _deprecated_autocast("set_autocast_cpu_enabled", "set_autocast_enabled('cpu', enabled)")
    set_autocast_enabled("cpu", enabled)


def clear_autocast_cache() -> None:
    """Nothing to clear: chainrule's autocast keeps no cast-weight cache."""


def is_autocast_cache_enabled() -> bool:
    return True


def set_autocast_cache_enabled(enabled: bool) -> None:
    """Accepted and ignored: chainrule's autocast keeps no cache."""
