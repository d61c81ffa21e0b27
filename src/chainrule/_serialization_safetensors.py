"""safetensors exchange: flat ``{name: tensor}`` files that torch reads with
``safetensors.torch.load_file`` (and writes with ``save_file``), via the ``safetensors``
package's NumPy API (the optional ``io`` extra)."""

from __future__ import annotations

import json
import os
import struct

import numpy as np

from ._backend import parse_device, to_device_array
from ._tensor import Tensor, _make
from .serialization import _atomic_write

__all__ = ["load_safetensors", "save_safetensors"]

def _safetensors_numpy():
    try:
        from safetensors import numpy as st_numpy
    except ImportError:
        raise ImportError(
            "save_safetensors/load_safetensors need the `safetensors` package: "
            "pip install 'chainrule[io]' (or pip install safetensors)"
        ) from None
    return st_numpy


def save_safetensors(state_dict: dict[str, Tensor], path: str | os.PathLike,
                     metadata: dict[str, str] | None = None) -> None:
    """Writes a flat ``{name: tensor}`` dict as a ``.safetensors`` file (atomically).

    The file loads in torch with ``safetensors.torch.load_file(path)``; metadata values must be
    strings.
    """
    st_numpy = _safetensors_numpy()
    arrays = {}
    for key, value in state_dict.items():
        if not isinstance(key, str):
            raise TypeError(f"save_safetensors: keys must be str, got {type(key).__name__}")
        if isinstance(value, Tensor):
            data = value._data
            arrays[key] = np.ascontiguousarray(data if isinstance(data, np.ndarray)
                                               else data.get())
        elif isinstance(value, np.ndarray):
            arrays[key] = np.ascontiguousarray(value)
        else:
            raise TypeError(
                f"save_safetensors expects a dict of tensors; key {key!r} holds a "
                f"{type(value).__name__}"
            )
    payload = st_numpy.save(arrays, metadata=metadata)
    _atomic_write(path, lambda out: out.write(payload))


def load_safetensors(path: str | os.PathLike, device: str = "cpu") -> dict[str, Tensor]:
    """Reads a ``.safetensors`` file into ``{name: tensor}`` (bfloat16 becomes float32, as
    chainrule's bfloat16 is)."""
    st_numpy = _safetensors_numpy()
    try:
        arrays = st_numpy.load_file(path)
    except TypeError as err:  # a dtype NumPy lacks (bfloat16): decode those by hand
        if "bfloat16" not in str(err):
            raise
        arrays = _load_safetensors_bf16(path)
    dev = parse_device(device)
    out = {}
    for key, value in arrays.items():
        data = value if dev.type == "cpu" else to_device_array(value, dev)
        out[key] = _make(data, False, None)
    return out


def _load_safetensors_bf16(path) -> dict[str, np.ndarray]:
    """The safetensors layout read directly (8-byte header size, JSON header, raw data)."""
    names = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4",
             "I16": "<i2", "I8": "i1", "U8": "u1", "BOOL": "?"}
    with open(path, "rb") as fh:
        (length,) = struct.unpack("<Q", fh.read(8))
        header = json.loads(fh.read(length))
        data = fh.read()
    out = {}
    for key, info in header.items():
        if key == "__metadata__":
            continue
        start, end = info["data_offsets"]
        raw = data[start:end]
        if info["dtype"] == "BF16":
            bits = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
            array = bits.view(np.float32)
        elif info["dtype"] in names:
            array = np.frombuffer(raw, dtype=names[info["dtype"]]).copy()
        else:
            raise TypeError(f"load_safetensors: unsupported dtype {info['dtype']} for {key!r}")
        out[key] = array.reshape(info["shape"])
    return out
