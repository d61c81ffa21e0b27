"""The Tensor: an array, its gradient and its place in the graph. No derivative math here.

A Tensor holds a NumPy (or CuPy) array in ``_data``; ``grad_fn`` is the graph node that made it
(``None`` for leaves); ``_vc`` is a version counter shared with its views, bumped by every
in-place change so that backward can refuse stale saved values. Operators and methods
delegate to ``chainrule.ops`` (attached in ``_tensor_methods``).
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from . import _dtypes
from ._backend import device_of, parse_device, to_device_array
from ._dtypes import dtype as _dtype_cls
from ._size import Size
from ._tensor_conversion import ConversionMixin
from .autograd import function as _function
from .autograd.grad_mode import STATE as _GRAD

__all__ = ["Tensor"]

_new = object.__new__
ops: Any = None  # chainrule.ops, set at import end (ops import this module)


class Tensor(ConversionMixin):
    """A multi-dimensional array that records the ops applied to it for backpropagation.

    Attributes:
        data: the same values as a Tensor that does not require grad (shares memory).
        grad: the accumulated gradient of a leaf after ``backward()`` (same shape and dtype).
        requires_grad: whether ops on this tensor are recorded.
        grad_fn: the node that created this tensor, ``None`` for leaves.
    """

    __slots__ = (
        "_data",
        "_rg",
        "grad_fn",
        "_grad",
        "_output_nr",
        "_vc",
        "_hooks",
        "_retains",
        "_base",
        "_view_fn",  # views only (unset elsewhere): the ops that made it from _base
        "__weakref__",
    )
    __array_priority__ = 1000

    # __array_ufunc__ (NumPy ufuncs on tensors, torch's dtype rules) is bound by
    # _tensor_methods from _numpy_interop: it dispatches to ops, a layer above this one.
    is_sparse = False
    is_quantized = False
    is_meta = False
    layout = "torch.strided"

    def __init__(self, *args, dtype=None, device=None, requires_grad: bool = False) -> None:
        # Legacy constructor: torch.Tensor([[1, 2]]) is float32; torch.Tensor(2, 3) is a shape.
        np_dtype = _dtypes.to_numpy_dtype(dtype) if dtype is not None else _dtypes._default_float.np
        if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
            src = args[0]
            if isinstance(src, Tensor):
                data = src._data.astype(np_dtype, copy=False)
            else:
                data = np.array(_to_nested(src), dtype=np_dtype)
        else:
            if any(not isinstance(a, (int, np.integer)) for a in args):
                raise TypeError(f"Tensor() expects sizes or data, got {args!r}")
            data = np.zeros(tuple(int(a) for a in args), dtype=np_dtype)
        if device is not None:
            data = to_device_array(data, parse_device(device))
        _init(self, data, False, None)
        if requires_grad:
            self.requires_grad = True

    # -- core state ---------------------------------------------------------------------------
    @property
    def data(self) -> Tensor:
        """The same array as a Tensor outside the graph (its in-place changes are not tracked)."""
        return _make(self._data, False, None)

    @data.setter
    def data(self, value: Tensor) -> None:
        if not isinstance(value, Tensor):
            raise TypeError(f"data must be a Tensor, got {type(value).__name__}")
        self._data = value._data

    @property
    def requires_grad(self) -> bool:
        return self._rg

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        value = bool(value)
        if self.grad_fn is not None and not value:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use "
                "a computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach()."
            )
        if value and self._data.dtype.kind not in "fc":
            raise RuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients "
                f"(got dtype {self.dtype}); create the tensor with float data, e.g. "
                "torch.tensor([[1., 2.]]) or x.float()"
            )
        self._rg = value

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        self.requires_grad = requires_grad
        return self

    @property
    def grad(self) -> Tensor | None:
        g = self._grad
        if g is None and self.grad_fn is not None and not self._retains:
            _warn_non_leaf_grad()
        return g

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got {value!r}")
            if value._data.shape != self._data.shape:
                raise RuntimeError(
                    f"assigned grad has data of a different size: grad shape "
                    f"{list(value.shape)}, tensor shape {list(self.shape)}"
                )
            if value._data.dtype != self._data.dtype:
                raise RuntimeError(
                    f"assigned grad has data of a different type: grad {value.dtype}, "
                    f"tensor {self.dtype}"
                )
        self._grad = value

    @grad.deleter
    def grad(self) -> None:
        self._grad = None

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def output_nr(self) -> int:
        return self._output_nr

    @property
    def _version(self) -> int:
        return self._vc[0]

    def retain_grad(self) -> None:
        """Keeps this non-leaf tensor's gradient in ``.grad`` after backward."""
        if not self._rg:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        fn = self.grad_fn
        if fn is None or self._retains:
            return
        if fn.retained is None:
            fn.retained = {}
        fn.retained[self._output_nr] = weakref.ref(self)
        self._retains = True

    @property
    def retains_grad(self) -> bool:
        return self._retains

    def register_hook(self, hook):
        """``hook(grad) -> Tensor | None`` runs when this tensor's gradient is computed."""
        if not self._rg:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        fn = self.grad_fn
        if fn is not None:
            return fn._add_pre_hook(self._output_nr, hook)
        if self._hooks is None:
            self._hooks = {}
        handle = _function._RemovableHandle(self._hooks, None)
        self._hooks[handle.id] = hook
        handle._item = handle.id
        return handle

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None) -> None:
        """Accumulates d(self)/d(leaf) into every leaf's ``.grad`` (chain rule, output to input).

        ``gradient`` is the upstream gradient dL/d(self); it may be omitted only when ``self``
        holds one element.
        """
        _autograd_backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self) -> Tensor:
        """A tensor sharing this one's data and version counter, outside the graph."""
        t = _make(self._data, False, None)
        t._vc = self._vc
        t._base = self if self._base is None else self._base
        return t

    def detach_(self) -> Tensor:
        self.grad_fn = None
        self._rg = False
        return self

    # -- metadata -----------------------------------------------------------------------------
    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim: int | None = None):
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_wrap_dim(dim, self._data.ndim)]

    @property
    def dtype(self) -> _dtype_cls:
        return _dtypes._FROM_NUMPY[self._data.dtype]

    @property
    def device(self):
        return device_of(self._data)

    @property
    def is_cuda(self) -> bool:
        return self.device.type == "cuda"

    @property
    def is_cpu(self) -> bool:
        return self.device.type == "cpu"

    def get_device(self) -> int:
        return -1 if self.device.type == "cpu" else 0

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def dim(self) -> int:
        return self._data.ndim

    ndimension = dim

    def numel(self) -> int:
        return self._data.size

    nelement = numel

    def element_size(self) -> int:
        return self._data.itemsize

    @property
    def itemsize(self) -> int:
        return self._data.itemsize

    @property
    def nbytes(self) -> int:
        return self._data.nbytes

    def stride(self, dim: int | None = None):
        strides = tuple(s // self._data.itemsize for s in self._data.strides)
        return strides if dim is None else strides[_wrap_dim(dim, self._data.ndim)]

    def is_contiguous(self, memory_format=None) -> bool:
        return bool(self._data.flags["C_CONTIGUOUS"])

    def is_floating_point(self) -> bool:
        return self._data.dtype.kind == "f"

    def is_complex(self) -> bool:
        return self._data.dtype.kind == "c"

    def data_ptr(self) -> int:
        return int(self._data.__array_interface__["data"][0]) if self.is_cpu else 0

    # -- Python protocols ---------------------------------------------------------------------
    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(ops.unbind(self, 0))

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError(
                f"Boolean value of Tensor with more than one value is ambiguous "
                f"(shape {list(self.shape)})"
            )
        return bool(self._data.reshape(()))

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __complex__(self) -> complex:
        return complex(self.item())

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0 or (spec and self._data.size == 1):
            return format(self.item(), spec)
        return format(repr(self), spec) if spec else repr(self)

    def __repr__(self) -> str:
        from ._printing import tensor_repr  # noqa: PLC0415

        return tensor_repr(self)

    def __str__(self) -> str:
        return self.__repr__()

    __hash__ = object.__hash__

    def __reduce_ex__(self, protocol):
        return (_rebuild, (self._data if self.is_cpu else np.asarray(self.__array__()), self._rg))

    def __deepcopy__(self, memo):
        if self.grad_fn is not None:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the "
                "deepcopy protocol at the moment. If you were attempting to deepcopy a module, "
                "this may be because of a torch.nn.utils.weight_norm usage"
            )
        new = type(self).__new__(type(self))
        _init(new, self._data.copy(), self._rg, None)
        if self._grad is not None:
            new._grad = self._grad.__deepcopy__(memo)
        memo[id(self)] = new
        return new

    def __copy__(self):
        return self.__deepcopy__({})

    def __dir__(self):
        return sorted(set(super().__dir__()))


