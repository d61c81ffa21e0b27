"""``torch.amp``: automatic mixed precision.

chainrule computes in the dtypes you choose: ``autocast`` is a context manager and decorator
that changes nothing (NumPy has no fast half-precision matmul to cast to), and ``GradScaler``
implements torch's loss-scaling algorithm (scale, unscale and inf check, skipped steps,
growth/backoff) on the CPU.
"""

from __future__ import annotations

from .autocast_mode import (
    autocast,
    custom_bwd,
    custom_fwd,
    get_autocast_dtype,
    is_autocast_available,
    is_autocast_enabled,
    set_autocast_enabled,
)
from .grad_scaler import GradScaler, OptState

__all__ = [
    "GradScaler",
    "OptState",
    "autocast",
    "custom_bwd",
    "custom_fwd",
    "get_autocast_dtype",
    "is_autocast_available",
    "is_autocast_enabled",
    "set_autocast_enabled",
]
