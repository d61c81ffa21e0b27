"""The optional per-feature affine parameters of the normalization layers (batch, instance,
layer and group norm): ``weight`` (init 1) and ``bias`` (init 0), in torch's order and names."""

from __future__ import annotations

from typing import Any

from ... import _creation
from .. import init
from ..parameter import Parameter
from .module import Module


def register_affine(module: Module, shape: Any, affine: bool, bias: bool, device: Any,
                    dtype: Any) -> None:
    """Registers ``weight`` and ``bias`` Parameters of ``shape`` (uninitialized until
    ``reset_affine``), or ``None`` in their place: both without ``affine``, the bias without
    ``bias`` (so ``state_dict`` and ``named_parameters`` list exactly torch's entries)."""
    if affine:
        module.weight = Parameter(_creation.empty(shape, device=device, dtype=dtype))
        if bias:
            module.bias = Parameter(_creation.empty(shape, device=device, dtype=dtype))
        else:
            module.register_parameter("bias", None)
    else:
        module.register_parameter("weight", None)
        module.register_parameter("bias", None)


def reset_affine(module: Module, affine: bool) -> None:
    """``weight = 1``, ``bias = 0`` (the identity transform), where they exist."""
    if affine:
        init.ones_(module.weight)
        if module.bias is not None:
            init.zeros_(module.bias)
