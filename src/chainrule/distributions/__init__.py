"""``torch.distributions``: probability distributions with differentiable ``log_prob``.

``rsample`` (reparameterized: gradients flow to the parameters) exists where torch has it
(Normal, Uniform, MultivariateNormal, Exponential, Laplace); ``sample`` never records a graph.
Samples come from chainrule's generator (``torch.manual_seed`` seeds them) with torch's draws:
Normal, Uniform, Bernoulli, Categorical, Exponential, Laplace and MultivariateNormal samples
equal torch's for a seed.
"""

from __future__ import annotations

from . import constraints
from .categorical import Categorical, OneHotCategorical
from .distribution import Distribution, Independent
from .kl import kl_divergence, register_kl
from .multivariate_normal import MultivariateNormal
from .univariate import Bernoulli, Exponential, Laplace, Normal, Uniform

__all__ = [
    "Bernoulli",
    "Categorical",
    "Distribution",
    "Exponential",
    "Independent",
    "Laplace",
    "MultivariateNormal",
    "Normal",
    "OneHotCategorical",
    "Uniform",
    "constraints",
    "kl_divergence",
    "register_kl",
]
