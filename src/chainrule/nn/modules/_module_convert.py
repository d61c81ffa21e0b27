"""Module conversions: ``to``/``cpu``/``cuda``/``float``/``double``/... over every parameter and
buffer, in place (a Parameter object stays the same, as optimizers hold it), as a mixin of
``Module``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Self

import numpy as np

from ... import _dtypes
from ..._tensor import Tensor
from ...autograd.grad_mode import STATE as _GRAD

__all__: list[str] = []


class ConversionMixin:
    """``_apply(fn)`` and the conversions built on it (see ``Module``)."""

    def _apply(self, fn: Callable[[Tensor], Tensor], recurse: bool = True) -> Self:
        if recurse:
            for module in self.children():
                module._apply(fn)
        prev = _GRAD.enabled
        _GRAD.enabled = False
        try:
            for param in self._parameters.values():
                if param is None:
                    continue
                new = fn(param)
                if new is not param:
                    param._data = new._data  # in place: the Parameter object stays the same
                    param._vc[0] += 1
                grad = param._grad
                if grad is not None:
                    new_grad = fn(grad)
                    if new_grad is not grad:
                        grad._data = new_grad._data
            for key, buf in self._buffers.items():
                if buf is not None:
                    self._buffers[key] = fn(buf)
        finally:
            _GRAD.enabled = prev
        return self

    def to(self, *args: Any, **kwargs: Any) -> Self:
        """Moves and/or casts parameters and buffers in place: ``to(device)``, ``to(dtype)``,
        ``to(device, dtype)``, ``to(tensor)``. Only floating tensors change dtype."""
        device, dtype = _parse_to(args, kwargs)
        if dtype is not None and not (dtype.is_floating_point or dtype.is_complex):
            raise TypeError(
                "nn.Module.to only accepts floating point or complex dtypes, but got desired "
                f"dtype={dtype}"
            )

        def convert(t: Tensor) -> Tensor:
            floating = t._data.dtype.kind in "fc"
            return t.to(device, dtype if floating else None)

        return self._apply(convert)

    def cpu(self) -> Self:
        return self._apply(lambda t: t.cpu())

    def cuda(self, device: Any = None) -> Self:
        return self._apply(lambda t: t.cuda(device))

    def _cast_floating(self, dtype: _dtypes.dtype) -> Self:
        """Casts the floating parameters and buffers (integer ones, e.g. counters, stay)."""
        return self._apply(lambda t: t.to(dtype) if t._data.dtype.kind == "f" else t)

    def float(self) -> Self:
        """Floating parameters and buffers to float32."""
        return self._cast_floating(_dtypes.float32)

    def double(self) -> Self:
        """Floating parameters and buffers to float64."""
        return self._cast_floating(_dtypes.float64)

    def half(self) -> Self:
        """Floating parameters and buffers to float16."""
        return self._cast_floating(_dtypes.float16)

    def bfloat16(self) -> Self:
        """Floating parameters and buffers to bfloat16 (stored as float32: NumPy has none)."""
        return self._cast_floating(_dtypes.float32)

    def type(self, dst_type: Any) -> Self:
        return self._apply(lambda t: t.type(dst_type))

    def share_memory(self) -> Self:
        return self._apply(lambda t: t.share_memory_())

    def to_empty(self, *, device: Any = None, recurse: bool = True) -> Self:
        from ... import _creation

        return self._apply(
            lambda t: _creation.empty_like(t, device=device), recurse=recurse
        )


def _parse_to(args: tuple, kwargs: dict):
    """``Module.to``'s arguments -> ``(device or None, chainrule dtype or None)``."""
    device = kwargs.pop("device", None)
    dtype = kwargs.pop("dtype", None)
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"to() received an invalid combination of arguments: {sorted(kwargs)}")
    for a in args:
        if isinstance(a, _dtypes.dtype):
            dtype = a
        elif isinstance(a, Tensor):
            device, dtype = a.device, a.dtype
        elif isinstance(a, bool) or a is None:
            continue
        elif isinstance(a, (str, int)) or type(a).__name__ == "device":
            device = a
        else:
            from .module import typename  # module.py imports this file

            raise TypeError(
                f"to() received an invalid combination of arguments - got ({typename(a)})"
            )
    if dtype is not None and not isinstance(dtype, _dtypes.dtype):
        dtype = _dtypes.from_numpy_dtype(np.dtype(dtype))
    return device, dtype
