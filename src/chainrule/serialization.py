"""Saving and loading (``torch.save`` / ``torch.load``) in a safe format of our own.

File layout (little-endian)::

    b"CHAINRULE\\x00SAVE\\x00\\x01\\x00"   16-byte magic (format version 1)
    uint64                               length of the JSON header
    header (UTF-8 JSON)                  the object tree + a table of arrays
    padding to 64 bytes, then the raw bytes of every array, each aligned to 64

The header describes the saved object as a tree of tagged nodes: JSON scalars for None, bool,
int, float and str; ``{"t": "dict", "k": [...], "v": [...]}`` (keys are nodes too, so the int
keys of an optimizer state survive), lists, tuples, OrderedDicts, sets, bytes, complex numbers,
dtypes, devices, ``Size``; tensors and NumPy arrays point into the array table. A tensor saved
twice (tied weights) is stored once and loads as one object.

Loading never runs code for such files. Objects outside that vocabulary (a whole ``nn.Module``,
a user dataclass) are stored as a pickle *inside* the file, with their tensors still in the
array table. With ``weights_only=True`` (the default, as in torch 2.6+) those pickles go through
a restricted unpickler that only resolves an allowlist plus the globals registered with
``add_safe_globals`` / ``safe_globals``; anything else raises ``pickle.UnpicklingError``
("Weights only load failed ..."). ``weights_only=False`` unpickles normally: only for files you
trust.

Writing to a path is atomic: the bytes go to a temporary file in the same folder, which is
fsynced and then renamed over the target, so a crash mid-save leaves any old file intact.

``load`` also reads files written by real ``torch.save`` (zip format) without importing torch,
and ``save_safetensors`` / ``load_safetensors`` exchange weights with torch through the
``safetensors`` package.
"""

from __future__ import annotations

import collections
import contextlib
import io
import json
import os
import pickle
import struct
import tempfile
from collections.abc import Callable
from typing import IO, Any

import numpy as np

from . import _dtypes
from ._backend import device as _device
from ._backend import parse_device, to_device_array
from ._tensor import Size, Tensor, _make

__all__ = [
    "add_safe_globals",
    "clear_safe_globals",
    "get_safe_globals",
    "get_unsafe_globals_in_checkpoint",
    "load",
    "load_safetensors",
    "safe_globals",
    "save",
    "save_safetensors",
]

MAGIC = b"CHAINRULE\x00SAVE\x00\x01\x00"
_ALIGN = 64

UNSAFE_MESSAGE = (
    "In PyTorch 2.6, we changed the default value of the `weights_only` argument in `torch.load` "
    "from `False` to `True`. Re-running `torch.load` with `weights_only` set to `False` will "
    "likely succeed, but it can result in arbitrary code execution. Do it only if you got the "
    "file from a trusted source."
)
DOCS_MESSAGE = (
    "\n\nCheck the documentation of torch.load to learn more about types accepted by default "
    "with weights_only https://pytorch.org/docs/stable/generated/torch.load.html."
)

# -- safe globals ------------------------------------------------------------------------------

_user_safe_globals: list[Any] = []


def add_safe_globals(safe_globals: list) -> None:
    """Allows these classes/functions (or ``(obj, "module.name")`` pairs) in weights-only
    loads, e.g. ``add_safe_globals([MyConfig])``."""
    _user_safe_globals.extend(safe_globals)


def get_safe_globals() -> list:
    """The globals added with ``add_safe_globals`` (and active ``safe_globals`` blocks)."""
    return list(_user_safe_globals)


def clear_safe_globals() -> None:
    _user_safe_globals.clear()


class safe_globals:
    """Context manager: ``with safe_globals([MyConfig]): torch.load(f)``."""

    def __init__(self, safe_globals: list) -> None:
        self.safe_globals = list(safe_globals)

    def __enter__(self) -> None:
        self._saved = list(_user_safe_globals)
        _user_safe_globals.extend(self.safe_globals)

    def __exit__(self, *exc) -> None:
        _user_safe_globals[:] = self._saved


def _py3_name(module: str, name: str) -> tuple[str, str]:
    """Python 2 names in protocol <= 2 pickles (``__builtin__.set``), as pickle maps them."""
    import _compat_pickle

    if (module, name) in _compat_pickle.NAME_MAPPING:
        return _compat_pickle.NAME_MAPPING[(module, name)]
    return _compat_pickle.IMPORT_MAPPING.get(module, module), name


def _global_name(obj: Any) -> str:
    return f"{obj.__module__}.{obj.__qualname__}"


