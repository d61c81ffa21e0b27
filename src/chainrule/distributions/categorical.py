"""Categorical and OneHotCategorical over the last dim of ``probs``/``logits``.

``logits`` are normalized to log-probabilities (``logits - logsumexp(logits)``); ``probs``
are normalized to sum to 1. ``log_prob(k) = logits[..., k]``; entropy = -sum p log p.
Sampling inverts the CDF with one uniform draw per sample (vectorized).
"""

from __future__ import annotations

import numpy as np

from .. import _creation, ops
from .._tensor import Tensor
from . import constraints
from .distribution import Distribution, as_float_tensor

__all__ = ["Categorical", "OneHotCategorical"]


class Categorical(Distribution):
    """Categorical(probs=...) or Categorical(logits=...): index k with probability p_k."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    has_enumerate_support = True

    def __init__(self, probs=None, logits=None, validate_args=None) -> None:
        if (probs is None) == (logits is None):
            raise ValueError(
                "Either `probs` or `logits` must be specified, but not both."
            )
        if probs is not None:
            probs = as_float_tensor(probs)
            if probs.ndim < 1:
                raise ValueError("`probs` parameter must be at least one-dimensional.")
            self._probs = probs / probs.sum(-1, keepdim=True)
            self._logits = None
            param = self._probs
        else:
            logits = as_float_tensor(logits)
            if logits.ndim < 1:
                raise ValueError("`logits` parameter must be at least one-dimensional.")
            self._logits = logits - logits.logsumexp(-1, keepdim=True)
            self._probs = None
            param = self._logits
        self._num_events = param.shape[-1]
        super().__init__(tuple(param.shape[:-1]), (), validate_args)
        if probs is not None and self._validate_args and not bool((probs >= 0).all()):
            raise ValueError(
                f"Expected parameter probs (Tensor of shape {tuple(probs.shape)}) of "
                f"distribution {type(self).__name__}() to satisfy the constraint Simplex(), "
                f"but found invalid values:\n{probs}"
            )

    @property
    def probs(self) -> Tensor:
        if self._probs is None:
            self._probs = ops.softmax(self._logits, -1)
        return self._probs

    @property
    def logits(self) -> Tensor:
        if self._logits is None:
            eps = float(np.finfo(self._probs._data.dtype).eps)
            self._logits = self._probs.clamp(eps, 1 - eps).log()
        return self._logits

    @property
    def param_shape(self):
        return self.probs.shape

    def sample(self, sample_shape=()) -> Tensor:
        if isinstance(sample_shape, int):
            sample_shape = (sample_shape,)
        # torch's draws: multinomial with replacement over the rows, one column per sample
        n = int(np.prod(tuple(sample_shape), dtype=np.int64))
        probs_2d = self.probs.detach().reshape(-1, self._num_events)
        samples_2d = _creation.multinomial(probs_2d, n, True)._data.T
        shape = tuple(sample_shape) + tuple(self.batch_shape)
        return Tensor._wrap(np.ascontiguousarray(samples_2d).reshape(shape))

    def log_prob(self, value) -> Tensor:
        value = value if isinstance(value, Tensor) else Tensor._wrap(np.asarray(value))
        if self._validate_args:
            ok = (value >= 0) & (value < self._num_events) & (value == value.floor() if
                                                                value.is_floating_point()
                                                                else value == value)
            if not bool(ok.all()):
                raise ValueError(
                    f"Expected value argument (Tensor of shape {tuple(value.shape)}) to be "
                    f"within the support (IntegerInterval(lower_bound=0, upper_bound="
                    f"{self._num_events - 1})) of the distribution {self!r}, but found "
                    f"invalid values:\n{value}"
                )
        value = value.long().unsqueeze(-1)
        value, log_pmf = ops.broadcast_tensors(value, self.logits)
        return log_pmf.gather(-1, value[..., :1]).squeeze(-1)

    def entropy(self) -> Tensor:
        min_real = float(np.finfo(self.logits._data.dtype).min)
        logits = self.logits.clamp(min=min_real)
        return -(logits * self.probs).sum(-1)

    def enumerate_support(self, expand: bool = True) -> Tensor:
        values = Tensor._wrap(np.arange(self._num_events, dtype=np.int64))
        values = values.reshape(-1, *([1] * len(self.batch_shape)))
        return values.expand(-1, *self.batch_shape) if expand else values

    @property
    def mean(self) -> Tensor:
        return Tensor._wrap(np.full(tuple(self.batch_shape), np.nan,
                                    dtype=self.probs._data.dtype))

    @property
    def mode(self) -> Tensor:
        return self.probs.argmax(-1)

    @property
    def variance(self) -> Tensor:
        return self.mean

    def __repr__(self) -> str:
        param = self._probs if self._probs is not None else self._logits
        name = "probs" if self._probs is not None else "logits"
        return f"Categorical({name}: {param if param.numel() == 1 else param.size()})"


class OneHotCategorical(Distribution):
    """Like Categorical, with samples and values as one-hot vectors of length K."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    has_enumerate_support = True

    def __init__(self, probs=None, logits=None, validate_args=None) -> None:
        self._categorical = Categorical(probs, logits, validate_args)
        super().__init__(self._categorical.batch_shape,
                         (self._categorical._num_events,), validate_args)

    @property
    def probs(self) -> Tensor:
        return self._categorical.probs

    @property
    def logits(self) -> Tensor:
        return self._categorical.logits

    def sample(self, sample_shape=()) -> Tensor:
        index = self._categorical.sample(sample_shape)._data
        k = self._categorical._num_events
        out = (index[..., None] == np.arange(k)).astype(self.probs._data.dtype)
        return Tensor._wrap(out)

    def log_prob(self, value: Tensor) -> Tensor:
        indices = value.max(-1)[1]
        return self._categorical.log_prob(indices)

    def entropy(self) -> Tensor:
        return self._categorical.entropy()

    @property
    def mean(self) -> Tensor:
        return self.probs

    @property
    def mode(self) -> Tensor:
        probs = self.probs
        index = probs.argmax(-1)._data
        return Tensor._wrap((index[..., None] == np.arange(probs.shape[-1])).astype(
            probs._data.dtype))

    @property
    def variance(self) -> Tensor:
        return self.probs * (1 - self.probs)