def _warn_non_leaf_grad() -> None:
    import warnings  # noqa: PLC0415

    warnings.warn(
        "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
        "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
        "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf "
        "Tensor. If you access the non-leaf Tensor by mistake, make sure you access the leaf "
        "Tensor instead.",
        UserWarning,
        stacklevel=3,
    )


def _rebuild(data, requires_grad):
    return _make(np.array(data), bool(requires_grad), None)


def _init(t: Tensor, data, rg: bool, grad_fn, output_nr: int = 0) -> None:
    t._data = data
    t._rg = rg
    t.grad_fn = grad_fn
    t._grad = None
    t._output_nr = output_nr
    t._vc = [0]
    t._hooks = None
    t._retains = False
    t._base = None


def _make(data, rg: bool, grad_fn, output_nr: int = 0) -> Tensor:
    """Wraps an array without copying (the hot path behind every op)."""
    t = _new(Tensor)
    t._data = data
    t._rg = rg
    t.grad_fn = grad_fn
    t._grad = None
    t._output_nr = output_nr
    t._vc = [0]
    t._hooks = None
    t._retains = False
    t._base = None
    return t


def _make_view(data, base: Tensor, rg: bool, grad_fn) -> Tensor:
    """A tensor whose array is a view of ``base``'s: shares its version counter."""
    t = _make(data, rg, grad_fn)
    t._vc = base._vc
    t._base = base
    return t


def _wrap_dim(dim: int, ndim: int) -> int:
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})"
        )
    return dim % n


def _to_nested(src):
    """Lists of tensors/arrays/numbers -> something np.array accepts."""
    if isinstance(src, Tensor):
        return src._data
    if isinstance(src, (list, tuple)):
        return [_to_nested(s) for s in src]
    return src


def _autograd_backward(*args, **kwargs):
    global _autograd_backward
    from .autograd import backward  # noqa: PLC0415

    _autograd_backward = backward
    return backward(*args, **kwargs)


_function.Tensor = Tensor
_function._make = _make
_GRAD_STATE = _GRAD


def _wrap_constant(data) -> Tensor:
    if isinstance(data, np.generic):  # NumPy returns scalars from 0-d computations
        data = np.asarray(data)
    return _make(data, False, None)


Tensor._wrap = staticmethod(_wrap_constant)  # type: ignore[attr-defined]
