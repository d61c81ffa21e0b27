"""Top-level torch names that forward elsewhere: the ATen spellings of functional layers
(``torch.dropout(x, p, train)``, ``torch.layer_norm``, ``torch.embedding(weight, idx)``,
losses with an integer ``reduction``...), the in-place top-level forms (``torch.relu_(x)``,
``torch.exp_(x)``), and (from ``_aliases_state``) the constants and state functions
(``torch.strided``, ``torch.channels_last``, ``torch.is_anomaly_enabled()``...).

``chainrule.__getattr__`` serves these names lazily, so ``import chainrule`` does not load
``chainrule.nn``. The signatures are torch's top-level ones, which differ from
``torch.nn.functional``'s (argument order, required ``train``/``training`` flags, an int
``reduction``: 0 none, 1 mean, 2 sum).
"""

from __future__ import annotations

from . import _aliases_state
from ._aliases_state import *
from ._tensor import Tensor

__all__ = [
    # in-place top-level forms, torch.relu_(x) is x.relu_() (generated below: F822)
    "relu_", "sigmoid_", "tanh_", "exp_", "exp2_", "expm1_", "log_", "log2_", "log10_",
    "log1p_", "sqrt_", "rsqrt_", "sin_", "cos_", "tan_", "asin_", "acos_", "atan_", "sinh_",
    "cosh_", "asinh_", "acosh_", "atanh_", "arcsin_", "arccos_", "arctan_", "arcsinh_",
    "arccosh_", "arctanh_", "ceil_", "floor_", "round_", "trunc_", "frac_", "fix_", "neg_",
    "negative_", "reciprocal_", "square_", "erf_", "erfc_", "i0_", "sinc_", "logit_",
    "nan_to_num_", "clamp_", "clamp_min_", "clamp_max_", "clip_", "deg2rad_", "rad2deg_",
    "gcd_", "lcm_", "ldexp_", "xlogy_", "zero_", "fill_", "detach_", "index_put_",
    "resize_as_", "addmv_",
    # functional layers under their ATen names
    "dropout", "dropout_", "alpha_dropout", "alpha_dropout_", "feature_dropout",
    "feature_dropout_", "feature_alpha_dropout", "feature_alpha_dropout_", "layer_norm",
    "batch_norm", "group_norm", "instance_norm", "rms_norm", "embedding", "selu", "selu_",
    "celu", "celu_", "prelu", "rrelu", "rrelu_", "hardshrink", "threshold", "threshold_",
    "pdist", "bilinear", "cosine_embedding_loss", "hinge_embedding_loss",
    "margin_ranking_loss", "triplet_margin_loss", "kl_div", "poisson_nll_loss",
    "binary_cross_entropy_with_logits", "convolution", "constant_pad_nd", "channel_shuffle",
    "native_channel_shuffle", "adaptive_max_pool1d", "max_pool1d_with_indices", "lstm_cell",
    "gru_cell", "rnn_tanh_cell", "rnn_relu_cell", "native_layer_norm", "native_dropout",
    "fill",
]

_REDUCTIONS = {0: "none", 1: "mean", 2: "sum"}


def _F():
    from .nn import functional

    return functional


def _reduction(value) -> str:
    """torch's top-level losses take the ATen enum (0/1/2); strings pass through."""
    if isinstance(value, str):
        return value
    if value not in _REDUCTIONS:
        raise ValueError(f"{value} is not a valid value for reduction")
    return _REDUCTIONS[value]


# -- dropout ------------------------------------------------------------------------------------


def dropout(input: Tensor, p: float, train: bool) -> Tensor:
    """``F.dropout(input, p, training=train)`` (``train`` is required, as in torch)."""
    return _F().dropout(input, p, train)


def dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    return _F().dropout(input, p, train, inplace=True)


def alpha_dropout(input: Tensor, p: float, train: bool) -> Tensor:
    return _F().alpha_dropout(input, p, train)


