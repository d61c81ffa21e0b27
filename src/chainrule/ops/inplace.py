"""In-place ops (``add_``, ``mul_``, ``zero_``, ``copy_`` ...) and the rule they share.

Without a graph involved (no grad needed, or inside ``no_grad``), an in-place op writes into the
tensor's array and bumps its version counter. When the graph is involved, the op is computed
out of place on an alias that keeps the old value (so nodes that saved it stay valid), and the
tensor takes the new value and node, as torch does. In-place on a leaf that requires grad is an
error in grad mode, as in torch.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, _make
from ..autograd.function import _OUTPUT
from ..autograd.grad_mode import STATE as _GRAD

__all__ = ["inplace", "install_inplace_methods"]

_LEAF_MSG = (
    "a leaf Variable that requires grad is being used in an in-place operation. (Wrap the "
    "update in `with torch.no_grad():`, or update `param.data` instead.)"
)


def inplace(self: Tensor, fn, *args, **kwargs) -> Tensor:
    """Applies ``fn(self, *args)`` and stores the result in ``self``; returns ``self``."""
    graph = _GRAD.enabled and (
        self._rg or any(isinstance(a, Tensor) and a._rg for a in args)
    )
    if not graph:
        result = fn(self, *args, **kwargs)
        _check_result(self, result)
        data = result._data
        if data is not self._data:
            try:
                np.copyto(self._data, data, casting="unsafe")
            except ValueError as e:
                if not self._data.flags.writeable:
                    raise RuntimeError(
                        "unsupported operation: more than one element of the written-to tensor "
                        "refers to a single memory location (an expanded view). Please clone() "
                        "the tensor before performing the operation."
                    ) from e
                raise
        self._vc[0] += 1
        return self
    if self.grad_fn is None and self._rg:
        raise RuntimeError(_LEAF_MSG)
    if self._base is not None:
        # torch rebases the view's base onto the graph (CopySlices); chainrule does not, and
        # writing out of place would leave the base unchanged: refuse instead of being wrong
        raise RuntimeError(
            "chainrule does not record in-place changes of a view (shape "
            f"{list(self.shape)}) when gradients are involved; build the result out of place "
            "instead (torch.cat, torch.where, index_put / x[idx] = v on the base tensor, or "
            "clone() the view before changing it)"
        )
    alias = _make(self._data, self._rg, self.grad_fn, self._output_nr)
    result = fn(alias, *args, **kwargs)
    _check_result(self, result)
    if result._data.dtype != self._data.dtype:
        result = result.to(self.dtype)
    self._data = result._data
    self.grad_fn = result.grad_fn
    self._rg = result._rg
    self._output_nr = result._output_nr
    self._vc[0] += 1
    _retarget_saved_output(result, self)
    return self


def _retarget_saved_output(result: Tensor, self: Tensor) -> None:
    """If the new node saved its output, that output is now ``self``: track ``self``'s
    version counter, so a later in-place change of ``self`` is caught at backward."""
    saved = getattr(result.grad_fn, "saved", None)
    if not saved or type(saved) is not list:
        return
    for k, (kind, value, version) in enumerate(saved):
        if kind is _OUTPUT and value is self._data:
            saved[k] = (_OUTPUT, value, (self._vc, self._vc[0]))


def _check_result(self: Tensor, result: Tensor) -> None:
    if result._data.shape != self._data.shape:
        raise RuntimeError(
            f"output with shape {list(self.shape)} doesn't match the broadcast shape "
            f"{list(result.shape)}"
        )
    if result._data.dtype.kind in "fc" and self._data.dtype.kind in "iub":
        raise RuntimeError(
            f"result type {_word(result)} can't be cast to the desired output type {_word(self)}"
        )


def _word(t: Tensor) -> str:
    return {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
            "int32": "Int", "bool": "Bool", "uint8": "Byte"}.get(t._data.dtype.name, "Float")


def _method(name: str, fn):
    def method(self, *args, **kwargs):
        return inplace(self, fn, *args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"In-place version of :meth:`{name[:-1]}`."
    return method


def _zero(self: Tensor) -> Tensor:
    return Tensor._wrap(np.zeros_like(self._data)) if not self._rg else self * 0


def _fill(self: Tensor, value) -> Tensor:
    if isinstance(value, Tensor):
        if value._rg:
            return value.to(self.dtype).expand(self.shape) + self * 0
        value = value.item()
    out = np.empty_like(self._data)
    out.fill(value)
    return Tensor._wrap(out) if not self._rg else self * 0 + Tensor._wrap(out)


def _copy(self: Tensor, src, non_blocking: bool = False) -> Tensor:
    from ._common import to_tensor  # noqa: PLC0415

    src = to_tensor(src)
    if src._data.dtype != self._data.dtype:
        src = src.to(self.dtype)
    if src.shape != self.shape:
        src = src.expand(self.shape)
    if src.device != self.device:
        src = src.to(self.device)
    if self._rg and not src._rg:
        return self * 0 + src
    return src if src._data is not self._data else src.clone()


def _shape_method(name: str, fn):
    def method(self, *args):
        if _GRAD.enabled and self._rg:
            raise RuntimeError(
                f"chainrule supports {name} only on tensors outside the graph; use {name[:-1]}()"
            )
        self._data = fn(self, *args)._data
        return self

    method.__name__ = name
    return method


def _zero_method(self: Tensor) -> Tensor:
    """Fills with zeros in place."""
    if _GRAD.enabled and self._rg:
        return inplace(self, _zero)
    self._data[...] = 0
    self._vc[0] += 1
    return self


def install_inplace_methods() -> None:
    from .. import ops  # noqa: PLC0415

    names = [
        "add", "sub", "mul", "div", "pow", "clamp", "clip", "clamp_min", "clamp_max", "exp",
        "log", "log1p", "log2", "expm1", "sqrt", "rsqrt", "neg", "abs", "sigmoid", "tanh",
        "relu", "sin", "cos", "floor", "ceil", "round", "trunc", "sign", "masked_fill",
        "fmod", "remainder", "reciprocal", "square", "lerp", "addcmul", "addcdiv", "scatter",
        "scatter_add", "index_add", "index_fill", "tril", "triu", "true_divide",
        "floor_divide", "subtract", "multiply", "divide", "negative", "nan_to_num", "index_put", "logit", "erf", "atan", "frac",
        "masked_scatter", "fill_diagonal",
    ]
    for name in names:
        fn = getattr(ops, name, None)
        if fn is None:
            continue
        setattr(Tensor, name + "_", _method(name + "_", fn))
    for name in ("t", "transpose", "squeeze", "unsqueeze", "swapaxes", "swapdims"):
        setattr(Tensor, name + "_", _shape_method(name + "_", getattr(ops, name)))
    Tensor.zero_ = _zero_method
    Tensor.fill_ = _method("fill_", _fill)
    Tensor.copy_ = _method("copy_", _copy)
    Tensor.__iadd__ = _method("__iadd__", ops.add)
    Tensor.__isub__ = _method("__isub__", ops.sub)
    Tensor.__imul__ = _method("__imul__", ops.mul)
    Tensor.__itruediv__ = _method("__itruediv__", ops.div)
    Tensor.__ipow__ = _method("__ipow__", ops.pow)
    Tensor.__ifloordiv__ = _method("__ifloordiv__", ops.floor_divide)
    Tensor.__imod__ = _method("__imod__", ops.remainder)
    Tensor.__iand__ = _method("__iand__", ops.bitwise_and)
    Tensor.__ior__ = _method("__ior__", ops.bitwise_or)
    Tensor.__ixor__ = _method("__ixor__", ops.bitwise_xor)
