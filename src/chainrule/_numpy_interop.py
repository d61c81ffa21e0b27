"""NumPy calling into tensors: ``Tensor.__array_ufunc__``.

Binary operator ufuncs with a tensor operand (``ndarray + Tensor``, ``np.multiply(a, t)``)
run chainrule's op, so results follow torch's promotion and stay differentiable. Any other
ufunc call (``np.exp(t)``, ``np.maximum(t, 0)``) converts the tensors with ``__array__`` (which
refuses tensors that require grad, as torch does) and wraps an array result as a Tensor, as
torch's ``__array_wrap__`` does.
"""

from __future__ import annotations

import numpy as np

__all__ = ["array_ufunc"]

_OPERATORS: dict | None = None


def _operators() -> dict:
    global _OPERATORS
    if _OPERATORS is None:
        from . import ops

        _OPERATORS = {
            np.add: ops.add, np.subtract: ops.sub, np.multiply: ops.mul,
            np.true_divide: ops.div, np.floor_divide: ops.floor_divide,
            np.remainder: ops.remainder, np.power: ops.pow, np.matmul: ops.matmul,
            np.less: ops.lt, np.less_equal: ops.le, np.greater: ops.gt,
            np.greater_equal: ops.ge, np.equal: ops.eq, np.not_equal: ops.ne,
        }
    return _OPERATORS


def array_ufunc(tensor, ufunc, method: str, inputs: tuple, kwargs: dict):
    from ._tensor import Tensor

    if method == "__call__" and not kwargs and len(inputs) == 2:
        op = _operators().get(ufunc)
        if op is not None:
            a, b = inputs
            if isinstance(a, np.ndarray) and not isinstance(b, np.ndarray):
                a = Tensor._wrap(a)
            if isinstance(b, np.ndarray) and not isinstance(a, np.ndarray):
                b = Tensor._wrap(b)
            return op(a, b)
    if "out" in kwargs:
        return NotImplemented
    arrays = [np.asarray(x) if isinstance(x, Tensor) else x for x in inputs]
    result = getattr(ufunc, method)(*arrays, **kwargs)
    if isinstance(result, tuple):
        return tuple(Tensor._wrap(r) if isinstance(r, np.ndarray) else r for r in result)
    if isinstance(result, np.ndarray):
        return Tensor._wrap(result)
    if isinstance(result, np.generic):
        return Tensor._wrap(np.asarray(result))
    return result


# torch accepts NumPy's argument names on these functions: x.sum(axis=1, keepdims=True)
AXIS_ALIASED = (
    "sum", "mean", "argmax", "argmin", "max", "min", "amax", "amin", "std", "var", "prod",
    "cumsum", "cumprod", "all", "any", "logsumexp", "softmax", "log_softmax", "squeeze",
    "unsqueeze", "median", "nansum", "nanmean", "count_nonzero", "sort", "argsort", "topk",
    "unbind", "cat", "concat", "concatenate", "stack",
)


def _with_numpy_names(fn):
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if kwargs:
            if "axis" in kwargs:
                kwargs["dim"] = kwargs.pop("axis")
            if "keepdims" in kwargs:
                kwargs["keepdim"] = kwargs.pop("keepdims")
        return fn(*args, **kwargs)

    wrapper._numpy_names = True
    return wrapper


def install_axis_aliases(namespace: dict) -> None:
    """Wraps the functions named in AXIS_ALIASED in ``namespace`` (the ops module's globals)."""
    for name in AXIS_ALIASED:
        fn = namespace.get(name)
        if fn is not None and not getattr(fn, "_numpy_names", False):
            namespace[name] = _with_numpy_names(fn)