def alpha_dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    return _F().alpha_dropout(input, p, train, inplace=True)


def _feature(name: str, input: Tensor):
    by_rank = {3: "dropout1d", 4: "dropout2d", 5: "dropout3d"}
    if input.ndim not in by_rank:
        raise NotImplementedError(f"chainrule: {name} supports 3-D to 5-D inputs (N, C, ...), "
                                  f"got {input.ndim}-D")
    return getattr(_F(), by_rank[input.ndim])


def feature_dropout(input: Tensor, p: float, train: bool) -> Tensor:
    """Zeroes whole channels (dim 1) with probability ``p``, scaling the rest by 1/(1-p)."""
    return _feature("feature_dropout", input)(input, p, train)


def feature_dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    return _feature("feature_dropout_", input)(input, p, train, inplace=True)


def feature_alpha_dropout(input: Tensor, p: float, train: bool) -> Tensor:
    return _F().feature_alpha_dropout(input, p, train)


def feature_alpha_dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    return _F().feature_alpha_dropout(input, p, train, inplace=True)


def native_dropout(input: Tensor, p: float, train: bool | None):
    """(output, mask): the kept positions as a bool mask (all True when not training)."""
    import numpy as np

    if train is False or p == 0:
        return input.clone(), Tensor._wrap(np.ones(input.shape, dtype=bool))
    from ._random import _stream

    keep = _stream(None).bernoulli_scalar(input.shape, 1.0 - p)  # torch's mask.bernoulli_(1 - p)
    scale = 0.0 if p >= 1 else 1.0 / (1.0 - p)
    return input * Tensor._wrap((keep * scale).astype(input._data.dtype)), Tensor._wrap(keep)


# -- normalization ------------------------------------------------------------------------------


def layer_norm(input: Tensor, normalized_shape, weight=None, bias=None, eps: float = 1e-5,
               cudnn_enable: bool = True) -> Tensor:
    return _F().layer_norm(input, normalized_shape, weight, bias, eps)


def native_layer_norm(input: Tensor, normalized_shape, weight, bias, eps: float):
    """(output, mean, rstd) with ``mean``/``rstd`` shaped like the input with the normalized
    dims set to 1 (rstd = 1 / sqrt(var + eps), biased variance)."""
    dims = tuple(range(input.ndim - len(tuple(normalized_shape)), input.ndim))
    mean = input.mean(dims, keepdim=True)
    rstd = (input.var(dims, unbiased=False, keepdim=True) + eps).rsqrt()
    return _F().layer_norm(input, normalized_shape, weight, bias, eps), mean, rstd


def batch_norm(input: Tensor, weight, bias, running_mean, running_var, training: bool,
               momentum: float, eps: float, cudnn_enabled: bool) -> Tensor:
    return _F().batch_norm(input, running_mean, running_var, weight, bias, training, momentum,
                           eps)


def group_norm(input: Tensor, num_groups: int, weight=None, bias=None, eps: float = 1e-5,
               cudnn_enabled: bool = True) -> Tensor:
    return _F().group_norm(input, num_groups, weight, bias, eps)


def instance_norm(input: Tensor, weight, bias, running_mean, running_var,
                  use_input_stats: bool, momentum: float, eps: float,
                  cudnn_enabled: bool) -> Tensor:
    return _F().instance_norm(input, running_mean, running_var, weight, bias, use_input_stats,
                              momentum, eps)


def rms_norm(input: Tensor, normalized_shape, weight=None, eps=None) -> Tensor:
    return _F().rms_norm(input, normalized_shape, weight, eps)


# -- embedding, activations ---------------------------------------------------------------------