def _allowed_globals() -> dict[str, Any]:
    from .nn.parameter import Parameter, _rebuild_parameter

    allowed = {
        "collections.OrderedDict": collections.OrderedDict,
        "collections.Counter": collections.Counter,
        "builtins.set": set,
        "builtins.frozenset": frozenset,
        "builtins.complex": complex,
        "builtins.bytearray": bytearray,
        "builtins.slice": slice,
        "builtins.range": range,
        "chainrule._dtypes._dtype_by_name": _dtypes._dtype_by_name,
        "chainrule._backend.device": _device,
        "chainrule._tensor.Size": Size,
        "chainrule.nn.parameter.Parameter": Parameter,
        "chainrule.nn.parameter._rebuild_parameter": _rebuild_parameter,
    }
    for entry in _user_safe_globals:
        if isinstance(entry, tuple):
            obj, name = entry
            allowed[name] = obj
        else:
            allowed[_global_name(entry)] = entry
    return allowed


def _weights_only_error(message: str) -> pickle.UnpicklingError:
    if "was not an allowed global by default" in message:
        text = (
            "Weights only load failed. This file can still be loaded, to do so you have two "
            "options, do those steps only if you trust the source of the checkpoint. "
            f"\n\t(1) {UNSAFE_MESSAGE}\n\t(2) Alternatively, to load with `weights_only=True` "
            "please check the recommended steps in the following error message.\n\t"
            "WeightsUnpickler error: " + message
        )
    else:
        text = f"Weights only load failed. {UNSAFE_MESSAGE}\n\n{message}"
    return pickle.UnpicklingError(text + DOCS_MESSAGE)


class _Unpickler(pickle.Unpickler):
    """Unpickles one embedded object; tensors come from the file's array table."""

    def __init__(self, data: bytes, loader: _Loader, weights_only: bool) -> None:
        super().__init__(io.BytesIO(data))
        self._loader = loader
        self._weights_only = weights_only
        self._allowed = _allowed_globals() if weights_only else None

    def persistent_load(self, pid):
        kind, index = pid
        if kind == "tensor":
            return self._loader.tensor(index)
        if kind == "node":
            return self._loader.decode(index)
        raise pickle.UnpicklingError(f"unknown persistent id {kind!r}")

    def find_class(self, module: str, name: str):
        if not self._weights_only:
            return super().find_class(module, name)
        module, name = _py3_name(module, name)
        full = f"{module}.{name}"
        if full in self._allowed:
            return self._allowed[full]
        raise _weights_only_error(
            f"Unsupported global: GLOBAL {full} was not an allowed global by default. Please "
            f"use `torch.serialization.add_safe_globals([{name}])` or the "
            f"`torch.serialization.safe_globals([{name}])` context manager to allowlist this "
            "global if you trust this class/function."
        )


# -- encoding ----------------------------------------------------------------------------------


class _Writer:
    """Turns an object into (header tree, arrays); tensors/arrays are stored once each."""

    def __init__(self) -> None:
        self.arrays: list[np.ndarray] = []
        self.array_ids: dict[int, int] = {}
        self.tensors: list[dict] = []
        self.tensor_ids: dict[int, int] = {}
        self.keepalive: list[Any] = []  # ids stay unique while the objects live

    def array(self, data) -> int:
        key = id(data)
        if key not in self.array_ids:
            host = np.asarray(data) if isinstance(data, np.ndarray) else np.asarray(data.get())
            if host.dtype.byteorder == ">":
                host = host.astype(host.dtype.newbyteorder("<"))
            self.array_ids[key] = len(self.arrays)
            self.arrays.append(np.ascontiguousarray(host))
            self.keepalive.append(data)
        return self.array_ids[key]

    def tensor(self, t: Tensor) -> int:
        key = id(t)
        if key not in self.tensor_ids:
            from .nn.parameter import Parameter

            self.tensor_ids[key] = len(self.tensors)
            self.tensors.append({
                "dtype": str(t._data.dtype), "shape": list(t._data.shape),
                "array": self.array(t._data), "requires_grad": bool(t._rg),
                "parameter": isinstance(t, Parameter), "device": str(t.device),
            })
            self.keepalive.append(t)
        return self.tensor_ids[key]

    def encode(self, obj: Any, path: tuple = ()) -> Any:
        kind = type(obj)
        if obj is None or kind in (bool, int, str):
            return obj
        if kind is float:
            return obj if np.isfinite(obj) else {"t": "float", "v": repr(obj)}
        if isinstance(obj, Tensor):
            return {"t": "tensor", "i": self.tensor(obj)}
        if kind is np.ndarray and obj.dtype != object:
            return {"t": "ndarray", "a": self.array(obj), "dtype": str(obj.dtype),
                    "shape": list(obj.shape)}
        if isinstance(obj, np.generic) and not isinstance(obj, np.object_):
            return {"t": "npscalar", "a": self.array(np.asarray(obj)), "dtype": str(obj.dtype)}
        if kind in (list, tuple, set, frozenset, dict, collections.OrderedDict):
            if id(obj) in path:
                raise _Cyclic
            inner = (*path, id(obj))
            if kind in (dict, collections.OrderedDict):
                return {"t": "dict" if kind is dict else "odict",
                        "k": [self.encode(k, inner) for k in obj],
                        "v": [self.encode(v, inner) for v in obj.values()]}
            return {"t": kind.__name__, "v": [self.encode(v, inner) for v in obj]}
        if kind is Size:
            return {"t": "size", "v": list(obj)}
        if isinstance(obj, _dtypes.dtype):
            return {"t": "dtype", "v": str(obj).replace("torch.", "")}
        if kind is _device:
            return {"t": "device", "v": str(obj)}
        if kind is bytes:
            return {"t": "bytes", "a": self.array(np.frombuffer(obj, dtype=np.uint8))}
        if kind is complex:
            return {"t": "complex", "v": [repr(obj.real), repr(obj.imag)]}
        return self.pickled(obj)

    def pickled(self, obj: Any) -> dict:
        """An object outside the safe vocabulary: pickled, its tensors kept out of band."""
        buffer = io.BytesIO()
        writer = self

        class _Pickler(pickle.Pickler):
            def persistent_id(self, value):
                if isinstance(value, Tensor):
                    return ("tensor", writer.tensor(value))
                if type(value) is np.ndarray and value.dtype != object:
                    return ("node", writer.encode(value))
                return None

        _Pickler(buffer, protocol=4).dump(obj)
        return {"t": "pickle", "a": self.array(np.frombuffer(buffer.getvalue(), np.uint8))}


