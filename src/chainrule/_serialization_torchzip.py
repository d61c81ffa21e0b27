"""Reading files written by real ``torch.save`` (the zip format), without importing torch.

A torch checkpoint is a zip archive ``<name>/data.pkl`` + ``<name>/data/<key>`` (one raw
storage per key) + ``<name>/byteorder``. ``data.pkl`` is a pickle whose tensors are
``torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)`` calls
on persistent storage ids ``("storage", torch.FloatStorage, key, location, numel)``. Here a
restricted unpickler maps exactly those globals (storage types, rebuild functions, dtypes,
``Size``, ``OrderedDict``) onto NumPy; with ``weights_only=True`` anything else is refused,
with ``weights_only=False`` other globals are imported normally.
"""

from __future__ import annotations

import collections
import io
import pickle
import zipfile
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

from . import _dtypes
from ._backend import device as _device
from ._tensor import Size, Tensor

__all__ = ["load_torch_zip"]

_STORAGE_DTYPES = {
    "DoubleStorage": np.float64, "FloatStorage": np.float32, "HalfStorage": np.float16,
    "BFloat16Storage": "bfloat16", "LongStorage": np.int64, "IntStorage": np.int32,
    "ShortStorage": np.int16, "CharStorage": np.int8, "ByteStorage": np.uint8,
    "BoolStorage": np.bool_, "ComplexFloatStorage": np.complex64,
    "ComplexDoubleStorage": np.complex128,
}
_TORCH_DTYPES = ("float64", "float32", "float16", "bfloat16", "int64", "int32", "int16", "int8",
                 "uint8", "bool", "complex64", "complex128")


class _StorageType:
    def __init__(self, name: str) -> None:
        self.name = name
        self.dtype = _STORAGE_DTYPES[name]


class _Storage:
    """One torch storage: a 1-d host array shared by every tensor that views it."""

    __slots__ = ("array", "target")

    def __init__(self, array: np.ndarray, target: str) -> None:
        self.array, self.target = array, target


def _rebuild_tensor_v2(storage: _Storage, storage_offset, size, stride, requires_grad=False,
                       backward_hooks=None, metadata=None) -> Tensor:
    """A tensor viewing ``storage`` at offset/size/stride, as torch's (views keep sharing)."""
    array = storage.array
    size, stride = tuple(size), tuple(stride)
    span = 1 + sum((s - 1) * st for s, st in zip(size, stride)) if all(size) else 0
    if storage_offset < 0 or storage_offset + span > array.size:
        raise RuntimeError("corrupt checkpoint: a tensor reaches past the end of its storage")
    data = as_strided(array[storage_offset:], shape=size,
                      strides=tuple(st * array.itemsize for st in stride))
    if storage.target.startswith("cuda"):
        from ._backend import parse_device, to_device_array

        data = to_device_array(np.ascontiguousarray(data), parse_device(storage.target))
    t = Tensor._wrap(data)
    if requires_grad and data.dtype.kind in "fc":
        t.requires_grad = True
    return t


def _rebuild_parameter(data, requires_grad, backward_hooks=None):
    from .nn.parameter import Parameter

    return Parameter(data, requires_grad)


def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    return _rebuild_parameter(data, requires_grad)


def _rebuild_from_type_v2(func, new_type, args, state):
    return func(*args)


def _torch_globals() -> dict[str, Any]:
    table: dict[str, Any] = {
        "torch._utils._rebuild_tensor_v2": _rebuild_tensor_v2,
        "torch._utils._rebuild_parameter": _rebuild_parameter,
        "torch._utils._rebuild_parameter_with_state": _rebuild_parameter_with_state,
        "torch._tensor._rebuild_from_type_v2": _rebuild_from_type_v2,
        "torch.Size": Size,
        "torch.device": _device,
        "torch.Tensor": Tensor,
        "collections.OrderedDict": collections.OrderedDict,
        "collections.Counter": collections.Counter,
        "builtins.set": set,
        "builtins.frozenset": frozenset,
        "builtins.complex": complex,
        "builtins.bytearray": bytearray,
        "builtins.slice": slice,
        "_codecs.encode": lambda text, encoding="latin1": text.encode(encoding),
    }
    for name in _STORAGE_DTYPES:
        table[f"torch.{name}"] = _StorageType(name)
    for name in _TORCH_DTYPES:
        table[f"torch.{name}"] = _dtypes._dtype_by_name(
            "float32" if name == "bfloat16" else name)
    return table