def embedding(weight: Tensor, indices: Tensor, padding_idx: int = -1,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """``F.embedding(indices, weight)``: note the ATen argument order (weight first); a
    negative ``padding_idx`` means none."""
    return _F().embedding(indices, weight, padding_idx if padding_idx >= 0 else None,
                          scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)


def selu(input: Tensor) -> Tensor:
    return _F().selu(input)


def selu_(input: Tensor) -> Tensor:
    return _F().selu(input, inplace=True)


def celu(input: Tensor, alpha: float = 1.0) -> Tensor:
    return _F().celu(input, alpha)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return _F().celu(input, alpha, inplace=True)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    return _F().prelu(input, weight)


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3,
          training: bool = False, generator=None) -> Tensor:
    if generator is not None:
        raise NotImplementedError("chainrule: rrelu(generator=...) is not supported")
    return _F().rrelu(input, lower, upper, training)


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3,
           training: bool = False, generator=None) -> Tensor:
    if generator is not None:
        raise NotImplementedError("chainrule: rrelu_(generator=...) is not supported")
    return _F().rrelu(input, lower, upper, training, inplace=True)


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    return _F().hardshrink(input, lambd)


def threshold(input: Tensor, threshold: float, value: float) -> Tensor:
    return _F().threshold(input, threshold, value)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    return _F().threshold(input, threshold, value, inplace=True)


def pdist(input: Tensor, p: float = 2.0) -> Tensor:
    return _F().pdist(input, p)


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias=None) -> Tensor:
    return _F().bilinear(input1, input2, weight, bias)


# -- losses (ATen forms: reduction is an int) ---------------------------------------------------


def cosine_embedding_loss(input1, input2, target, margin: float = 0.0,
                          reduction: int = 1) -> Tensor:
    return _F().cosine_embedding_loss(input1, input2, target, margin,
                                      reduction=_reduction(reduction))


def hinge_embedding_loss(input, target, margin: float = 1.0, reduction: int = 1) -> Tensor:
    return _F().hinge_embedding_loss(input, target, margin, reduction=_reduction(reduction))


def margin_ranking_loss(input1, input2, target, margin: float = 0.0,
                        reduction: int = 1) -> Tensor:
    return _F().margin_ranking_loss(input1, input2, target, margin,
                                    reduction=_reduction(reduction))


def triplet_margin_loss(anchor, positive, negative, margin: float = 1.0, p: float = 2.0,
                        eps: float = 1e-6, swap: bool = False, reduction: int = 1) -> Tensor:
    return _F().triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap,
                                    reduction=_reduction(reduction))


def kl_div(input, target, reduction: int = 1, *, log_target: bool = False) -> Tensor:
    """ATen's kl_div: ``reduction=1`` ('mean') averages over every element (no batchmean)."""
    import warnings

    with warnings.catch_warnings():
        # F.kl_div warns that 'mean' is not batchmean; the ATen form never does
        warnings.simplefilter("ignore", UserWarning)
        return _F().kl_div(input, target, reduction=_reduction(reduction),
                           log_target=log_target)


def poisson_nll_loss(input, target, log_input: bool, full: bool, eps: float,
                     reduction: int) -> Tensor:
    return _F().poisson_nll_loss(input, target, log_input, full, eps=eps,
                                 reduction=_reduction(reduction))


def binary_cross_entropy_with_logits(input, target, weight=None, pos_weight=None,
                                     reduction: int = 1) -> Tensor:
    return _F().binary_cross_entropy_with_logits(input, target, weight,
                                                 reduction=_reduction(reduction),
                                                 pos_weight=pos_weight)


# -- convolution, pooling, padding --------------------------------------------------------------


def convolution(input, weight, bias, stride, padding, dilation, transposed: bool,
                output_padding, groups: int) -> Tensor:
    """ATen's generic convolution: picks ``conv{1,2}d``/``conv_transpose{1,2}d`` by the
    weight's rank."""
    spatial = weight.ndim - 2
    if spatial not in (1, 2):
        raise NotImplementedError(f"chainrule: convolution supports 1-D and 2-D kernels, got "
                                  f"{spatial}-D")
    F = _F()
    if transposed:
        fn = F.conv_transpose1d if spatial == 1 else F.conv_transpose2d
        return fn(input, weight, bias, stride, padding, output_padding, groups, dilation)
    fn = F.conv1d if spatial == 1 else F.conv2d
    return fn(input, weight, bias, stride, padding, dilation, groups)


