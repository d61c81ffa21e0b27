"""Binds the ops to Tensor: methods (``x.exp()``), operators (``x + y``) and properties.

Kept apart from ``_tensor.py`` so the Tensor class holds state only and this file is the one
list of what a Tensor can do.
"""

from __future__ import annotations

from . import _creation, _tensor, ops
from ._tensor import Tensor, _make
from .ops.inplace import install_inplace_methods

_METHODS = [
    # arithmetic and elementwise
    "add", "sub", "mul", "div", "neg", "pow", "true_divide", "floor_divide", "remainder",
    "fmod", "subtract", "multiply", "divide", "negative", "square", "reciprocal", "exp",
    "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "sin", "cos", "tan",
    "tanh", "sigmoid", "relu", "abs", "absolute", "sign", "sgn", "floor", "ceil", "round",
    "trunc", "frac", "fix", "asin", "acos", "atan", "arcsin", "arccos", "arctan", "sinh",
    "cosh", "asinh", "acosh", "atanh", "erf", "erfc", "erfinv", "logit", "nan_to_num",
    "signbit", "clamp", "clip", "clamp_min", "clamp_max", "maximum", "minimum", "fmax", "fmin",
    "masked_fill", "eq", "ne", "lt", "le", "gt", "ge", "greater", "less", "greater_equal",
    "less_equal", "not_equal", "equal", "isnan", "isinf", "isfinite", "isclose", "allclose",
    "logical_and", "logical_or", "logical_not", "logical_xor", "bitwise_and", "bitwise_or",
    "bitwise_xor", "bitwise_not", "lerp", "addcmul", "addcdiv", "isposinf", "isneginf",
    "isreal",
    # reductions
    "sum", "mean", "prod", "max", "min", "amax", "amin", "aminmax", "var", "std", "logsumexp",
    "norm", "cumsum", "cumprod", "softmax", "log_softmax", "argmax", "argmin", "all", "any",
    "count_nonzero", "nansum", "nanmean",
    # shape
    "reshape", "view", "view_as", "reshape_as", "flatten", "unflatten", "squeeze",
    "unsqueeze", "permute", "transpose", "t", "expand", "expand_as", "broadcast_to", "repeat",
    "tile", "flip", "fliplr", "flipud", "roll", "split", "chunk", "unbind", "tril", "triu",
    "narrow", "select", "movedim", "moveaxis", "swapaxes", "swapdims", "diagonal", "diag",
    "diag_embed", "ravel", "repeat_interleave", "trace",
    # linear algebra
    "matmul", "mm", "bmm", "addmm", "dot", "vdot", "outer", "ger", "mv", "baddbmm", "addmv",
    "inner", "kron", "cross", "addbmm",
    # indexing
    "gather", "scatter", "scatter_add", "scatter_reduce", "index_select", "masked_select",
    "take_along_dim", "index_add", "index_fill", "sort", "argsort", "msort", "topk",
    "kthvalue", "median", "mode", "nonzero", "unique", "unique_consecutive", "take",
    "index_put", "masked_scatter",
    # conversion
    "clone",
]


def _bind(name: str) -> None:
    fn = getattr(ops, name)
    setattr(Tensor, name, fn)


def _reflect(fn):
    def method(self, other):
        return fn(other, self)

    return method


def _property_mT(self: Tensor) -> Tensor:
    if self.ndim < 2:
        raise RuntimeError(f"tensor.mT is only supported on matrices or batches of matrices. "
                           f"Got {self.ndim}-D tensor.")
    return ops.transpose(self, -2, -1)


def _property_T(self: Tensor) -> Tensor:
    if self._data.ndim == 2:  # torch's x.T is a permute (PermuteBackward0), x.t() is TBackward0
        return ops.permute(self, (1, 0))
    import warnings  # noqa: PLC0415

    warnings.warn(
        "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
        "deprecated and it will throw an error in a future release. Consider `x.mT` to "
        "transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to "
        "reverse the dimensions of a tensor.",
        UserWarning,
        stacklevel=2,
    )
    return ops.permute(self, tuple(reversed(range(self.ndim))))


def _not_implemented_binary(fn):
    def method(self, other):
        if not isinstance(other, (Tensor, int, float, bool, complex)) and not hasattr(
            other, "dtype"
        ):
            return NotImplemented
        return fn(self, other)

    return method


