"""Trigonometric and hyperbolic functions and their inverses, derivatives beside them.

Each backward is written with chainrule ops, so higher derivatives (``create_graph=True``)
come for free; inputs outside a function's domain give NaN, as in torch.
"""

from __future__ import annotations

import numpy as np

from .._fp import quiet_fp
from ..autograd.function import Op
from .unary import _unary

__all__ = [
    "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh",
    "arcsin", "arccos", "arctan",
]


class Sin(Op):
    formula = "y = sin(x);  dx = dy * cos(x)"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sin(x)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return dy * x.cos()


class Cos(Op):
    formula = "y = cos(x);  dx = -dy * sin(x)"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.cos(x)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return -dy * x.sin()


class Tan(Op):
    formula = "y = tan(x);  dx = dy * (1 + y^2)"

    @staticmethod
    def forward(ctx, x):
        y = np.tan(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, dy):
        (y,) = ctx.saved_tensors
        return dy * (y * y + 1.0)


class Asin(Op):
    formula = "y = asin(x);  dx = dy / sqrt(1 - x^2)"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with quiet_fp():
            return np.arcsin(x)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return dy * (1.0 - x * x).rsqrt()


class Acos(Op):
    formula = "y = acos(x);  dx = -dy / sqrt(1 - x^2)"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with quiet_fp():
            return np.arccos(x)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return -dy * (1.0 - x * x).rsqrt()


class Atan(Op):
    formula = "y = atan(x);  dx = dy / (1 + x^2)"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.arctan(x)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return dy / (x * x + 1.0)


class Sinh(Op):
    formula = "y = sinh(x);  dx = dy * cosh(x)"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sinh(x)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return dy * x.cosh()


class Cosh(Op):
    formula = "y = cosh(x);  dx = dy * sinh(x)"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.cosh(x)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return dy * x.sinh()


class Asinh(Op):
    formula = "y = asinh(x);  dx = dy / sqrt(x^2 + 1)"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.arcsinh(x)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return dy * (x * x + 1.0).rsqrt()


class Acosh(Op):
    formula = "y = acosh(x);  dx = dy / sqrt(x^2 - 1)"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with quiet_fp():
            return np.arccosh(x)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return dy * (x * x - 1.0).rsqrt()


class Atanh(Op):
    formula = "y = atanh(x);  dx = dy / (1 - x^2)"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with quiet_fp():
            return np.arctanh(x)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return dy / (1.0 - x * x)


sin = _unary(Sin)


cos = _unary(Cos)


tan = _unary(Tan)


asin = arcsin = _unary(Asin)


acos = arccos = _unary(Acos)


atan = arctan = _unary(Atan)


sinh = _unary(Sinh)


cosh = _unary(Cosh)


asinh = _unary(Asinh)


acosh = _unary(Acosh)


atanh = _unary(Atanh)