def constant_pad_nd(input: Tensor, pad, value=0) -> Tensor:
    return _F().pad(input, list(pad), "constant", value)


def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """Reorders the channels (dim 1) as ``(groups, C/groups) -> (C/groups, groups)``."""
    if input.ndim < 3:
        raise RuntimeError(f"channel_shuffle expects input to have at least 3 dimensions, but "
                           f"got input with sizes {list(input.shape)}")
    if groups <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of "
                           f"groups:{groups}")
    n, c = input.shape[0], input.shape[1]
    if c % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels "
                           f"and {groups} groups.")
    rest = tuple(input.shape[2:])
    return input.reshape(n, groups, c // groups, *rest).transpose(1, 2).reshape(n, c, *rest)


native_channel_shuffle = channel_shuffle


def adaptive_max_pool1d(input: Tensor, output_size):
    """(values, indices), as torch's top-level form."""
    return _F().adaptive_max_pool1d(input, output_size, return_indices=True)


def max_pool1d_with_indices(input: Tensor, kernel_size, stride=(), padding=0, dilation=1,
                            ceil_mode: bool = False):
    stride = stride if stride not in ((), []) else None
    return _F().max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode,
                           return_indices=True)


# -- recurrent cells ----------------------------------------------------------------------------


def _gates(input, hx, w_ih, w_hh, b_ih, b_hh):
    gates = input.matmul(w_ih.t()) + hx.matmul(w_hh.t())
    if b_ih is not None:
        gates = gates + b_ih
    if b_hh is not None:
        gates = gates + b_hh
    return gates


def lstm_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """One LSTM step: ``hx = (h, c)``; gates ``i, f, g, o`` (torch's order); returns (h', c')."""
    h, c = hx
    i, f, g, o = _gates(input, h, w_ih, w_hh, b_ih, b_hh).chunk(4, -1)
    c_next = f.sigmoid() * c + i.sigmoid() * g.tanh()
    return o.sigmoid() * c_next.tanh(), c_next


def gru_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """One GRU step: ``r, z`` gates, ``n = tanh(W_in x + b_in + r (W_hn h + b_hn))``,
    ``h' = (1 - z) n + z h``."""
    gi = input.matmul(w_ih.t()) + (b_ih if b_ih is not None else 0)
    gh = hx.matmul(w_hh.t()) + (b_hh if b_hh is not None else 0)
    i_r, i_z, i_n = gi.chunk(3, -1)
    h_r, h_z, h_n = gh.chunk(3, -1)
    r = (i_r + h_r).sigmoid()
    z = (i_z + h_z).sigmoid()
    n = (i_n + r * h_n).tanh()
    return n + z * (hx - n)


def rnn_tanh_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    return _gates(input, hx, w_ih, w_hh, b_ih, b_hh).tanh()


def rnn_relu_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    return _gates(input, hx, w_ih, w_hh, b_ih, b_hh).relu()


def fill(input: Tensor, value) -> Tensor:
    """A new tensor like ``input`` filled with ``value`` (``input.clone().fill_(value)``)."""
    return input.clone().fill_(value)


# -- in-place top-level forms: torch.relu_(x) is x.relu_() --------------------------------------



def _inplace_forward(name: str):
    def fn(input: Tensor, *args, **kwargs):
        method = getattr(type(input), name, None)
        if method is None:
            raise AttributeError(f"chainrule: Tensor.{name} is not implemented")
        return method(input, *args, **kwargs)

    fn.__name__ = name
    fn.__doc__ = f"``input.{name}(...)``: in place, returns ``input``."
    return fn


_INPLACE = [name for name in __all__ if name.endswith("_") and name not in globals()]
globals().update({name: _inplace_forward(name) for name in _INPLACE})

__all__ += _aliases_state.__all__