class _TorchUnpickler(pickle.Unpickler):
    def __init__(self, data: bytes, archive: zipfile.ZipFile, prefix: str, byteorder: str,
                 map_location, weights_only: bool) -> None:
        super().__init__(io.BytesIO(data))
        self.archive, self.prefix, self.byteorder = archive, prefix, byteorder
        self.map_location, self.weights_only = map_location, weights_only
        self.storages: dict[str, _Storage] = {}
        self.table = _torch_globals()

    def find_class(self, module: str, name: str):
        from .serialization import _allowed_globals, _py3_name, _weights_only_error

        module, name = _py3_name(module, name)
        full = f"{module}.{name}"
        if full in self.table:
            return self.table[full]

        allowed = _allowed_globals()
        if full in allowed:
            return allowed[full]
        if self.weights_only:
            raise _weights_only_error(
                f"Unsupported global: GLOBAL {full} was not an allowed global by default. "
                f"Please use `torch.serialization.add_safe_globals([{name}])` or the "
                f"`torch.serialization.safe_globals([{name}])` context manager to allowlist "
                "this global if you trust this class/function."
            )
        return super().find_class(module, name)

    def persistent_load(self, pid):
        if not (isinstance(pid, tuple) and pid and pid[0] == "storage"):
            raise pickle.UnpicklingError(f"unsupported persistent id in torch file: {pid!r}")
        _, storage_type, key, location, _numel = pid
        if key not in self.storages:
            raw = self.archive.read(f"{self.prefix}data/{key}")
            self.storages[key] = self._decode_storage(raw, storage_type, location)
        return self.storages[key]

    def _decode_storage(self, raw: bytes, storage_type, location: str) -> _Storage:
        dtype = getattr(storage_type, "dtype", None)
        if dtype is None:
            raise pickle.UnpicklingError(f"unsupported storage type {storage_type!r}")
        from .serialization import _target_device

        target = _target_device(self.map_location, location)
        if target.startswith("cuda"):
            from ._backend import cuda_available

            if not cuda_available():
                raise RuntimeError(
                    "Attempting to deserialize object on a CUDA device but "
                    "torch.cuda.is_available() is False. If you are running on a CPU-only "
                    "machine, please use torch.load with map_location=torch.device('cpu') to "
                    "map your storages to the CPU."
                )
        order = "<" if self.byteorder == "little" else ">"
        if dtype == "bfloat16":  # chainrule's bfloat16 is float32: widen the bits
            bits = np.frombuffer(raw, dtype=order + "u2").astype(np.uint32) << 16
            return _Storage(bits.view(np.float32), target)
        array = np.frombuffer(bytearray(raw), dtype=np.dtype(dtype).newbyteorder(order))
        if array.dtype.byteorder == ">":
            array = array.astype(array.dtype.newbyteorder("="))
        return _Storage(array, target)


def load_torch_zip(f: io.BytesIO, map_location, weights_only: bool) -> Any:
    """Loads a ``torch.save`` zip checkpoint (tensors, state dicts, plain containers)."""
    with zipfile.ZipFile(f) as archive:
        names = archive.namelist()
        pickles = [n for n in names if n.endswith("data.pkl")]
        if not pickles:
            raise RuntimeError("not a torch checkpoint: the zip has no data.pkl")
        prefix = pickles[0][: -len("data.pkl")]
        byteorder = "little"
        if f"{prefix}byteorder" in names:
            byteorder = archive.read(f"{prefix}byteorder").decode().strip()
        unpickler = _TorchUnpickler(archive.read(pickles[0]), archive, prefix, byteorder,
                                    map_location, weights_only)
        return unpickler.load()
