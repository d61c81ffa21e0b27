"""Scalar distributions: Normal, Uniform, Bernoulli, Exponential, Laplace.

Formulas (elementwise, broadcast over the batch shape):
  Normal:      log p(x) = -(x - mu)^2 / (2 s^2) - log s - log sqrt(2 pi);  x = mu + s eps
  Uniform:     log p(x) = -log(b - a) on [a, b);                            x = a + (b - a) u
  Bernoulli:   log p(x) = x l - softplus(l) with logits l
  Exponential: log p(x) = log r - r x;                                       x = -log(1 - u) / r
  Laplace:     log p(x) = -log(2 b) - |x - mu| / b
"""

from __future__ import annotations

import math

import numpy as np

from .. import _creation, ops
from .._tensor import Tensor
from ..autograd.grad_mode import no_grad
from . import constraints
from .distribution import Distribution, as_float_tensor, broadcast_params

__all__ = ["Bernoulli", "Exponential", "Laplace", "Normal", "Uniform"]

_LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)


def _check_param(dist: Distribution, name: str, value: Tensor, constraint, text: str) -> None:
    if not dist._validate_args:
        return
    ok = constraint.check(value)
    if not bool(ok.all()):
        raise ValueError(
            f"Expected parameter {name} ({type(value).__name__} of shape {tuple(value.shape)}) "
            f"of distribution {dist!r} to satisfy the constraint {text}, but found invalid "
            f"values:\n{value}"
        )


def _check_support(dist: Distribution, value: Tensor, constraint, text: str) -> None:
    if not dist._validate_args:
        return
    if not bool(constraint.check(value).all()):
        raise ValueError(
            "Expected value argument "
            f"({type(value).__name__} of shape {tuple(value.shape)}) to be within the support "
            f"({text}) of the distribution {dist!r}, but found invalid values:\n{value}"
        )


def _noise(shape: tuple, like: Tensor, kind: str) -> Tensor:
    draw = _creation.randn if kind == "normal" else _creation.rand
    return draw(*shape, dtype=like.dtype) if shape else draw((), dtype=like.dtype)


def _softplus(x: Tensor) -> Tensor:
    return x.clamp_min(0.0) + ops.log1p(ops.exp(-x.abs()))