def install() -> None:
    for name in _METHODS:
        _bind(name)
    Tensor.__add__ = _not_implemented_binary(ops.add)
    Tensor.__radd__ = _not_implemented_binary(ops.add)
    Tensor.__sub__ = _not_implemented_binary(ops.sub)
    Tensor.__rsub__ = _not_implemented_binary(_reflect(ops.sub))
    Tensor.__mul__ = _not_implemented_binary(ops.mul)
    Tensor.__rmul__ = _not_implemented_binary(ops.mul)
    Tensor.__truediv__ = _not_implemented_binary(ops.div)
    Tensor.__rtruediv__ = _not_implemented_binary(_reflect(ops.div))
    Tensor.__floordiv__ = _not_implemented_binary(ops.floor_divide)
    Tensor.__rfloordiv__ = _not_implemented_binary(_reflect(ops.floor_divide))
    Tensor.__mod__ = _not_implemented_binary(ops.remainder)
    Tensor.__rmod__ = _not_implemented_binary(_reflect(ops.remainder))
    Tensor.__pow__ = _not_implemented_binary(ops.pow)
    Tensor.__rpow__ = _not_implemented_binary(_reflect(ops.pow))
    Tensor.__matmul__ = _not_implemented_binary(ops.matmul)
    Tensor.__rmatmul__ = _not_implemented_binary(_reflect(ops.matmul))
    Tensor.__neg__ = ops.neg
    Tensor.__pos__ = lambda self: self
    Tensor.__abs__ = ops.abs
    Tensor.__invert__ = ops.bitwise_not
    Tensor.__and__ = ops.bitwise_and
    Tensor.__rand__ = _reflect(ops.bitwise_and)
    Tensor.__or__ = ops.bitwise_or
    Tensor.__ror__ = _reflect(ops.bitwise_or)
    Tensor.__xor__ = ops.bitwise_xor
    Tensor.__rxor__ = _reflect(ops.bitwise_xor)
    Tensor.__eq__ = _not_implemented_binary(ops.eq)
    Tensor.__ne__ = _not_implemented_binary(ops.ne)
    Tensor.__lt__ = _not_implemented_binary(ops.lt)
    Tensor.__le__ = _not_implemented_binary(ops.le)
    Tensor.__gt__ = _not_implemented_binary(ops.gt)
    Tensor.__ge__ = _not_implemented_binary(ops.ge)
    Tensor.__hash__ = object.__hash__  # identity hash, in C: tensors key the engine's dicts
    Tensor.__getitem__ = ops.getitem
    Tensor.__setitem__ = ops.setitem
    Tensor.T = property(_property_T)
    Tensor.mT = property(_property_mT)
    Tensor.H = property(_property_T)
    Tensor.mH = property(_property_mT)
    Tensor.new_tensor = lambda self, data, dtype=None, device=None, requires_grad=False: \
        _creation.tensor(data, dtype=dtype or self.dtype, device=device,
                         requires_grad=requires_grad)
    Tensor.new_zeros = lambda self, *size, dtype=None, device=None, requires_grad=False: \
        _creation.zeros(*size, dtype=dtype or self.dtype, device=device or self.device,
                        requires_grad=requires_grad)
    Tensor.new_ones = lambda self, *size, dtype=None, device=None, requires_grad=False: \
        _creation.ones(*size, dtype=dtype or self.dtype, device=device or self.device,
                       requires_grad=requires_grad)
    Tensor.new_empty = lambda self, *size, dtype=None, device=None, requires_grad=False: \
        _creation.zeros(*size, dtype=dtype or self.dtype, device=device or self.device,
                        requires_grad=requires_grad)
    Tensor.new_full = lambda self, size, fill_value, dtype=None, device=None, \
        requires_grad=False: _creation.full(size, fill_value, dtype=dtype or self.dtype,
                                            device=device or self.device,
                                            requires_grad=requires_grad)
    Tensor.apply_ = _apply_
    Tensor.map_ = lambda self, other, fn: _apply_(self, fn)
    Tensor.resize_ = _resize_
    Tensor.resize_as_ = lambda self, other: _resize_(self, *other.shape)
    Tensor.__array_ufunc__ = _array_ufunc
    install_inplace_methods()
    _creation.install_random_methods()
    _tensor.ops = ops


def _array_ufunc(self, ufunc, method, *inputs, **kwargs):
    """NumPy ufuncs on tensors: ``ndarray + Tensor`` runs our op (torch's dtype rules); other
    ufuncs (``np.exp(t)``, ``np.maximum(t, 0)``) compute on the arrays and return a Tensor, as
    torch does (a tensor that requires grad raises, as in torch)."""
    from ._numpy_interop import array_ufunc  # noqa: PLC0415

    return array_ufunc(self, ufunc, method, inputs, kwargs)


def _apply_(self: Tensor, fn) -> Tensor:
    """Applies a Python function to every element, in place (CPU; slow by nature, as torch)."""
    import numpy as np  # noqa: PLC0415

    values = [fn(v) for v in self._data.ravel().tolist()]
    self._data[...] = np.asarray(values, dtype=self._data.dtype).reshape(self._data.shape)
    self._vc[0] += 1
    return self


def _resize_(self: Tensor, *size) -> Tensor:
    import numpy as np  # noqa: PLC0415

    size = ops._common.shape_arg(size)
    n = int(np.prod(size))
    flat = self._data.reshape(-1)
    data = np.zeros(n, dtype=self._data.dtype)
    data[: min(n, flat.size)] = flat[: min(n, flat.size)]
    self._data = data.reshape(size)
    return self


_make = _make
