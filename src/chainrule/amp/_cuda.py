"""``torch.cuda.amp``: the deprecated CUDA spellings of ``torch.amp``.

``torch.cuda.amp.autocast(...)`` is ``torch.amp.autocast("cuda", ...)`` and
``torch.cuda.amp.GradScaler(...)`` is ``torch.amp.GradScaler("cuda", ...)`` (which disables
itself with a warning when there is no GPU, as torch does).
"""

from __future__ import annotations

from . import autocast_mode as _autocast_mode
from . import grad_scaler as _grad_scaler
from .autocast_mode import custom_bwd, custom_fwd

__all__ = ["GradScaler", "autocast", "custom_bwd", "custom_fwd"]


class autocast(_autocast_mode.autocast):
    def __init__(self, enabled: bool = True, dtype=None, cache_enabled: bool = True) -> None:
        super().__init__("cuda", dtype=dtype, enabled=enabled, cache_enabled=cache_enabled)


class GradScaler(_grad_scaler.GradScaler):
    def __init__(self, init_scale: float = 2.0**16, growth_factor: float = 2.0,
                 backoff_factor: float = 0.5, growth_interval: int = 2000,
                 enabled: bool = True) -> None:
        super().__init__("cuda", init_scale, growth_factor, backoff_factor, growth_interval,
                         enabled)
