"""Collation: turning a list of samples into a batch (``default_collate``) and converting a
single sample's arrays to tensors (``default_convert``), with torch's exact rules.

``default_collate`` maps, by the type of the first sample:

==========================  ========================================================
Tensor                      stacked along a new dim 0 (one ``np.stack`` of the arrays)
NumPy array                 stacked into a tensor (string/object arrays: TypeError)
NumPy scalar                a 1-d tensor of that dtype
float / int / bool          float64 / int64 / bool tensor
str / bytes                 the list unchanged
Mapping                     the same mapping type, each key collated
namedtuple                  the same namedtuple, each field collated
tuple / list (Sequence)     transposed, each position collated (a tuple becomes a list)
==========================  ========================================================
"""

from __future__ import annotations

import collections
import copy
import re
from collections.abc import Callable

import numpy as np

from ... import _dtypes
from ..._backend import array_module
from ..._tensor import Tensor, _make
from ...autograd.grad_mode import STATE as _GRAD_STATE

__all__ = ["collate", "default_collate", "default_collate_fn_map", "default_convert"]

np_str_obj_array_pattern = re.compile(r"[SaUO]")

default_collate_err_msg_format = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
    "found {}"
)


def _as_tensor(array) -> Tensor:
    _dtypes.from_numpy_dtype(array.dtype)  # raises torch's TypeError for unsupported dtypes
    return _make(array, False, None)


def default_convert(data):
    """Converts NumPy arrays/scalars inside ``data`` to tensors, keeping the structure (the
    collate function when automatic batching is off, ``batch_size=None``)."""
    elem_type = type(data)
    if isinstance(data, Tensor):
        return data
    if elem_type.__module__ == "numpy" and elem_type.__name__ not in ("str_", "string_"):
        if (elem_type.__name__ == "ndarray"
                and np_str_obj_array_pattern.search(data.dtype.str) is not None):
            return data
        return _as_tensor(np.asarray(data))
    if isinstance(data, collections.abc.Mapping):
        try:
            if isinstance(data, collections.abc.MutableMapping):
                clone = copy.copy(data)
                clone.update({key: default_convert(data[key]) for key in data})
                return clone
            return elem_type({key: default_convert(data[key]) for key in data})
        except TypeError:
            return {key: default_convert(data[key]) for key in data}
    if isinstance(data, tuple) and hasattr(data, "_fields"):  # namedtuple
        return elem_type(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        try:
            if isinstance(data, collections.abc.MutableSequence):
                clone = copy.copy(data)
                for i, d in enumerate(data):
                    clone[i] = default_convert(d)
                return clone
            return elem_type([default_convert(d) for d in data])
        except TypeError:
            return [default_convert(d) for d in data]
    return data


def collate(batch, *, collate_fn_map: dict | None = None):
    """Collates ``batch`` recursively; ``collate_fn_map`` maps element types to functions
    ``fn(batch, *, collate_fn_map)`` and is checked first (exact type, then isinstance)."""
    elem = batch[0]
    elem_type = type(elem)
    if collate_fn_map is not None:
        if elem_type in collate_fn_map:
            return collate_fn_map[elem_type](batch, collate_fn_map=collate_fn_map)
        for collate_type in collate_fn_map:
            if isinstance(elem, collate_type):
                return collate_fn_map[collate_type](batch, collate_fn_map=collate_fn_map)
    if isinstance(elem, collections.abc.Mapping):
        try:
            if isinstance(elem, collections.abc.MutableMapping):
                clone = copy.copy(elem)
                clone.update({key: collate([d[key] for d in batch], collate_fn_map=collate_fn_map)
                              for key in elem})
                return clone
            return elem_type({key: collate([d[key] for d in batch], collate_fn_map=collate_fn_map)
                              for key in elem})
        except TypeError:
            return {key: collate([d[key] for d in batch], collate_fn_map=collate_fn_map)
                    for key in elem}
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return elem_type(*(collate(samples, collate_fn_map=collate_fn_map)
                           for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        it = iter(batch)
        elem_size = len(next(it))
        if not all(len(e) == elem_size for e in it):
            raise RuntimeError("each element in list of batch should be of equal size")
        transposed = list(zip(*batch))
        if isinstance(elem, tuple):
            return [collate(samples, collate_fn_map=collate_fn_map) for samples in transposed]
        try:
            if isinstance(elem, collections.abc.MutableSequence):
                clone = copy.copy(elem)
                for i, samples in enumerate(transposed):
                    clone[i] = collate(samples, collate_fn_map=collate_fn_map)
                return clone
            return elem_type([collate(samples, collate_fn_map=collate_fn_map)
                              for samples in transposed])
        except TypeError:
            return [collate(samples, collate_fn_map=collate_fn_map) for samples in transposed]
    raise TypeError(default_collate_err_msg_format.format(elem_type))


def _stack_error(shapes: list[tuple]) -> RuntimeError:
    first = shapes[0]
    for i, shape in enumerate(shapes):
        if shape != first:
            return RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(first)} at entry 0 "
                f"and {list(shape)} at entry {i}"
            )
    return RuntimeError("stack expects each tensor to be equal size")


def collate_tensor_fn(batch, *, collate_fn_map: dict | None = None) -> Tensor:
    """One ``stack`` of the raw arrays (no per-sample graph nodes unless a sample requires
    grad while grad mode is on, in which case the differentiable stack runs)."""
    if _GRAD_STATE.enabled and any(t._rg for t in batch):
        from ...ops import stack

        return stack(list(batch), 0)
    arrays = [t._data for t in batch]
    try:
        return _make(array_module(arrays[0]).stack(arrays, 0), False, None)
    except ValueError:
        raise _stack_error([a.shape for a in arrays]) from None


def collate_numpy_array_fn(batch, *, collate_fn_map: dict | None = None) -> Tensor:
    elem = batch[0]
    if np_str_obj_array_pattern.search(elem.dtype.str) is not None:
        raise TypeError(default_collate_err_msg_format.format(elem.dtype))
    try:
        return _as_tensor(np.stack(batch, 0))
    except ValueError:
        raise _stack_error([a.shape for a in batch]) from None


def collate_numpy_scalar_fn(batch, *, collate_fn_map: dict | None = None) -> Tensor:
    return _as_tensor(np.array(batch))


def collate_float_fn(batch, *, collate_fn_map: dict | None = None) -> Tensor:
    return _make(np.array(batch, dtype=np.float64), False, None)


def collate_int_fn(batch, *, collate_fn_map: dict | None = None) -> Tensor:
    from ..._creation import tensor

    return tensor(batch)


def collate_str_fn(batch, *, collate_fn_map: dict | None = None):
    return batch


default_collate_fn_map: dict[type | tuple[type, ...], Callable] = {
    Tensor: collate_tensor_fn,
    np.ndarray: collate_numpy_array_fn,
    (np.bool_, np.number, np.object_): collate_numpy_scalar_fn,
    float: collate_float_fn,
    int: collate_int_fn,
    str: collate_str_fn,
    bytes: collate_str_fn,
}


def default_collate(batch):
    """Stacks a list of samples into a batch, recursively, with torch's rules (see module
    docstring). ``[(x0, y0), (x1, y1)]`` becomes ``[stack([x0, x1]), stack([y0, y1])]``."""
    return collate(batch, collate_fn_map=default_collate_fn_map)
