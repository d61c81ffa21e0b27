"""``torch.types``: type aliases used in annotations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Union

from ._backend import device as _device
from ._tensor import Size as _Size
from ._tensor import Tensor

__all__ = [
           "Device",
           "FileLike",
           "IntLikeType",
           "Number",
           "Storage",
           "SymInt",
           "Tensor",
           "_bool",
           "_complex",
           "_device",
           "_dtype",
           "_float",
           "_int",
           "_size",
]

Number = Union[int, float, bool]
Device = Union[_device, str, int, None]
_size = Union[_Size, Sequence[int]]
_int = int
_float = float
_bool = bool
_complex = complex
IntLikeType = int
SymInt = int
Storage = object
FileLike = object

from ._dtypes import dtype as _dtype
