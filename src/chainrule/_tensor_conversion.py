"""Tensor conversions, a mixin of ``Tensor``: to Python and NumPy values (``item``, ``tolist``,
``numpy``, ``__array__``), to other dtypes and devices (``to``, ``cpu``, ``cuda``, ``type``,
``type_as``, and torch's shorthands ``float()``, ``double()``, ``long()``, ...), and the
memory-layout calls (``contiguous``, ``pin_memory``).

Casts and moves are ops (``ops.to_dtype``, ``ops.to_device``), so they are differentiable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

# _tensor imports this module (a cycle): Tensor and ops are read from it at call time
from . import _dtypes, _tensor
from ._backend import CPU, parse_device, to_device_array
from ._dtypes import LEGACY_BY_NAME, LEGACY_NAMES

if TYPE_CHECKING:
    from ._tensor import Tensor

__all__: list[str] = []


class ConversionMixin:
    """The conversion methods of ``Tensor`` (which holds the state: ``_data``, ``_rg``)."""

    __slots__ = ()

    def type_name(self) -> str:
        return LEGACY_NAMES.get(self._data.dtype, "torch.Tensor")

    def type(self, dtype=None, non_blocking: bool = False, **kwargs):
        """Without arguments, the legacy type name ('torch.FloatTensor'); else a cast."""
        if dtype is None:
            return self.type_name()
        if isinstance(dtype, str):
            dtype = LEGACY_BY_NAME[dtype]
        return self.to(dtype)

    def item(self):
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar"
            )
        return self._data.reshape(()).item() if self.is_cpu else self._data.item()

    def tolist(self):
        return self._data.tolist()

    def numpy(self, force: bool = False) -> np.ndarray:
        if self._rg and not force:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                "instead."
            )
        if not self.is_cpu:
            raise TypeError(
                "can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() to copy the "
                "tensor to host memory first."
            )
        return self._data

    def __array__(self, dtype=None, copy=None):
        if self._rg:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                "instead."
            )
        data = self._data if self.is_cpu else to_device_array(self._data, CPU)
        return data if dtype is None else data.astype(dtype, copy=False)

    def to(self, *args, **kwargs) -> Tensor:
        """``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other)``; ``copy=``."""
        target_dtype = kwargs.pop("dtype", None)
        target_device = kwargs.pop("device", None)
        copy = kwargs.pop("copy", False)
        kwargs.pop("non_blocking", None)
        kwargs.pop("memory_format", None)
        if kwargs:
            raise TypeError(f"to() got unexpected keyword arguments {sorted(kwargs)}")
        for a in args:
            if isinstance(a, _dtypes.dtype):
                target_dtype = a
            elif isinstance(a, _tensor.Tensor):
                target_dtype, target_device = a.dtype, a.device
            elif a is None or isinstance(a, bool):
                continue
            elif isinstance(a, (str, int)) or type(a).__name__ == "device":
                target_device = a
            else:
                target_dtype = a
        out = self
        if target_device is not None:
            dev = parse_device(target_device)
            if dev.type == "cuda" or self.device.type != dev.type:
                out = _tensor.ops.to_device(out, dev)
        if target_dtype is not None:
            np_dtype = _dtypes.to_numpy_dtype(target_dtype)
            if np_dtype != out._data.dtype:
                out = _tensor.ops.to_dtype(out, np_dtype)
        if copy and out is self:
            out = self.clone()
        return out

    def cpu(self) -> Tensor:
        return self.to("cpu")

    def cuda(self, device=None, non_blocking: bool = False) -> Tensor:
        return self.to("cuda")

    def type_as(self, other: Tensor) -> Tensor:
        return self.to(other.dtype)

    def contiguous(self, memory_format=None) -> Tensor:
        if self._data.flags["C_CONTIGUOUS"]:
            return self
        return _tensor.ops.clone(self)

    def pin_memory(self) -> Tensor:
        return self

    def share_memory_(self) -> Tensor:
        return self

    def is_pinned(self) -> bool:
        return False


# torch's dtype shorthands: ``t.double()`` is ``t.to(torch.float64)``
_DTYPE_SHORTHANDS = (
    ("float", _dtypes.float32), ("double", _dtypes.float64), ("half", _dtypes.float16),
    # NumPy has no bfloat16: like chainrule's bfloat16 dtype, the values stay float32
    ("bfloat16", _dtypes.float32),
    ("long", _dtypes.int64), ("int", _dtypes.int32), ("short", _dtypes.int16),
    ("char", _dtypes.int8), ("byte", _dtypes.uint8), ("bool", _dtypes.bool_),
)


def _dtype_shorthand(name: str, dtype: _dtypes.dtype):
    def convert(self) -> Tensor:
        return self.to(dtype)

    convert.__name__, convert.__qualname__ = name, f"Tensor.{name}"
    convert.__doc__ = (f"``self.to({dtype})``: this tensor cast to {dtype} (``self`` itself "
                       "when it already has that dtype).")
    return convert


for _name, _target in _DTYPE_SHORTHANDS:
    setattr(ConversionMixin, _name, _dtype_shorthand(_name, _target))
