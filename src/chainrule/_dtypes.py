"""Data types and torch's type-promotion rules.

A chainrule ``dtype`` wraps a NumPy dtype and prints as torch prints it (``torch.float32``), so
programs that print or compare dtypes behave as under torch.

Promotion follows torch (not NumPy): operands fall in three priority tiers, *dimensioned
tensors* > *zero-dim tensors* > *Python scalars*. Within the highest tier that holds an operand
of the highest category (bool < integer < floating), dtypes are promoted as usual; a lower tier
only matters when its category is higher, and then a Python float becomes the default float
dtype (float32) and a Python int becomes int64.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "dtype",
    "float32",
    "float64",
    "float16",
    "bfloat16",
    "int64",
    "int32",
    "int16",
    "int8",
    "uint8",
    "bool_",
    "complex64",
    "complex128",
    "get_default_dtype",
    "set_default_dtype",
    "promote_types",
    "result_type",
    "can_cast",
]


class dtype:  # noqa: N801 - torch's name
    """A tensor element type: ``chainrule.float32`` and friends."""

    __slots__ = ("name", "np", "is_floating_point", "is_complex", "is_signed", "itemsize", "_kind")

    def __init__(self, name: str, np_dtype: np.dtype, kind: int) -> None:
        self.name = name
        self.np = np.dtype(np_dtype)
        self._kind = kind  # 0 bool, 1 integer, 2 floating, 3 complex
        self.is_floating_point = kind == 2
        self.is_complex = kind == 3
        self.is_signed = self.np.kind in "ifc"
        self.itemsize = self.np.itemsize

    def __repr__(self) -> str:
        return f"torch.{self.name}"

    def __reduce__(self):
        return (_dtype_by_name, (self.name,))

    def to_real(self) -> dtype:
        return float32 if self is complex64 else (float64 if self is complex128 else self)

    @property
    def is_bool(self) -> bool:
        return self._kind == 0


float32 = dtype("float32", np.float32, 2)
float64 = dtype("float64", np.float64, 2)
float16 = dtype("float16", np.float16, 2)
# NumPy has no bfloat16; we store it as float32 and name it bfloat16 only for API presence.
bfloat16 = dtype("bfloat16", np.float32, 2)
int64 = dtype("int64", np.int64, 1)
int32 = dtype("int32", np.int32, 1)
int16 = dtype("int16", np.int16, 1)
int8 = dtype("int8", np.int8, 1)
uint8 = dtype("uint8", np.uint8, 1)
bool_ = dtype("bool", np.bool_, 0)
complex64 = dtype("complex64", np.complex64, 3)
complex128 = dtype("complex128", np.complex128, 3)

float = float32  # noqa: A001 - torch aliases
double = float64
half = float16
long = int64
int = int32  # noqa: A001
short = int16
cfloat = complex64
cdouble = complex128

_ALL = (float32, float64, float16, int64, int32, int16, int8, uint8, bool_, complex64,
        complex128)
_FROM_NUMPY: dict[np.dtype, dtype] = {d.np: d for d in _ALL}
_BY_NAME = {d.name: d for d in (*_ALL, bfloat16)}


def _dtype_by_name(name: str) -> dtype:
    return _BY_NAME[name]


def from_numpy_dtype(np_dtype: np.dtype) -> dtype:
    """The chainrule dtype for a NumPy dtype; raises TypeError for unsupported ones."""
    try:
        return _FROM_NUMPY[np_dtype]
    except KeyError:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{np.dtype(np_dtype).name}. The only "
            "supported types are: float64, float32, float16, complex64, int64, int32, int16, "
            "int8, uint8, and bool."
        ) from None


def to_numpy_dtype(d) -> np.dtype:
    """Accepts a chainrule dtype, a NumPy dtype/type, or a Python type (float, int, bool)."""
    if isinstance(d, dtype):
        return d.np
    if d is builtins_float:
        return _default_float.np
    if d is builtins_int:
        return np.dtype(np.int64)
    if d is builtins_bool:
        return np.dtype(np.bool_)
    legacy = getattr(d, "_chainrule_dtype", None)  # torch.FloatTensor and friends
    if legacy is not None:
        return legacy.np
    return from_numpy_dtype(np.dtype(d)).np


import builtins as _builtins  # noqa: E402

builtins_float = _builtins.float
builtins_int = _builtins.int
builtins_bool = _builtins.bool

_default_float = float32


def get_default_dtype() -> dtype:
    """The dtype of floating tensors made from Python floats (float32 unless changed)."""
    return _default_float


def set_default_dtype(d: dtype) -> None:
    """Sets the default floating dtype (float32 or float64), as ``torch.set_default_dtype``."""
    global _default_float
    if not isinstance(d, dtype) or not d.is_floating_point:
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _default_float = d
    _RESULT_CACHE.clear()


_FLOAT_RANK = {np.dtype(np.float16): 0, np.dtype(np.float32): 1, np.dtype(np.float64): 2}


def promote_types(a: dtype, b: dtype) -> dtype:
    """The smallest dtype both ``a`` and ``b`` cast to safely (torch.promote_types)."""
    if a is b:
        return a
    if a._kind != b._kind:
        return a if a._kind > b._kind else b
    if a._kind == 1 and (a is uint8 or b is uint8):
        other = b if a is uint8 else a
        return int16 if other is int8 else other
    return a if a.itemsize >= b.itemsize else b


def _category(value) -> int:
    if isinstance(value, builtins_bool):
        return 0
    if isinstance(value, builtins_int):
        return 1
    if isinstance(value, complex):
        return 3
    return 2


_RESULT_CACHE: dict[tuple, np.dtype] = {}


def result_np_dtype(a, b) -> np.dtype:
    """Result NumPy dtype of a binary op on ``a`` and ``b`` (ndarrays or Python scalars).

    Zero-dim arrays are the zero-dim-tensor tier; Python scalars are the weak tier.
    """
    a_is_arr = hasattr(a, "dtype")
    b_is_arr = hasattr(b, "dtype")
    key = (
        a.dtype if a_is_arr else type(a),
        a.ndim == 0 if a_is_arr else None,
        b.dtype if b_is_arr else type(b),
        b.ndim == 0 if b_is_arr else None,
    )
    cached = _RESULT_CACHE.get(key)
    if cached is not None:
        return cached
    result = _result_dtype_slow([a, b]).np
    _RESULT_CACHE[key] = result
    return result


def _result_dtype_slow(operands) -> dtype:
    dims: list[dtype] = []
    zeros: list[dtype] = []
    scalar_kind = -1
    for op in operands:
        if hasattr(op, "dtype") and not isinstance(op, (np.generic,)):
            d = op.dtype if isinstance(op.dtype, dtype) else from_numpy_dtype(op.dtype)
            (zeros if op.ndim == 0 else dims).append(d)
        elif isinstance(op, np.generic):
            # torch treats NumPy scalars as Python numbers (weak): f32 * np.float64(2) is f32;
            # np.bool_ even counts as a float (torch's quirk: int64 + np.bool_(True) is float32)
            kind = 2 if isinstance(op, np.bool_) else _category(op.item())
            scalar_kind = max(scalar_kind, kind)
        else:
            scalar_kind = max(scalar_kind, _category(op))
    result = None
    for d in dims:
        result = d if result is None else promote_types(result, d)
    zero_result = None
    for d in zeros:
        zero_result = d if zero_result is None else promote_types(zero_result, d)
    if result is None:
        result = zero_result
    elif zero_result is not None and zero_result._kind > result._kind:
        result = zero_result
    if scalar_kind >= 0:
        if result is None:
            result = (bool_, int64, _default_float, complex64)[scalar_kind]
        elif scalar_kind > result._kind:
            result = (bool_, int64, _default_float, complex64)[scalar_kind]
    return result if result is not None else _default_float


def result_type(*operands) -> dtype:
    """torch.result_type for tensors and Python scalars."""
    # tensors are read through their array (duck-typed: this layer sits below the Tensor)
    return _result_dtype_slow([getattr(o, "_data", o) for o in operands])


def can_cast(from_: dtype, to: dtype) -> bool:
    """torch.can_cast: False when the cast would lower the category (float to int, etc.)."""
    return from_._kind <= to._kind


# Legacy type names (``t.type()`` -> 'torch.FloatTensor') and their dtypes.
LEGACY_NAMES = {
    np.dtype(np.float32): "torch.FloatTensor",
    np.dtype(np.float64): "torch.DoubleTensor",
    np.dtype(np.float16): "torch.HalfTensor",
    np.dtype(np.int64): "torch.LongTensor",
    np.dtype(np.int32): "torch.IntTensor",
    np.dtype(np.int16): "torch.ShortTensor",
    np.dtype(np.int8): "torch.CharTensor",
    np.dtype(np.uint8): "torch.ByteTensor",
    np.dtype(np.bool_): "torch.BoolTensor",
}
LEGACY_BY_NAME = {name: _FROM_NUMPY[k] for k, name in LEGACY_NAMES.items()}
LEGACY_BY_NAME.update({n.replace("torch.", "torch.cuda."): d for n, d in LEGACY_BY_NAME.items()})
