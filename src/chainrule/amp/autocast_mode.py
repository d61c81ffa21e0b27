"""``autocast``: accepted everywhere torch accepts it, and computes in the tensors' own dtypes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

__all__ = [
    "autocast",
    "custom_bwd",
    "custom_fwd",
    "get_autocast_dtype",
    "is_autocast_available",
    "is_autocast_enabled",
    "set_autocast_enabled",
]

_DEVICE_TYPES = ("cpu", "cuda", "mps", "xpu", "meta", "hpu", "xla", "mtia")


class autocast:
    """``with torch.autocast(device_type="cuda", dtype=torch.float16):`` runs the block as is.

    chainrule does not down-cast inside autocast regions: results keep the dtypes of the
    inputs (float32 by default), so they equal torch's float32 results rather than its
    float16/bfloat16 ones. Usable as a context manager and as a decorator.

    Args:
        device_type: ``"cuda"``, ``"cpu"``, ... (checked like torch).
        dtype: the dtype torch would cast to; recorded, not applied.
        enabled: whether the region is "on" (reported by ``is_enabled``).
        cache_enabled: accepted for compatibility.
    """

    def __init__(self, device_type: str = "cuda", dtype=None, enabled: bool = True,
                 cache_enabled: bool | None = None) -> None:
        if not isinstance(device_type, str):
            raise ValueError(
                f"Expected `device_type` of type `str`, got: `{type(device_type)}`"
            )
        if device_type not in _DEVICE_TYPES:
            raise RuntimeError(
                f"User specified an unsupported autocast device_type '{device_type}'"
            )
        self.device = device_type
        self.fast_dtype = dtype
        self._enabled = bool(enabled)
        self._cache_enabled = cache_enabled
        self._prev: bool | None = None

    def __enter__(self) -> autocast:
        self._prev = _STATE.get(self.device, False)
        _STATE[self.device] = self._enabled
        return self

    def __exit__(self, *exc) -> None:
        _STATE[self.device] = bool(self._prev)

    def __call__(self, func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with autocast(self.device, self.fast_dtype, self._enabled, self._cache_enabled):
                return func(*args, **kwargs)

        return wrapper


# whether an autocast region is open per device type (reported, never acted on)
_STATE: dict[str, bool] = {}


def is_autocast_available(device_type: str) -> bool:
    """True for the device types whose autocast regions chainrule accepts."""
    return device_type in _DEVICE_TYPES


def is_autocast_enabled(device_type: str | None = None) -> bool:
    """Whether an enabled autocast region is open (default device type: cuda)."""
    return _STATE.get(device_type or "cuda", False)


def set_autocast_enabled(device_type, enabled: bool | None = None) -> None:
    if enabled is None:  # legacy one-argument form: set_autocast_enabled(True) is cuda's
        device_type, enabled = "cuda", device_type
    _STATE[device_type] = bool(enabled)


def get_autocast_dtype(device_type: str):
    from .. import _dtypes

    return _dtypes.float16 if device_type == "cuda" else _dtypes.bfloat16


def custom_fwd(fwd: Callable | None = None, *, device_type: str = "cuda",
               cast_inputs: Any = None) -> Callable:
    """Decorator for custom Function ``forward``s; a pass-through in chainrule."""
    if fwd is None:
        return functools.partial(custom_fwd, device_type=device_type, cast_inputs=cast_inputs)
    return fwd


def custom_bwd(bwd: Callable | None = None, *, device_type: str = "cuda") -> Callable:
    """Decorator for custom Function ``backward``s; a pass-through in chainrule."""
    if bwd is None:
        return functools.partial(custom_bwd, device_type=device_type)
    return bwd
