"""The ``Distribution`` base class and ``Independent``."""

from __future__ import annotations

import numpy as np

from .._tensor import Size, Tensor
from ..autograd.grad_mode import no_grad

__all__ = ["Distribution", "Independent"]

_validate_default = True  # torch validates by default (__debug__)


class Distribution:
    """Base class: shapes, ``sample`` via ``rsample`` under no_grad, and derived moments.

    Subclasses set ``batch_shape``/``event_shape`` and implement ``rsample`` or ``sample``,
    ``log_prob``, ``entropy``, ``mean`` and ``variance``.
    """

    has_rsample = False
    has_enumerate_support = False
    arg_constraints: dict = {}
    support = None

    def __init__(self, batch_shape=(), event_shape=(), validate_args=None) -> None:
        self._batch_shape = Size(batch_shape)
        self._event_shape = Size(event_shape)
        self._validate_args = _validate_default if validate_args is None else validate_args

    @staticmethod
    def set_default_validate_args(value: bool) -> None:
        global _validate_default
        _validate_default = bool(value)

    @property
    def batch_shape(self) -> Size:
        return self._batch_shape

    @property
    def event_shape(self) -> Size:
        return self._event_shape

    def _extended_shape(self, sample_shape=()) -> tuple:
        if isinstance(sample_shape, int):
            sample_shape = (sample_shape,)
        return tuple(sample_shape) + tuple(self._batch_shape) + tuple(self._event_shape)

    def sample(self, sample_shape=()) -> Tensor:
        """A sample of shape ``sample_shape + batch_shape + event_shape``, outside the graph."""
        with no_grad():
            return self.rsample(sample_shape)

    def sample_n(self, n: int) -> Tensor:
        return self.sample((n,))

    def rsample(self, sample_shape=()) -> Tensor:
        raise NotImplementedError(
            f"{type(self).__name__} has no rsample (it is not reparameterizable); use sample()"
        )

    def log_prob(self, value: Tensor) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__}.log_prob is not implemented")

    def entropy(self) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__}.entropy is not implemented")

    def cdf(self, value: Tensor) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__}.cdf is not implemented")

    def icdf(self, value: Tensor) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__}.icdf is not implemented")

    def perplexity(self) -> Tensor:
        return self.entropy().exp()

    @property
    def mean(self) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__}.mean is not implemented")

    @property
    def mode(self) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__}.mode is not implemented")

    @property
    def variance(self) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__}.variance is not implemented")

    @property
    def stddev(self) -> Tensor:
        return self.variance.sqrt()

    def _param_repr(self) -> str:
        names = [k for k in self.arg_constraints if k in self.__dict__]
        parts = []
        for k in names:
            v = self.__dict__[k]
            parts.append(f"{k}: {v if v.numel() == 1 else v.size()}")
        return ", ".join(parts)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._param_repr()})"


class Independent(Distribution):
    """Treats the last ``reinterpreted_batch_ndims`` batch dims as event dims (log_prob and
    entropy sum over them)."""

    def __init__(self, base_distribution: Distribution, reinterpreted_batch_ndims: int,
                 validate_args=None) -> None:
        n = int(reinterpreted_batch_ndims)
        shape = tuple(base_distribution.batch_shape) + tuple(base_distribution.event_shape)
        split = len(base_distribution.batch_shape) - n
        super().__init__(shape[:split], shape[split:], validate_args)
        self.base_dist = base_distribution
        self.reinterpreted_batch_ndims = n
        self.has_rsample = base_distribution.has_rsample

    def _sum(self, x: Tensor) -> Tensor:
        for _ in range(self.reinterpreted_batch_ndims):
            x = x.sum(-1)
        return x

    def sample(self, sample_shape=()) -> Tensor:
        return self.base_dist.sample(sample_shape)

    def rsample(self, sample_shape=()) -> Tensor:
        return self.base_dist.rsample(sample_shape)

    def log_prob(self, value: Tensor) -> Tensor:
        return self._sum(self.base_dist.log_prob(value))

    def entropy(self) -> Tensor:
        return self._sum(self.base_dist.entropy())

    @property
    def mean(self) -> Tensor:
        return self.base_dist.mean

    @property
    def variance(self) -> Tensor:
        return self.base_dist.variance


def as_float_tensor(value, like: Tensor | None = None) -> Tensor:
    """Parameters: tensors pass through; numbers become tensors of the default float dtype."""
    if isinstance(value, Tensor):
        if value._data.dtype.kind not in "fc":
            from .. import _dtypes

            return value.to(_dtypes.get_default_dtype())
        return value
    from .. import _dtypes

    dtype = like._data.dtype if like is not None else _dtypes.get_default_dtype().np
    return Tensor._wrap(np.asarray(value, dtype=dtype))


def broadcast_params(*values) -> list[Tensor]:
    """Broadcasts parameters to one shape (tensor dtypes win over numbers)."""
    ref = next((v for v in values if isinstance(v, Tensor)), None)
    tensors = [as_float_tensor(v, ref) for v in values]
    shape = np.broadcast_shapes(*[tuple(t.shape) for t in tensors])
    return [t if tuple(t.shape) == shape else t.expand(*shape) for t in tensors]