class Normal(Distribution):
    """Normal(loc, scale): mean ``loc``, standard deviation ``scale`` (> 0)."""

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, loc, scale, validate_args=None) -> None:
        self.loc, self.scale = broadcast_params(loc, scale)
        super().__init__(tuple(self.loc.shape), (), validate_args)
        _check_param(self, "scale", self.scale, constraints.positive,
                     "GreaterThan(lower_bound=0.0)")

    def rsample(self, sample_shape=()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        return self.loc + _noise(shape, self.loc, "normal") * self.scale

    def log_prob(self, value) -> Tensor:
        value = as_float_tensor(value, self.loc)
        var = self.scale ** 2
        return -((value - self.loc) ** 2) / (2 * var) - self.scale.log() - _LOG_SQRT_2PI

    def entropy(self) -> Tensor:
        return 0.5 + _LOG_SQRT_2PI + self.scale.log()

    def cdf(self, value) -> Tensor:
        value = as_float_tensor(value, self.loc)
        return 0.5 * (1 + ops.erf((value - self.loc) * self.scale.reciprocal()
                                  / math.sqrt(2)))

    def icdf(self, value) -> Tensor:
        value = as_float_tensor(value, self.loc)
        return self.loc + self.scale * ops.erfinv(2 * value - 1) * math.sqrt(2)

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def mode(self) -> Tensor:
        return self.loc

    @property
    def stddev(self) -> Tensor:
        return self.scale

    @property
    def variance(self) -> Tensor:
        return self.stddev.pow(2)


class Uniform(Distribution):
    """Uniform(low, high) on the half-open interval [low, high)."""

    arg_constraints = {"low": constraints.dependent, "high": constraints.dependent}
    has_rsample = True

    def __init__(self, low, high, validate_args=None) -> None:
        self.low, self.high = broadcast_params(low, high)
        super().__init__(tuple(self.low.shape), (), validate_args)
        if self._validate_args and not bool((self.low < self.high).all()):
            raise ValueError(
                f"Expected parameter low (Tensor of shape {tuple(self.low.shape)}) of "
                f"distribution {self!r} to satisfy the constraint LessThan(upper_bound=high), "
                f"but found invalid values:\n{self.low}"
            )

    def rsample(self, sample_shape=()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        u = _noise(shape, self.low, "uniform")
        return self.low + u * (self.high - self.low)

    def log_prob(self, value) -> Tensor:
        value = as_float_tensor(value, self.low)
        _check_support(self, value, constraints.interval(self.low, self.high),
                       "Interval(lower_bound=low, upper_bound=high)")
        inside = (self.low <= value) & (self.high > value)
        return ops.log(inside.to(self.low.dtype)) - (self.high - self.low).log()

    def entropy(self) -> Tensor:
        return (self.high - self.low).log()

    def cdf(self, value) -> Tensor:
        value = as_float_tensor(value, self.low)
        return ((value - self.low) / (self.high - self.low)).clamp(0, 1)

    def icdf(self, value) -> Tensor:
        return value * (self.high - self.low) + self.low

    @property
    def mean(self) -> Tensor:
        return (self.high + self.low) / 2

    @property
    def stddev(self) -> Tensor:
        return (self.high - self.low) / 12 ** 0.5

    @property
    def variance(self) -> Tensor:
        return (self.high - self.low).pow(2) / 12


class Bernoulli(Distribution):
    """Bernoulli(probs=p) or Bernoulli(logits=l): 1 with probability p = sigmoid(l)."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.boolean
    has_enumerate_support = True

    def __init__(self, probs=None, logits=None, validate_args=None) -> None:
        if (probs is None) == (logits is None):
            raise ValueError(
                "Either `probs` or `logits` must be specified, but not both."
            )
        if probs is not None:
            (self._probs,) = broadcast_params(probs)
            self._logits = None
            param = self._probs
        else:
            (self._logits,) = broadcast_params(logits)
            self._probs = None
            param = self._logits
        super().__init__(tuple(param.shape), (), validate_args)
        if probs is not None:
            _check_param(self, "probs", self._probs, constraints.unit_interval,
                         "Interval(lower_bound=0.0, upper_bound=1.0)")

    @property
    def probs(self) -> Tensor:
        if self._probs is None:
            self._probs = ops.sigmoid(self._logits)
        return self._probs

    @property
    def logits(self) -> Tensor:
        if self._logits is None:
            eps = float(np.finfo(self._probs._data.dtype).eps)
            p = self._probs.clamp(eps, 1 - eps)
            self._logits = p.log() - ops.log1p(-p)
        return self._logits

    @property
    def param_shape(self):
        return self.batch_shape

    def sample(self, sample_shape=()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        with no_grad():
            p = self.probs.expand(*shape) if shape else self.probs
            return _creation.bernoulli(p)

    def log_prob(self, value) -> Tensor:
        value = as_float_tensor(value, self.logits)
        _check_support(self, value, constraints.boolean, "Boolean()")
        logits = self.logits
        return value * logits - _softplus(logits)

    def entropy(self) -> Tensor:
        logits = self.logits
        return _softplus(logits) - self.probs * logits

    def enumerate_support(self, expand: bool = True) -> Tensor:
        values = Tensor._wrap(np.arange(2, dtype=self.logits._data.dtype))
        values = values.reshape(2, *([1] * len(self.batch_shape)))
        return values.expand(2, *self.batch_shape) if expand else values

    @property
    def mean(self) -> Tensor:
        return self.probs

    @property
    def mode(self) -> Tensor:
        return (self.probs >= 0.5).to(self.probs.dtype)

    @property
    def variance(self) -> Tensor:
        return self.probs * (1 - self.probs)


class Exponential(Distribution):
    """Exponential(rate): density r exp(-r x) on x >= 0."""

    arg_constraints = {"rate": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True

    def __init__(self, rate, validate_args=None) -> None:
        (self.rate,) = broadcast_params(rate)
        super().__init__(tuple(self.rate.shape), (), validate_args)
        _check_param(self, "rate", self.rate, constraints.positive,
                     "GreaterThan(lower_bound=0.0)")

    def rsample(self, sample_shape=()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        from .._random import _stream  # noqa: PLC0415

        # torch: rate.new(shape).exponential_() / rate (the same draws)
        draws = _stream(None).exponential(shape, 1.0, self.rate._data.dtype)
        return Tensor._wrap(draws) / self.rate

    def log_prob(self, value) -> Tensor:
        value = as_float_tensor(value, self.rate)
        return self.rate.log() - self.rate * value

    def entropy(self) -> Tensor:
        return 1.0 - self.rate.log()

    def cdf(self, value) -> Tensor:
        return 1 - ops.exp(-self.rate * value)

    @property
    def mean(self) -> Tensor:
        return self.rate.reciprocal()

    @property
    def variance(self) -> Tensor:
        return self.rate.pow(-2)


class Laplace(Distribution):
    """Laplace(loc, scale): density exp(-|x - loc| / scale) / (2 scale)."""

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, loc, scale, validate_args=None) -> None:
        self.loc, self.scale = broadcast_params(loc, scale)
        super().__init__(tuple(self.loc.shape), (), validate_args)
        _check_param(self, "scale", self.scale, constraints.positive,
                     "GreaterThan(lower_bound=0.0)")

    def rsample(self, sample_shape=()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        eps = float(np.finfo(self.loc._data.dtype).eps)
        from .._random import _stream  # noqa: PLC0415

        # torch: loc.new(shape).uniform_(eps - 1, 1) (the same draws)
        u = Tensor._wrap(_stream(None).uniform(shape, eps - 1, 1.0, self.loc._data.dtype))
        return self.loc - self.scale * u.sign() * ops.log1p(-u.abs())

    def log_prob(self, value) -> Tensor:
        value = as_float_tensor(value, self.loc)
        return -(2 * self.scale).log() - (value - self.loc).abs() / self.scale

    def entropy(self) -> Tensor:
        return 1 + (2 * self.scale).log()

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def variance(self) -> Tensor:
        return 2 * self.scale.pow(2)
