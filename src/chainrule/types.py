"""``torch.types``: type aliases used in annotations."""

from __future__ import annotations

from typing import Sequence, Union

from ._backend import device as _device
from ._tensor import Size as _Size
from ._tensor import Tensor

__all__ = ["Number", "Device", "Storage", "_size", "_dtype", "_device", "_int", "_float",
           "_bool", "_complex", "Tensor", "FileLike", "IntLikeType", "SymInt"]

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

from ._dtypes import dtype as _dtype  # noqa: E402
