"""``torch.backends.cudnn``: chainrule has no cuDNN; the flags are settable and inert.

``benchmark = True`` / ``deterministic = True`` lines in training scripts run unchanged;
chainrule's kernels are deterministic anyway.
"""

from __future__ import annotations

enabled = True
benchmark = False
benchmark_limit = 10
deterministic = False
allow_tf32 = True


def is_available() -> bool:
    """False: chainrule does not use cuDNN."""
    return False


def version() -> None:
    """None, as torch reports when cuDNN is absent."""
    return


def is_acceptable(tensor) -> bool:
    return False


class flags:
    """``with torch.backends.cudnn.flags(enabled=False):`` sets the flags for a block."""

    def __init__(self, enabled=False, benchmark=False, benchmark_limit=10, deterministic=False,
                 allow_tf32=True) -> None:
        self._new = dict(enabled=enabled, benchmark=benchmark, benchmark_limit=benchmark_limit,
                         deterministic=deterministic, allow_tf32=allow_tf32)
        self._old: dict = {}

    def __enter__(self) -> None:
        module = globals()
        self._old = {k: module[k] for k in self._new}
        module.update(self._new)

    def __exit__(self, *exc) -> None:
        globals().update(self._old)
