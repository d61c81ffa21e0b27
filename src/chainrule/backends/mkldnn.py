"""``torch.backends.mkldnn``: oneDNN switches (inert: chainrule computes with NumPy)."""

from __future__ import annotations

enabled = True
deterministic = False


def is_available() -> bool:
    return False


class flags:
    def __init__(self, enabled=False, deterministic=False) -> None:
        self._enabled = enabled

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc) -> None:
        return None
