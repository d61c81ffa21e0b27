"""Activation functions, as in ``torch.nn.functional``.

Stable or hot functions are single ops (``_activation_ops``); the rest are compositions of
Tensor ops. Kink conventions (the derivative at a non-differentiable point) are torch's:
relu'(0) = 0, leaky_relu'(0) = negative_slope, prelu'(0) = weight, threshold passes the gradient
only where x > threshold, hardtanh/relu6 pass it only strictly inside (min, max),
hardsigmoid'(+-3) = 0, hardswish'(-3) = 0 and hardswish'(3) = 1, elu'(0) = alpha (the
exponential branch), soft/hardshrink'(+-lambda) = 0.

``inplace=True`` writes the result into ``input`` (through the in-place rule of
``chainrule.ops.inplace``: an error on a leaf that requires grad, as in torch).
"""

from __future__ import annotations

import warnings

import numpy as np

from ... import ops
from ..._tensor import Tensor
from ...ops.inplace import inplace as _inplace
from . import _activation_ops as A

__all__ = [
    "celu",
    "celu_",
    "elu",
    "elu_",
    "gelu",
    "glu",
    "hardshrink",
    "hardsigmoid",
    "hardswish",
    "hardtanh",
    "hardtanh_",
    "leaky_relu",
    "leaky_relu_",
    "log_softmax",
    "logsigmoid",
    "mish",
    "normalize",
    "prelu",
    "relu",
    "relu6",
    "relu_",
    "rrelu",
    "rrelu_",
    "selu",
    "selu_",
    "sigmoid",
    "silu",
    "softmax",
    "softmin",
    "softplus",
    "softshrink",
    "softsign",
    "tanh",
    "tanhshrink",
    "threshold",
    "threshold_",
]

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946

_DTYPE_WORDS = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char",
                "uint8": "Byte", "bool": "Bool"}


def _need_float(x: Tensor, name: str) -> None:
    if x._data.dtype.kind not in "fc":
        word = _DTYPE_WORDS.get(x._data.dtype.name, x._data.dtype.name)
        raise RuntimeError(f'"{name}" not implemented for \'{word}\'')


def _maybe_inplace(input: Tensor, fn, inplace: bool, *args) -> Tensor:
    if inplace:
        return _inplace(input, fn, *args)
    return fn(input, *args)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """``y = x if x > threshold else value``; gradient passes where x > threshold."""
    return _maybe_inplace(input, lambda x: A.Threshold.apply(x, threshold, value), inplace)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    return _inplace(input, lambda x: A.Threshold.apply(x, threshold, value))


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """``max(x, 0)``; relu'(0) = 0."""
    if inplace:
        return input.relu_()
    return ops.relu(input)


def relu_(input: Tensor) -> Tensor:
    return input.relu_()


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0,
             inplace: bool = False) -> Tensor:
    """``clamp(x, min_val, max_val)``; the gradient is 0 at and beyond both ends."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    _need_float(input, "hardtanh")
    return _maybe_inplace(input, lambda x: A.Hardtanh.apply(x, min_val, max_val), inplace)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """``min(max(x, 0), 6)`` (hardtanh(x, 0, 6))."""
    return hardtanh(input, 0.0, 6.0, inplace)


def _elu(input: Tensor, alpha: float, scale: float, input_scale: float, inplace: bool,
         name: str) -> Tensor:
    _need_float(input, name)
    return _maybe_inplace(input, lambda x: A.Elu.apply(x, alpha, scale, input_scale), inplace)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """``x if x > 0 else alpha * (exp(x) - 1)``."""
    return _elu(input, alpha, 1.0, 1.0, inplace, "elu")


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return elu(input, alpha, True)


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """``scale * elu(x, alpha)`` with the self-normalizing constants."""
    return _elu(input, _SELU_ALPHA, _SELU_SCALE, 1.0, inplace, "selu")


def selu_(input: Tensor) -> Tensor:
    return selu(input, True)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``."""
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError")
    return _elu(input, alpha, 1.0, 1.0 / alpha, inplace, "celu")


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return celu(input, alpha, True)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """``x if x > 0 else negative_slope * x``."""
    _need_float(input, "leaky_relu")
    return _maybe_inplace(input, lambda x: A.LeakyRelu.apply(x, negative_slope), inplace)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    return leaky_relu(input, negative_slope, True)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """``x if x > 0 else weight * x``; ``weight`` has 1 or C (channels = dim 1) entries."""
    if weight.numel() != 1:
        if input.ndim == 0:
            raise RuntimeError("Not allow zero-dim input tensor.")
        channels = input.shape[1] if input.ndim >= 2 else input.shape[0]
        if weight.numel() != channels:
            raise RuntimeError(
                "Mismatch of parameter numbers and input channel size. Found parameter numbers "
                f"= {weight.numel()} and channel size = {channels}."
            )
        if input.ndim >= 2:
            weight = weight.reshape((channels,) + (1,) * (input.ndim - 2))
    elif weight.ndim > input.ndim or weight.ndim > 1:
        weight = weight.reshape(())
    return ops.where(input > 0, input, weight * input)


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3,
          training: bool = False, inplace: bool = False) -> Tensor:
    """Randomized leaky ReLU: in training, each negative x is scaled by a slope drawn from
    U(lower, upper); in eval, by the mean slope ``(lower + upper) / 2``."""
    if not training:
        return leaky_relu(input, (lower + upper) / 2, inplace)
    _need_float(input, "rrelu")
    from ..._random import _stream

    # torch draws one double uniform per non-positive element, in order
    negative = input._data <= 0
    noise = np.ones(input.shape, dtype=np.float64)
    noise[negative] = _stream(None)._unit(int(negative.sum()), True) * (upper - lower) + lower
    noise = noise.astype(input._data.dtype)
    return _maybe_inplace(input, lambda x: x * Tensor._wrap(noise), inplace)


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3,
           training: bool = False) -> Tensor:
    return rrelu(input, lower, upper, training, True)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """``x * Phi(x)`` (Phi the normal CDF, via erf); ``approximate='tanh'`` uses
    ``0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))``."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    _need_float(input, "GeluKernelImpl")
    return A.Gelu.apply(input, approximate)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * sigmoid(x)`` (swish)."""
    _need_float(input, "silu")
    return _maybe_inplace(input, A.Silu.apply, inplace)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * tanh(softplus(x))``."""
    _need_float(input, "mish")
    return _maybe_inplace(input, A.Mish.apply, inplace)


def sigmoid(input: Tensor) -> Tensor:
    return ops.sigmoid(input)


def tanh(input: Tensor) -> Tensor:
    return ops.tanh(input)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """``relu6(x + 3) / 6``."""
    _need_float(input, "hardsigmoid")
    return _maybe_inplace(input, A.Hardsigmoid.apply, inplace)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * relu6(x + 3) / 6``."""
    _need_float(input, "hardswish")
    return _maybe_inplace(input, A.Hardswish.apply, inplace)


