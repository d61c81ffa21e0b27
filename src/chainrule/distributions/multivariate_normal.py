"""MultivariateNormal(loc, covariance_matrix | precision_matrix | scale_tril).

With the Cholesky factor L (Sigma = L L^T):
  x = mu + L eps;   log p(x) = -k/2 log(2 pi) - sum log diag L - |L^-1 (x - mu)|^2 / 2;
  entropy = k/2 (1 + log 2 pi) + sum log diag L.
"""

from __future__ import annotations

import math

from .. import _creation, linalg
from .._tensor import Tensor
from . import constraints
from .distribution import Distribution, as_float_tensor

__all__ = ["MultivariateNormal"]


class MultivariateNormal(Distribution):
    arg_constraints = {"loc": constraints.real_vector,
                       "covariance_matrix": constraints.positive_definite,
                       "precision_matrix": constraints.positive_definite,
                       "scale_tril": constraints.lower_cholesky}
    support = constraints.real_vector
    has_rsample = True

    def __init__(self, loc, covariance_matrix=None, precision_matrix=None, scale_tril=None,
                 validate_args=None) -> None:
        given = [m is not None for m in (covariance_matrix, precision_matrix, scale_tril)]
        if sum(given) != 1:
            raise ValueError(
                "Exactly one of covariance_matrix or precision_matrix or scale_tril may be "
                "specified."
            )
        loc = as_float_tensor(loc)
        if loc.ndim < 1:
            raise ValueError("loc must be at least one-dimensional.")
        if scale_tril is not None:
            tril = as_float_tensor(scale_tril, loc)
        elif covariance_matrix is not None:
            tril = linalg.cholesky(as_float_tensor(covariance_matrix, loc))
        else:
            tril = linalg.cholesky(linalg.inv(as_float_tensor(precision_matrix, loc)))
        batch = tuple(_broadcast(tuple(tril.shape[:-2]), tuple(loc.shape[:-1])))
        k = loc.shape[-1]
        self.loc = loc.expand(*batch, k) if tuple(loc.shape) != batch + (k,) else loc
        self._unbroadcasted_scale_tril = tril
        super().__init__(batch, (k,), validate_args)

    @property
    def scale_tril(self) -> Tensor:
        return self._unbroadcasted_scale_tril.expand(*self.batch_shape, *self.event_shape,
                                                     self.event_shape[0])

    @property
    def covariance_matrix(self) -> Tensor:
        L = self._unbroadcasted_scale_tril
        return (L @ L.transpose(-2, -1)).expand(*self.batch_shape, *self.event_shape,
                                                self.event_shape[0])

    @property
    def precision_matrix(self) -> Tensor:
        return linalg.inv(self.covariance_matrix)

    def rsample(self, sample_shape=()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        eps = _creation.randn(*shape, dtype=self.loc.dtype)
        return self.loc + (self._unbroadcasted_scale_tril @ eps.unsqueeze(-1)).squeeze(-1)

    def _half_log_det(self) -> Tensor:
        return self._unbroadcasted_scale_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)

    def log_prob(self, value) -> Tensor:
        value = as_float_tensor(value, self.loc)
        diff = value - self.loc
        L = self._unbroadcasted_scale_tril
        batch = _broadcast(tuple(L.shape[:-2]), tuple(diff.shape[:-1]))
        Lb = L.expand(*batch, *L.shape[-2:]) if tuple(L.shape[:-2]) != tuple(batch) else L
        z = linalg.solve_triangular(Lb, diff.unsqueeze(-1), upper=False).squeeze(-1)
        k = self.event_shape[0]
        return -0.5 * (k * math.log(2 * math.pi) + (z * z).sum(-1)) - self._half_log_det()

    def entropy(self) -> Tensor:
        k = self.event_shape[0]
        h = 0.5 * k * (1.0 + math.log(2 * math.pi)) + self._half_log_det()
        return h.expand(*self.batch_shape) if self.batch_shape else h

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def mode(self) -> Tensor:
        return self.loc

    @property
    def variance(self) -> Tensor:
        L = self._unbroadcasted_scale_tril
        return (L * L).sum(-1).expand(*self.batch_shape, *self.event_shape)

    def __repr__(self) -> str:
        return f"MultivariateNormal(loc: {self.loc.size()}, covariance_matrix: " \
               f"{self.covariance_matrix.size()})"


def _broadcast(a: tuple, b: tuple) -> tuple:
    import numpy as np

    return tuple(np.broadcast_shapes(a, b))
