"""Padding layers: zero, constant, reflection, replication and circular padding (1-3 D).

``padding`` is an int (all sides) or a tuple in :func:`~chainrule.nn.functional.pad`'s order
(``(left, right)``, ``(left, right, top, bottom)``, ``(left, right, top, bottom, front,
back)``); negative amounts crop.
"""

from __future__ import annotations

from ..._tensor import Tensor
from .. import functional as F
from .module import Module

__all__ = [
    "CircularPad1d", "CircularPad2d", "CircularPad3d", "ConstantPad1d", "ConstantPad2d",
    "ConstantPad3d", "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d",
    "ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d", "ZeroPad1d", "ZeroPad2d",
    "ZeroPad3d",
]


def _ntuple(padding, n: int) -> tuple:
    if isinstance(padding, (list, tuple)):
        return tuple(padding)
    return (padding,) * n


class _PadNd(Module):
    mode = "constant"
    nd = 1

    def __init__(self, padding) -> None:
        super().__init__()
        self.padding = _ntuple(padding, 2 * self.nd)

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, self.mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _CircularPadNd(_PadNd):
    mode = "circular"

    def forward(self, input: Tensor) -> Tensor:
        if input.dim() not in (self.nd + 1, self.nd + 2):
            raise ValueError(
                f"expected {self.nd + 1}D or {self.nd + 2}D input (got {input.dim()}D input)"
            )
        return F.pad(input, self.padding, "circular")


class CircularPad1d(_CircularPadNd):
    """Pads the last dim of ``(N, C, W)`` / ``(C, W)`` by wrapping around."""

    nd = 1


class CircularPad2d(_CircularPadNd):
    """Pads the last two dims of ``(N, C, H, W)`` / ``(C, H, W)`` by wrapping around."""

    nd = 2


class CircularPad3d(_CircularPadNd):
    """Pads the last three dims of ``(N, C, D, H, W)`` by wrapping around."""

    nd = 3


class _ReflectionPadNd(_PadNd):
    mode = "reflect"


class ReflectionPad1d(_ReflectionPadNd):
    """Pads the last dim by mirroring it (the edge is not repeated); amounts < size."""

    nd = 1


class ReflectionPad2d(_ReflectionPadNd):
    """Pads the last two dims by mirroring them (the edge is not repeated).

    Example::

        >>> import chainrule as torch
        >>> torch.nn.ReflectionPad2d(1)
        ReflectionPad2d((1, 1, 1, 1))
    """

    nd = 2


class ReflectionPad3d(_ReflectionPadNd):
    """Pads the last three dims by mirroring them."""

    nd = 3


class _ReplicationPadNd(_PadNd):
    mode = "replicate"


class ReplicationPad1d(_ReplicationPadNd):
    """Pads the last dim by repeating its edge values."""

    nd = 1


class ReplicationPad2d(_ReplicationPadNd):
    """Pads the last two dims by repeating their edge values."""

    nd = 2


class ReplicationPad3d(_ReplicationPadNd):
    """Pads the last three dims by repeating their edge values."""

    nd = 3


class _ConstantPadNd(_PadNd):
    def __init__(self, padding, value: float) -> None:
        super().__init__(padding)
        self.value = value

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pads the last dim with ``value``."""

    nd = 1


class ConstantPad2d(_ConstantPadNd):
    """Pads the last two dims with ``value``."""

    nd = 2


class ConstantPad3d(_ConstantPadNd):
    """Pads the last three dims with ``value``."""

    nd = 3


class ZeroPad1d(ConstantPad1d):
    """Pads the last dim with zeros."""

    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad2d(ConstantPad2d):
    """Pads the last two dims with zeros.

    Example::

        >>> import chainrule as torch
        >>> torch.nn.ZeroPad2d((1, 1, 2, 0))(torch.ones(1, 1, 2, 2)).shape
        torch.Size([1, 1, 4, 4])
    """

    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad3d(ConstantPad3d):
    """Pads the last three dims with zeros."""

    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"