def logsigmoid(input: Tensor) -> Tensor:
    """``log(sigmoid(x))``, computed as ``min(x, 0) - log1p(exp(-|x|))`` (finite for any x)."""
    _need_float(input, "log_sigmoid_forward")
    return A.LogSigmoid.apply(input)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """``log(1 + exp(beta x)) / beta``, and ``x`` itself where ``beta x > threshold``."""
    _need_float(input, "softplus")
    return A.Softplus.apply(input, beta, threshold)


def softsign(input: Tensor) -> Tensor:
    """``x / (1 + |x|)``."""
    return input / (input.abs() + 1)


def tanhshrink(input: Tensor) -> Tensor:
    """``x - tanh(x)``."""
    return input - input.tanh()


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """``x - lambd`` above ``lambd``, ``x + lambd`` below ``-lambd``, else 0."""
    if lambd < 0:
        raise RuntimeError(f"lambda must be greater or equal to 0, but found to be {lambd}.")
    _need_float(input, "softshrink")
    return A.Shrink.apply(input, lambd, True)


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """``x`` where ``|x| > lambd``, else 0."""
    _need_float(input, "hardshrink")
    return A.Hardshrink.apply(input, lambd, False)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """Gated linear unit: split ``input`` in halves ``a, b`` along ``dim``; ``a * sigmoid(b)``."""
    if input.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    d = dim % input.ndim
    n = input.shape[d]
    if n % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size {n}")
    a, b = input.chunk(2, d)
    return a * b.sigmoid()


def _softmax_dim(name: str, ndim: int, stacklevel: int) -> int:
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. Change the call to include "
        "dim=X as an argument.",
        UserWarning,
        stacklevel=stacklevel,
    )
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
            dtype=None) -> Tensor:
    """``exp(x_i) / sum_j exp(x_j)`` along ``dim`` (max subtracted first: no overflow)."""
    if dim is None:
        dim = _softmax_dim("softmax", input.dim(), _stacklevel)
    return ops.softmax(input, dim, dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
                dtype=None) -> Tensor:
    """``x_i - log(sum_j exp(x_j))`` along ``dim``, stable for logits of any size."""
    if dim is None:
        dim = _softmax_dim("log_softmax", input.dim(), _stacklevel)
    return ops.log_softmax(input, dim, dtype)


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
            dtype=None) -> Tensor:
    """``softmax(-x)`` along ``dim``."""
    if dim is None:
        dim = _softmax_dim("softmin", input.dim(), _stacklevel)
    if dtype is not None:
        input = input.to(dtype)
    return ops.softmax(-input, dim)


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12,
              out: Tensor | None = None) -> Tensor:
    """``x / max(||x||_p, eps)`` along ``dim``."""
    denom = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
    result = input / denom
    if out is not None:
        out.copy_(result)
        return out
    return result

