"""``Parameter`` and ``Buffer``: tensors that a Module registers when they are assigned to it.

A Parameter is a leaf Tensor with ``requires_grad=True`` by default; assigning one as a Module
attribute adds it to ``module.parameters()`` (and so to the optimizer and the state dict). A
Buffer is module state that is not trained (BatchNorm's running statistics); assigning one
registers it as a buffer, persistent (in the state dict) unless ``persistent=False``.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor, _init

__all__ = ["Buffer", "Parameter", "UninitializedParameter", "is_lazy"]


def _source_array(data):
    if data is None:
        return np.zeros((0,), dtype=_default_np())
    if isinstance(data, Tensor):
        return data._data
    if isinstance(data, np.ndarray):
        return data
    raise TypeError(
        f"Parameter data must be a Tensor, got {type(data).__name__} (wrap it with "
        "torch.tensor(...) first)"
    )


def _default_np():
    from .. import _dtypes

    return _dtypes._default_float.np


class Parameter(Tensor):
    """A Tensor that is a module parameter: registered when assigned to a Module attribute.

    ``Parameter(data)`` shares ``data``'s memory (no copy) and is a graph leaf; it requires grad
    unless ``requires_grad=False`` (even inside ``no_grad()``, as in torch). Only floating
    tensors can require grad.

    Example::

        >>> import chainrule as torch
        >>> p = torch.nn.Parameter(torch.zeros(2))
        >>> p
        Parameter containing:
        tensor([0., 0.], requires_grad=True)
    """

    def __new__(cls, data=None, requires_grad: bool = True):
        t = Tensor.__new__(cls)
        array = _source_array(data)
        _init(t, array, False, None)
        if isinstance(data, Tensor):
            t._vc = data._vc  # same storage, same version counter (torch's _make_subclass)
        if requires_grad:
            t.requires_grad = True  # the setter rejects integer data with torch's message
        return t

    def __init__(self, data=None, requires_grad: bool = True) -> None:
        pass  # all set in __new__ (Tensor.__init__ would rebuild the data)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(Tensor._wrap(self._data.copy()), self._rg)
        if self._grad is not None:
            result._grad = self._grad.__deepcopy__(memo)
        memo[id(self)] = result
        return result

    def __reduce_ex__(self, protocol):
        data = self._data if self.is_cpu else np.asarray(self.detach().cpu()._data)
        return (_rebuild_parameter, (type(self), data, self._rg))


def _rebuild_parameter(cls, data, requires_grad):
    return cls(Tensor._wrap(np.array(data)), requires_grad)


class Buffer(Tensor):
    """A Tensor that is module state but not a parameter (e.g. running statistics).

    Assigning ``module.name = Buffer(t)`` registers ``t`` as a buffer, as
    ``module.register_buffer(name, t, persistent)`` does; the module stores a plain Tensor.
    """

    def __new__(cls, data=None, *, persistent: bool = True):
        t = Tensor.__new__(cls)
        array = _source_array(data)
        rg = bool(data._rg) if isinstance(data, Tensor) else False
        _init(t, array, rg, None)
        if isinstance(data, Tensor):
            t._vc = data._vc
        t.persistent = persistent
        return t

    def __init__(self, data=None, *, persistent: bool = True) -> None:
        pass


class UninitializedParameter(Parameter):
    """Placeholder for lazy modules; chainrule has no lazy modules yet."""

    def __new__(cls, requires_grad: bool = True, device=None, dtype=None):
        raise NotImplementedError(
            "UninitializedParameter (lazy modules) is not supported by chainrule; give the "
            "layer its input size explicitly"
        )


def is_lazy(param) -> bool:
    """Whether ``param`` is an uninitialized (lazy) parameter: never, in chainrule."""
    return isinstance(param, UninitializedParameter)
