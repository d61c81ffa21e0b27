"""Constraint objects (``constraints.positive`` ...) with ``check(value)`` as in torch."""

from __future__ import annotations

__all__ = [
    "Constraint",
    "boolean",
    "dependent",
    "greater_than",
    "half_open_interval",
    "independent",
    "integer_interval",
    "interval",
    "lower_cholesky",
    "nonnegative",
    "nonnegative_integer",
    "positive",
    "positive_definite",
    "real",
    "real_vector",
    "simplex",
    "unit_interval",
]


class Constraint:
    is_discrete = False
    event_dim = 0

    def __init__(self, check=None, name: str = "Constraint") -> None:
        self._check = check
        self._name = name

    def check(self, value):
        return self._check(value)

    def __repr__(self) -> str:
        return self._name + "()"


real = Constraint(lambda v: v == v, "Real")
positive = Constraint(lambda v: v > 0, "GreaterThan")
nonnegative = Constraint(lambda v: v >= 0, "GreaterThanEq")
unit_interval = Constraint(lambda v: (v >= 0) & (v <= 1), "Interval")
boolean = Constraint(lambda v: (v == 0) | (v == 1), "Boolean")
boolean.is_discrete = True
nonnegative_integer = Constraint(lambda v: (v >= 0) & (v == v.floor()), "IntegerGreaterThan")
nonnegative_integer.is_discrete = True
simplex = Constraint(lambda v: (v >= 0).all(-1) & ((v.sum(-1) - 1).abs() < 1e-6), "Simplex")
simplex.event_dim = 1
real_vector = Constraint(lambda v: (v == v).all(-1), "IndependentConstraint")
real_vector.event_dim = 1
positive_definite = Constraint(
    lambda v: (v == v.transpose(-2, -1)).all(-1).all(-1), "PositiveDefinite")
positive_definite.event_dim = 2
lower_cholesky = Constraint(lambda v: (v.tril() == v).all(-1).all(-1), "LowerCholesky")
lower_cholesky.event_dim = 2
dependent = Constraint(lambda v: v == v, "Dependent")


def interval(low, high) -> Constraint:
    return Constraint(lambda v: (v >= low) & (v <= high), "Interval")


def half_open_interval(low, high) -> Constraint:
    return Constraint(lambda v: (v >= low) & (v < high), "HalfOpenInterval")


def greater_than(lower_bound) -> Constraint:
    return Constraint(lambda v: v > lower_bound, "GreaterThan")


def integer_interval(low, high) -> Constraint:
    c = Constraint(lambda v: (v >= low) & (v <= high) & (v == v.floor()), "IntegerInterval")
    c.is_discrete = True
    return c


def independent(base: Constraint, reinterpreted_batch_ndims: int) -> Constraint:
    def check(v):
        out = base.check(v)
        for _ in range(reinterpreted_batch_ndims):
            out = out.all(-1)
        return out

    c = Constraint(check, "IndependentConstraint")
    c.event_dim = base.event_dim + reinterpreted_batch_ndims
    return c
