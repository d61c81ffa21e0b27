"""Dropout: zero each element (or each channel) with probability p in training and scale the
survivors by 1 / (1 - p), so the expected value is unchanged; identity in eval.

Masks are drawn from chainrule's default generator with torch's draws: after the same
``manual_seed`` they are torch's masks.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ..._tensor import Tensor
from ...autograd.function import Op
from ...ops.inplace import inplace as _inplace

__all__ = [
    "alpha_dropout",
    "dropout",
    "dropout1d",
    "dropout2d",
    "dropout3d",
    "feature_alpha_dropout",
]

_ALPHA = 1.7580993408473766  # -selu_scale * selu_alpha: the value SELU saturates to


class NativeDropout(Op):
    formula = "y = x * m / (1 - p),  m ~ Bernoulli(1 - p);  dx = dy * m / (1 - p)"

    @staticmethod
    def forward(ctx, x, scaled_mask):
        ctx.save_for_backward(scaled_mask)
        return x * scaled_mask

    @staticmethod
    def backward(ctx, dy):
        (scaled_mask,) = ctx.saved_tensors
        return dy * scaled_mask, None


def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _keep_mask(shape: tuple, p: float, dtype, like: np.ndarray | None = None) -> np.ndarray:
    """Bernoulli(1 - p) as 0/1 in ``dtype``: torch's ``noise.bernoulli_(1 - p)`` draws (a double
    uniform per element from the default generator), so masks equal torch's after a seed.

    torch's noise is ``empty_like(input)``, which keeps the input's memory layout, and it is
    filled in memory order: for a transposed input (the batch_first output of attention) the
    draws go along the input's strides, not its logical order. ``like`` gives that layout."""
    from ..._random import _stream  # noqa: PLC0415

    draws = _stream(None).bernoulli_scalar((int(np.prod(shape, dtype=np.int64)),), 1.0 - p)
    if like is None or like.flags.c_contiguous or like.ndim < 2:
        return draws.astype(dtype).reshape(shape)
    order = sorted(range(like.ndim), key=lambda d: (-abs(like.strides[d]), d))
    mask = np.empty(tuple(shape[d] for d in order), dtype=dtype)
    mask.reshape(-1)[...] = draws
    return mask.transpose(np.argsort(order))


def _apply_mask(input: Tensor, mask_shape: tuple, p: float, inplace: bool) -> Tensor:
    dtype = input._data.dtype
    if p == 1.0:
        scaled = np.zeros(mask_shape, dtype=dtype)
    else:
        like = input._data if tuple(mask_shape) == tuple(input.shape) else None
        scaled = _keep_mask(mask_shape, p, dtype, like)
        scaled /= dtype.type(1.0 - p)  # torch's noise.div_(1 - p), in the input's dtype
    mask = Tensor._wrap(scaled)
    if inplace:
        return _inplace(input, lambda x: NativeDropout.apply(x, mask))
    return NativeDropout.apply(input, mask)


def dropout(input: Tensor, p: float = 0.5, training: bool = True,
            inplace: bool = False) -> Tensor:
    """Zeroes each element with probability ``p`` and scales the rest by ``1 / (1 - p)``
    (when ``training``; otherwise returns ``input``)."""
    _check_p(p)
    if not training or p == 0.0 or input.numel() == 0:
        return input
    return _apply_mask(input, tuple(input.shape), p, inplace)


def _feature_dropout(input: Tensor, p: float, training: bool, inplace: bool) -> Tensor:
    if not training or p == 0.0 or input.numel() == 0:
        return input
    shape = tuple(input.shape[:2]) + (1,) * (input.dim() - 2)
    return _apply_mask(input, shape, p, inplace)


def _batched(input: Tensor, batched: bool, fn) -> Tensor:
    if batched:
        return fn(input)
    return fn(input.unsqueeze(0)).squeeze(0)


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Channel dropout of ``(N, C, L)`` or ``(C, L)`` input: whole channels are zeroed."""
    _check_p(p)
    dim = input.dim()
    if dim not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {dim}D input. Note that "
            "dropout1d exists to provide channel-wise dropout on inputs with 1 spatial "
            "dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D "
            "inputs)."
        )
    if inplace and dim == 2:
        raise NotImplementedError("dropout1d(inplace=True) on an unbatched (C, L) input")
    return _batched(input, dim == 3, lambda x: _feature_dropout(x, p, training, inplace))


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Channel dropout of ``(N, C, H, W)`` input (a 3-D input is read as ``(N, C, L)``, as
    torch does, with its warning)."""
    _check_p(p)
    dim = input.dim()
    if dim not in (3, 4):
        warnings.warn(
            f"dropout2d: Received a {dim}-D input to dropout2d, which is deprecated and will "
            "result in an error in a future release. To retain the behavior and silence this "
            "warning, please use dropout instead. Note that dropout2d exists to provide "
            "channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, "
            "and an optional batch dimension (i.e. 3D or 4D inputs).",
            stacklevel=2,
        )
    if dim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D "
            "dropout behavior is desired - input is interpreted as shape (N, C, L), where C is "
            "the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.",
            stacklevel=2,
        )
    return _feature_dropout(input, p, training, inplace)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Channel dropout of ``(N, C, D, H, W)`` or ``(C, D, H, W)`` input."""
    _check_p(p)
    dim = input.dim()
    if dim not in (4, 5):
        warnings.warn(
            f"dropout3d: Received a {dim}-D input to dropout3d, which is deprecated and will "
            "result in an error in a future release. To retain the behavior and silence this "
            "warning, please use dropout instead. Note that dropout3d exists to provide "
            "channel-wise dropout on inputs with 3 spatial dimensions, a channel dimension, "
            "and an optional batch dimension (i.e. 4D or 5D inputs).",
            stacklevel=2,
        )
    if inplace and dim != 5:
        raise NotImplementedError("dropout3d(inplace=True) on an unbatched input")
    return _batched(input, dim == 5, lambda x: _feature_dropout(x, p, training, inplace))


def _alpha(input: Tensor, p: float, training: bool, inplace: bool, feature: bool) -> Tensor:
    _check_p(p)
    if not training or p == 0.0 or input.numel() == 0:
        return input
    if p == 1.0:
        return input * 0.0
    dtype = input._data.dtype
    shape = (tuple(input.shape[:2]) + (1,) * (input.dim() - 2)) if feature else \
        tuple(input.shape)
    keep = _keep_mask(shape, p, dtype)
    a = 1.0 / math.sqrt((_ALPHA * _ALPHA * p + 1) * (1 - p))
    b = ((keep - 1) * (_ALPHA * a) + _ALPHA * a * p).astype(dtype)
    scale = Tensor._wrap((keep * a).astype(dtype))
    fn = (lambda x: x * scale + Tensor._wrap(b))  # noqa: E731
    return _inplace(input, fn) if inplace else fn(input)


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,
                  inplace: bool = False) -> Tensor:
    """Dropout for SELU networks: dropped values are set to SELU's saturation value and the
    result is rescaled to keep zero mean and unit variance."""
    return _alpha(input, p, training, inplace, False)


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,
                          inplace: bool = False) -> Tensor:
    """Alpha dropout of whole channels."""
    return _alpha(input, p, training, inplace, True)
