"""Affine layers: ``Identity``, ``Linear``, ``Bilinear`` (torch's parameters and init)."""

from __future__ import annotations

import math
from typing import Any

from ... import _creation
from ..._tensor import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["Bilinear", "Identity", "LazyLinear", "Linear"]


class Identity(Module):
    """Returns its input unchanged; accepts (and ignores) any constructor arguments."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        return input


class Linear(Module):
    """``y = x W^T + b``.

    Shape: input ``(*, in_features)`` -> output ``(*, out_features)``.

    Attributes:
        weight: ``(out_features, in_features)``, init U(-1/sqrt(in), 1/sqrt(in)) (kaiming
            uniform with a = sqrt(5), as torch).
        bias: ``(out_features,)``, init U(-1/sqrt(in), 1/sqrt(in)); ``None`` if ``bias=False``.

    Example::

        >>> import chainrule as torch
        >>> torch.nn.Linear(3, 1)
        Linear(in_features=3, out_features=1, bias=True)
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(
            _creation.empty((out_features, in_features), device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(_creation.empty(out_features, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        # self.weight and self.bias, read from _parameters directly: each Module.__getattr__
        # fallback costs ~6k instructions (~1 us), a third of a tiny layer's Python work. A
        # parameter that was replaced (a plain attribute, a parametrization) is no longer in
        # _parameters and is read the usual way.
        params = self._parameters
        weight = params.get("weight")
        if weight is None:
            weight = self.weight
        bias = params["bias"] if "bias" in params else self.bias
        return F.linear(input, weight, bias)

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class Bilinear(Module):
    """``y = x1^T A x2 + b``.

    Shape: input1 ``(*, in1_features)``, input2 ``(*, in2_features)`` -> ``(*, out_features)``.

    Attributes:
        weight: ``(out_features, in1_features, in2_features)``, U(-k, k), k = 1/sqrt(in1).
        bias: ``(out_features,)``, U(-k, k).
    """

    def __init__(self, in1_features: int, in2_features: int, out_features: int,
                 bias: bool = True, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.in1_features = in1_features
        self.in2_features = in2_features
        self.out_features = out_features
        self.weight = Parameter(_creation.empty((out_features, in1_features, in2_features),
                                                device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(_creation.empty(out_features, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        bound = 1 / math.sqrt(self.weight.size(1))
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1: Tensor, input2: Tensor) -> Tensor:
        return F.bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")


class LazyLinear(Linear):
    """``Linear`` that reads ``in_features`` from its first input.

    Until then ``in_features`` is 0 and the parameters are empty placeholders (an optimizer can
    already hold them: they are filled in place). The first ``forward`` gives them their
    shapes, initializes them as ``Linear`` does (the random draws happen then, as in torch),
    and turns the module into a plain ``Linear``.
    """

    def __init__(self, out_features: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        Module.__init__(self)
        self.in_features = 0
        self.out_features = out_features
        self.weight = Parameter(_creation.empty(0, device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(_creation.empty(0, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)

    def reset_parameters(self) -> None:
        if self.in_features:
            super().reset_parameters()

    def forward(self, input: Tensor) -> Tensor:
        import numpy as np  # noqa: PLC0415

        self.in_features = int(input.shape[-1])
        dtype = self.weight._data.dtype
        self.weight._data = np.empty((self.out_features, self.in_features), dtype=dtype)
        if self.bias is not None:
            self.bias._data = np.empty((self.out_features,), dtype=dtype)
        self.reset_parameters()
        self.__class__ = Linear
        return Linear.forward(self, input)