class _Cyclic(Exception):
    """A container contains itself: the whole object is pickled instead (pickle handles it)."""


def _header_and_arrays(obj: Any) -> tuple[bytes, list[np.ndarray]]:
    writer = _Writer()
    try:
        root = writer.encode(obj)
    except _Cyclic:
        writer = _Writer()
        root = writer.pickled(obj)
    offsets, offset = [], 0
    for a in writer.arrays:
        offsets.append({"offset": offset, "nbytes": int(a.nbytes)})
        offset += -(-a.nbytes // _ALIGN) * _ALIGN
    header = {"version": 1, "root": root, "tensors": writer.tensors, "arrays": offsets}
    return json.dumps(header, separators=(",", ":")).encode("utf-8"), writer.arrays


def _write(obj: Any, out: IO[bytes]) -> None:
    header, arrays = _header_and_arrays(obj)
    prefix = MAGIC + struct.pack("<Q", len(header)) + header
    out.write(prefix)
    out.write(b"\x00" * (-len(prefix) % _ALIGN))
    for a in arrays:
        out.write(memoryview(a.reshape(-1).view(np.uint8)) if a.size else b"")
        out.write(b"\x00" * (-a.nbytes % _ALIGN))


def _atomic_write(path: str | os.PathLike, write: Callable[[IO[bytes]], None]) -> None:
    """Writes via a temporary file in the same folder, fsync, then ``os.replace``."""
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise RuntimeError(f"Parent directory {folder} does not exist.")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".",
                               suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # persist the rename itself (POSIX)
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def save(obj: Any, f: str | os.PathLike | IO[bytes]) -> None:
    """Saves ``obj`` (tensors, (nested) dicts/lists/tuples, numbers, strings, arrays, or any
    picklable object) to a path (atomically) or a binary file object."""
    if isinstance(f, (str, os.PathLike)):
        _atomic_write(f, lambda out: _write(obj, out))
    else:
        _write(obj, f)


# -- decoding ----------------------------------------------------------------------------------


def _read_exact(f: IO[bytes], n: int) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise RuntimeError("file is truncated: expected more bytes (was the save interrupted?)")
    return data


def _target_device(map_location, saved: str):
    """Where a tensor saved on ``saved`` goes under torch's ``map_location`` rules."""
    if map_location is None or callable(map_location):
        return saved
    if isinstance(map_location, dict):
        return map_location.get(saved, saved)
    return str(map_location)


class _Loader:
    def __init__(self, header: dict, arrays: list[np.ndarray], map_location,
                 weights_only: bool) -> None:
        self.header = header
        self.arrays = arrays
        self.map_location = map_location
        self.weights_only = weights_only
        self.tensors: dict[int, Tensor] = {}

    def tensor(self, index: int) -> Tensor:
        if index not in self.tensors:
            entry = self.header["tensors"][index]
            data = self.arrays[entry["array"]].view(np.dtype(entry["dtype"]))
            data = data.reshape(entry["shape"])
            _dtypes.from_numpy_dtype(data.dtype)
            self.tensors[index] = _place(data, entry["device"], entry["requires_grad"],
                                         entry["parameter"], self.map_location)
        return self.tensors[index]

    def decode(self, node: Any) -> Any:
        if not isinstance(node, dict):
            return node
        tag = node["t"]
        if tag == "tensor":
            return self.tensor(node["i"])
        if tag in ("dict", "odict"):
            cls = dict if tag == "dict" else collections.OrderedDict
            return cls(zip((self.decode(k) for k in node["k"]),
                           (self.decode(v) for v in node["v"])))
        if tag in ("list", "tuple", "set", "frozenset"):
            values = [self.decode(v) for v in node["v"]]
            return values if tag == "list" else {"tuple": tuple, "set": set,
                                                  "frozenset": frozenset}[tag](values)
        if tag == "ndarray":
            return self.arrays[node["a"]].view(np.dtype(node["dtype"])).reshape(node["shape"])
        if tag == "npscalar":
            return self.arrays[node["a"]].view(np.dtype(node["dtype"]))[0]
        if tag == "float":
            return float(node["v"])
        if tag == "size":
            return Size(node["v"])
        if tag == "dtype":
            return _dtypes._dtype_by_name(node["v"])
        if tag == "device":
            return _device(node["v"])
        if tag == "bytes":
            return self.arrays[node["a"]].tobytes()
        if tag == "complex":
            return complex(float(node["v"][0]), float(node["v"][1]))
        if tag == "pickle":
            return _Unpickler(self.arrays[node["a"]].tobytes(), self, self.weights_only).load()
        raise RuntimeError(f"unknown node type {tag!r} in file (written by a newer chainrule?)")


def _place(data: np.ndarray, saved_device: str, requires_grad: bool, parameter: bool,
           map_location) -> Tensor:
    """A loaded tensor on the device ``map_location`` picks, as Parameter if saved as one."""
    target = _target_device(map_location, saved_device)
    dev = parse_device(target)
    if dev.type == "cuda":
        from ._backend import cuda_available

        if not cuda_available():
            raise RuntimeError(
                "Attempting to deserialize object on a CUDA device but torch.cuda.is_available() "
                "is False. If you are running on a CPU-only machine, please use torch.load with "
                "map_location=torch.device('cpu') to map your storages to the CPU."
            )
        data = to_device_array(data, dev)
    t = _make(data, False, None)
    if callable(map_location) and not isinstance(map_location, dict):
        moved = map_location(t, saved_device)
        if isinstance(moved, Tensor):
            t = moved
    if parameter:
        from .nn.parameter import Parameter

        return Parameter(t, requires_grad)
    if requires_grad and t._data.dtype.kind in "fc":
        t.requires_grad = True
    return t


def _load_ours(f: IO[bytes], map_location, weights_only: bool) -> Any:
    (length,) = struct.unpack("<Q", _read_exact(f, 8))
    header = json.loads(_read_exact(f, length).decode("utf-8"))
    _read_exact(f, -(len(MAGIC) + 8 + length) % _ALIGN)
    arrays = []
    for entry in header["arrays"]:
        buffer = bytearray(_read_exact(f, entry["nbytes"]))
        _read_exact(f, -entry["nbytes"] % _ALIGN)
        arrays.append(np.frombuffer(buffer, dtype=np.uint8))
    return _Loader(header, arrays, map_location, weights_only).decode(header["root"])


def load(f: str | os.PathLike | IO[bytes], map_location=None, weights_only: bool | None = None,
         **kwargs) -> Any:
    """Loads what ``save`` wrote (or a file written by ``torch.save``).

    Args:
        f: a path or a binary file object.
        map_location: a device (``"cpu"``), a dict mapping saved to new locations, or a
            callable ``fn(tensor, location) -> tensor | None``.
        weights_only: ``True`` (default ``None`` means True): never run code; embedded pickles
            may only use allowlisted globals. ``False``: unpickle anything (trusted files only).
    """
    weights_only = True if weights_only is None else bool(weights_only)
    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as fh:
            return _load_stream(fh, map_location, weights_only)
    return _load_stream(f, map_location, weights_only)


def _load_stream(f: IO[bytes], map_location, weights_only: bool) -> Any:
    head = f.read(len(MAGIC))
    if head == MAGIC:
        return _load_ours(f, map_location, weights_only)
    if head[:4] == b"PK\x03\x04":
        from ._serialization_torchzip import load_torch_zip

        rest = f.read()
        return load_torch_zip(io.BytesIO(head + rest), map_location, weights_only)
    if not head:
        raise EOFError("Ran out of input")
    raise pickle.UnpicklingError(
        "not a chainrule or torch checkpoint (unknown header "
        f"{head[:8]!r}); legacy non-zip torch files are not supported"
    )


from ._serialization_safetensors import load_safetensors, save_safetensors
from ._serialization_scan import get_unsafe_globals_in_checkpoint
