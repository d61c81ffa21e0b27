"""``torch.nn.utils``: gradient clipping, parameter/vector conversion, weight and spectral
normalization hooks, and (``rnn``) packed sequences."""

from .clip_grad import (
    clip_grad_norm,
    clip_grad_norm_,
    clip_grad_value_,
    clip_grads_with_norm_,
    get_total_norm,
)
from .convert_parameters import parameters_to_vector, vector_to_parameters
from ._norm_hooks import remove_spectral_norm, remove_weight_norm, spectral_norm, weight_norm

try:  # the packed-sequence helpers live in their own file (written separately)
    from . import rnn
except ImportError:  # pragma: no cover - only while rnn.py is missing
    pass

__all__ = [
    "clip_grad_norm",
    "clip_grad_norm_",
    "clip_grad_value_",
    "clip_grads_with_norm_",
    "get_total_norm",
    "parameters_to_vector",
    "remove_spectral_norm",
    "remove_weight_norm",
    "rnn",
    "spectral_norm",
    "vector_to_parameters",
    "weight_norm",
]
