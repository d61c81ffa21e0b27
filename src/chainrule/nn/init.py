"""Weight initialization, as ``torch.nn.init``: fills tensors in place, outside the graph.

Every function writes into the tensor's array (as torch does under ``no_grad``), bumps its
version and returns it. Random fills draw from ``generator`` or the default generator.

Scales (``fan_in``/``fan_out`` as torch computes them, ``receptive`` = product of dims 2..)::

    xavier_uniform_:  U(-a, a),   a = gain * sqrt(6 / (fan_in + fan_out))
    xavier_normal_:   N(0, s^2),  s = gain * sqrt(2 / (fan_in + fan_out))
    kaiming_uniform_: U(-b, b),   b = gain * sqrt(3 / fan),  gain = calculate_gain(nl, a)
    kaiming_normal_:  N(0, s^2),  s = gain / sqrt(fan)
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from .. import _creation
from .._backend import to_device_array
from .._tensor import Tensor

__all__ = [
    "calculate_gain",
    "constant",
    "constant_",
    "dirac_",
    "eye_",
    "kaiming_normal",
    "kaiming_normal_",
    "kaiming_uniform",
    "kaiming_uniform_",
    "normal",
    "normal_",
    "ones_",
    "orthogonal",
    "orthogonal_",
    "sparse",
    "sparse_",
    "trunc_normal_",
    "uniform",
    "uniform_",
    "xavier_normal",
    "xavier_normal_",
    "xavier_uniform",
    "xavier_uniform_",
    "zeros_",
]


def _fill(tensor: Tensor, values) -> Tensor:
    """Writes ``values`` (NumPy array or scalar) into ``tensor`` in place, without a graph."""
    data = tensor._data
    if type(data) is np.ndarray:
        np.copyto(data, values, casting="unsafe")
    else:
        data[...] = to_device_array(np.asarray(values, dtype=data.dtype), tensor.device)
    tensor._vc[0] += 1
    return tensor


def _rng(generator):
    return _creation._rng(generator)


def _stream(generator):
    """The generator's torch-equal stream (``chainrule._torch_rng``)."""
    from .._random import _stream as stream  # noqa: PLC0415

    return stream(generator)


