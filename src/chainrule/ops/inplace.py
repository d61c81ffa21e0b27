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
from ..autograd.function import _OUTPUT, Op
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
        base = self._base
        chain = getattr(self, "_view_fn", None)
        if chain is not None and not np.may_share_memory(self._data, base._data):
            # a reshape that had to copy is no view (torch's reshape copies there too)
            self._base = None
            self._vc = [self._vc[0]]
        elif chain is not None and self._data.flags.writeable:
            return _inplace_on_view(self, base, chain, fn, args, kwargs)
        else:
            raise RuntimeError(
                "chainrule does not record in-place changes of this view (shape "
                f"{list(self.shape)}: a detached or expanded tensor) when gradients are "
                "involved; build the result out of place instead (torch.cat, torch.where, "
                "x[idx] = v on the base tensor, or clone() the view before changing it)"
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


def _inplace_on_view(self: Tensor, base: Tensor, chain: tuple, fn, args, kwargs) -> Tensor:
    """In-place change of a view inside the graph, as torch's CopySlices: the new view value is
    computed out of place, the base's memory is overwritten (every view sees it), the base
    becomes ``ViewScatter(old base, new value)`` in the graph, and the view is rebuilt from the
    new base. (Other views of the same base keep their old graph node: exact unless their
    region overlaps this one.)"""
    if base.grad_fn is None and base._rg:
        raise RuntimeError(
            "a view of a leaf Variable that requires grad is being used in an in-place "
            "operation."
        )
    alias = _make(self._data.copy(), self._rg, self.grad_fn, self._output_nr)
    result = fn(alias, *args, **kwargs)
    _check_result(self, result)
    if result._data.dtype != self._data.dtype:
        result = result.to(self.dtype)
    old_base = _make(base._data, base._rg, base.grad_fn, base._output_nr)
    new_base = ViewScatter.apply(old_base, result, chain)
    np.copyto(base._data, new_base._data)
    base.grad_fn, base._rg, base._output_nr = new_base.grad_fn, new_base._rg, 0
    base._vc[0] += 1
    rebuilt = _replay(base, chain)
    self.grad_fn, self._rg, self._output_nr = rebuilt.grad_fn, rebuilt._rg, rebuilt._output_nr
    return self


def _replay(t: Tensor, chain: tuple) -> Tensor:
    for op, op_args in chain:
        t = op.apply(t, *op_args)
    return t


class _NoCtx:
    def save_for_backward(self, *values) -> None:
        pass


def _replay_arrays(a, chain: tuple):
    for op, op_args in chain:
        a = op.forward(_NoCtx(), a, *op_args)
    return a


class ViewScatter(Op):
    """``x`` with one of its views replaced by ``v`` (the graph of an in-place op on a view)."""

    backward_name = "CopySlices"
    formula = "y = x with view(y) = v;  dx = dy with view(dx) = 0;  dv = view(dy)"

    @staticmethod
    def forward(ctx, x, v, chain):
        ctx.chain = chain
        out = x.copy()
        region = _replay_arrays(out, chain)
        if not np.shares_memory(region, out):
            raise RuntimeError("chainrule: this view cannot be written through (it is a copy)")
        region[...] = v
        return out

    @staticmethod
    def backward(ctx, dy):
        needs = ctx.needs_input_grad
        dx = dv = None
        if needs[0]:
            zero = Tensor._wrap(np.zeros((), dtype=dy._data.dtype))
            dx = ViewScatter.apply(dy, zero, ctx.chain)
        if needs[1]:
            dv = _replay(dy, ctx.chain)
        return dx, dv, None


def _retarget_saved_output(result: Tensor, self: Tensor) -> None:
    """If the new node saved its output, that output is now ``self``: track ``self``'s
    version counter, so a later in-place change of ``self`` is caught at backward."""
    saved = getattr(result.grad_fn, "saved", None)
    if not saved or type(saved) is not list:
        return
    for k, (kind, value, _version) in enumerate(saved):
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
        "floor_divide", "subtract", "multiply", "divide", "negative", "nan_to_num", "index_put",
        "logit", "erf", "atan", "frac",
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
