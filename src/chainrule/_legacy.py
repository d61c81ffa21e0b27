"""Legacy typed constructors: ``torch.FloatTensor([...])``, ``torch.LongTensor(list)`` ...

Each is a class whose instances are plain Tensors of one dtype; ``isinstance(t,
torch.FloatTensor)`` checks the dtype, and ``t.type(torch.FloatTensor)`` casts.
"""

from __future__ import annotations

from . import _dtypes
from ._tensor import Tensor

__all__ = ["FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor",
           "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor", "BFloat16Tensor"]


class _LegacyMeta(type):
    def __instancecheck__(cls, obj) -> bool:
        return isinstance(obj, Tensor) and obj.dtype is cls._chainrule_dtype

    def __call__(cls, *args, device=None):
        return Tensor(*args, dtype=cls._chainrule_dtype, device=device)

    def __repr__(cls) -> str:
        return f"<class 'torch.{cls.__name__}'>"


def _legacy(name: str, dtype) -> type:
    return _LegacyMeta(name, (), {"_chainrule_dtype": dtype, "dtype": dtype})


FloatTensor = _legacy("FloatTensor", _dtypes.float32)
DoubleTensor = _legacy("DoubleTensor", _dtypes.float64)
HalfTensor = _legacy("HalfTensor", _dtypes.float16)
BFloat16Tensor = _legacy("BFloat16Tensor", _dtypes.bfloat16)
LongTensor = _legacy("LongTensor", _dtypes.int64)
IntTensor = _legacy("IntTensor", _dtypes.int32)
ShortTensor = _legacy("ShortTensor", _dtypes.int16)
CharTensor = _legacy("CharTensor", _dtypes.int8)
ByteTensor = _legacy("ByteTensor", _dtypes.uint8)
BoolTensor = _legacy("BoolTensor", _dtypes.bool_)