def _sample_dtype(tensor: Tensor) -> np.dtype:
    dtype = tensor._data.dtype
    return dtype if dtype in (np.float16, np.float32, np.float64) else np.dtype(np.float32)


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for a nonlinearity (torch's table)::

        linear/conv*/sigmoid: 1,  tanh: 5/3,  relu: sqrt(2),
        leaky_relu: sqrt(2 / (1 + negative_slope^2)),  selu: 3/4
    """
    linear_fns = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
                  "conv_transpose2d", "conv_transpose3d"]
    if nonlinearity in linear_fns or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            negative_slope = 0.01
        elif (not isinstance(param, bool) and isinstance(param, int)) or isinstance(param, float):
            negative_slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + negative_slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """``(size(1) * receptive, size(0) * receptive)`` for a weight of shape (out, in, *k)."""
    if tensor.dim() < 2:
        raise ValueError(
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"
        )
    receptive = 1
    for s in tensor.shape[2:]:
        receptive *= s
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _calculate_correct_fan(tensor: Tensor, mode: str) -> int:
    mode = mode.lower()
    valid_modes = ["fan_in", "fan_out"]
    if mode not in valid_modes:
        raise ValueError(f"Mode {mode} not supported, please use one of {valid_modes}")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator=None) -> Tensor:
    """Fills with U(a, b) (torch's draws: ``tensor.uniform_(a, b)``)."""
    return _fill(tensor, _stream(generator).uniform(tensor.shape, float(a), float(b),
                                                    _sample_dtype(tensor)))


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator=None) -> Tensor:
    """Fills with N(mean, std^2) (torch's draws: ``tensor.normal_(mean, std)``)."""
    return _fill(tensor, _stream(generator).normal(tensor.shape, float(mean), float(std),
                                                   _sample_dtype(tensor)))


def trunc_normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0,
                  b: float = 2.0, generator=None) -> Tensor:
    """Fills with N(mean, std^2) truncated to [a, b], drawn as torch 2.13 draws it: when the
    interval holds more than 30% of the mass, normal samples with out-of-range ones redrawn
    (a whole fresh sample per round, used where needed); otherwise uniform proposals on
    [a, b] accepted with probability pdf / peak."""
    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn(
            "mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of "
            "values may be incorrect.",
            stacklevel=2,
        )
    stream = _stream(generator)
    dt = _sample_dtype(tensor)
    shape = tensor.shape

    def norm_cdf(x: float) -> float:
        return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0

    if norm_cdf((b - mean) / std) - norm_cdf((a - mean) / std) > 0.3:
        lo, hi = dt.type(a), dt.type(b)
        result = stream.normal(shape, float(mean), float(std), dt)
        while True:
            mask = (result < lo) | (result > hi)
            if not mask.any():
                break
            result = np.where(mask, stream.normal(shape, float(mean), float(std), dt), result)
        return _fill(tensor, result)
    mode = max(a, min(mean, b))
    log_peak = dt.type(-0.5 * ((mode - mean) / std) ** 2)

    def log_pdf_excess(c):
        return (((c - dt.type(mean)) / dt.type(std)) ** 2 * dt.type(-0.5) - log_peak).astype(dt)

    result = stream.uniform(shape, a, b, dt)
    pending = np.log(stream.uniform(shape, 0.0, 1.0, dt)) > log_pdf_excess(result)
    while pending.any():
        candidates = stream.uniform(shape, a, b, dt)
        result = np.where(pending, candidates, result)
        pending = np.where(pending, np.log(stream.uniform(shape, 0.0, 1.0, dt))
                           > log_pdf_excess(candidates), pending)
    return _fill(tensor, result)


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fills with ``val``."""
    return _fill(tensor, val)


def ones_(tensor: Tensor) -> Tensor:
    return _fill(tensor, 1)


def zeros_(tensor: Tensor) -> Tensor:
    return _fill(tensor, 0)


def eye_(tensor: Tensor) -> Tensor:
    """Fills a 2-D tensor with the identity (ones on the main diagonal)."""
    if tensor.ndimension() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    return _fill(tensor, np.eye(*tensor.shape))


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    """Fills a 3/4/5-D conv weight with the Dirac delta (identity convolution per group)."""
    dims = tensor.dim()
    if dims not in (3, 4, 5):
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    sizes = tensor.shape
    if sizes[0] % groups != 0:
        raise ValueError("dim 0 must be divisible by groups")
    out_per_group = sizes[0] // groups
    min_dim = min(out_per_group, sizes[1])
    values = np.zeros(sizes)
    centre = tuple(s // 2 for s in sizes[2:])
    for g in range(groups):
        for d in range(min_dim):
            values[(g * out_per_group + d, d) + centre] = 1
    return _fill(tensor, values)


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator=None) -> Tensor:
    """Glorot uniform: U(-a, a), ``a = gain * sqrt(6 / (fan_in + fan_out))``."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    a = math.sqrt(3.0) * std
    return uniform_(tensor, -a, a, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator=None) -> Tensor:
    """Glorot normal: N(0, s^2), ``s = gain * sqrt(2 / (fan_in + fan_out))``."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator)


def _zero_element(tensor: Tensor) -> bool:
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=3)
        return True
    return False


def kaiming_uniform_(tensor: Tensor, a: float = 0, mode: str = "fan_in",
                     nonlinearity: str = "leaky_relu", generator=None) -> Tensor:
    """He uniform: U(-b, b), ``b = gain * sqrt(3 / fan)``, gain from ``nonlinearity`` and
    ``a`` (the negative slope of leaky_relu)."""
    if _zero_element(tensor):
        return tensor
    fan = _calculate_correct_fan(tensor, mode)
    gain = calculate_gain(nonlinearity, a)
    bound = math.sqrt(3.0) * gain / math.sqrt(fan)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor: Tensor, a: float = 0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu", generator=None) -> Tensor:
    """He normal: N(0, s^2), ``s = gain / sqrt(fan)``."""
    if _zero_element(tensor):
        return tensor
    fan = _calculate_correct_fan(tensor, mode)
    std = calculate_gain(nonlinearity, a) / math.sqrt(fan)
    return normal_(tensor, 0.0, std, generator)


def orthogonal_(tensor: Tensor, gain: float = 1, generator=None) -> Tensor:
    """A (semi-)orthogonal matrix from the QR decomposition of a normal sample, signs fixed
    so that R has a positive diagonal (uniform over orthogonal matrices); trailing dims are
    flattened."""
    if tensor.ndimension() < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.numel() == 0:
        return tensor
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    dt = _sample_dtype(tensor)
    flat = _stream(generator).normal((rows, cols), 0.0, 1.0, dt)  # torch's draws, in order
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)  # in the tensor's dtype, as torch
    q = q * np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return _fill(tensor, (q * gain).reshape(tensor.shape))


def sparse_(tensor: Tensor, sparsity: float, std: float = 0.01, generator=None) -> Tensor:
    """N(0, std^2) with a fraction ``sparsity`` of each column set to zero."""
    if tensor.ndimension() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    rows, cols = tensor.shape
    num_zeros = int(math.ceil(sparsity * rows))
    values = _stream(generator).normal((rows, cols), 0.0, float(std), _sample_dtype(tensor))
    for col in range(cols):  # torch draws these permutations from the default generator
        values[_stream(None).randperm(rows)[:num_zeros], col] = 0
    return _fill(tensor, values)


def _deprecated(new_fn):
    new_name = new_fn.__name__
    old_name = new_name[:-1]

    def deprecated_init(*args, **kwargs):
        warnings.warn(
            f"`nn.init.{old_name}` is now deprecated in favor of `nn.init.{new_name}`.",
            FutureWarning,
            stacklevel=2,
        )
        return new_fn(*args, **kwargs)

    deprecated_init.__name__ = old_name
    deprecated_init.__doc__ = f"Deprecated: use :func:`{new_name}`."
    return deprecated_init


uniform = _deprecated(uniform_)
normal = _deprecated(normal_)
constant = _deprecated(constant_)
xavier_uniform = _deprecated(xavier_uniform_)
xavier_normal = _deprecated(xavier_normal_)
kaiming_uniform = _deprecated(kaiming_uniform_)
kaiming_normal = _deprecated(kaiming_normal_)
orthogonal = _deprecated(orthogonal_)
sparse = _deprecated(sparse_)
