"""Listing the globals a checkpoint needs, without loading it
(``torch.serialization.get_unsafe_globals_in_checkpoint``)."""

from __future__ import annotations

import io
import json
import os
import pickletools
import struct
import zipfile
from typing import IO, Any

from .serialization import _ALIGN, MAGIC, _allowed_globals, _py3_name, _read_exact

__all__ = ["get_unsafe_globals_in_checkpoint"]

_STRING_OPS = {"SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8", "UNICODE", "SHORT_BINSTRING",
               "BINSTRING", "STRING"}


def _pickle_globals(data: bytes) -> list[str]:
    """``module.name`` of every global a pickle references (read with pickletools: nothing is
    executed). STACK_GLOBAL operands are followed through the memo."""
    found: list[str] = []
    memo: dict[int, Any] = {}
    recent: list[Any] = [None, None]  # the last two pushed values (strings or None)
    for op, arg, _ in pickletools.genops(data):
        name = op.name
        if name == "GLOBAL":
            found.append(".".join(_py3_name(*arg.split(" ", 1))))
            recent.append(None)
        elif name == "STACK_GLOBAL":
            found.append(".".join(_py3_name(str(recent[-2]), str(recent[-1]))))
            recent.append(None)
        elif name in _STRING_OPS:
            recent.append(arg)
        elif name == "MEMOIZE":
            memo[len(memo)] = recent[-1]
        elif name in ("BINPUT", "LONG_BINPUT", "PUT"):
            memo[int(arg)] = recent[-1]
        elif name in ("BINGET", "LONG_BINGET", "GET"):
            recent.append(memo.get(int(arg)))
        elif op.stack_after and op.stack_after[-1] is not pickletools.markobject:
            recent.append(None)
        del recent[:-2]
    return found


def get_unsafe_globals_in_checkpoint(f: str | os.PathLike | IO[bytes]) -> list[str]:
    """The globals a checkpoint needs that a weights-only load would refuse (without loading
    it), e.g. ``["__main__.Config"]``; add them with ``add_safe_globals`` if you trust them."""
    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as fh:
            raw = fh.read()
    else:
        raw = f.read()
    pickles: list[bytes] = []
    if raw[:len(MAGIC)] == MAGIC:
        stream = io.BytesIO(raw[len(MAGIC):])
        (length,) = struct.unpack("<Q", _read_exact(stream, 8))
        header = json.loads(_read_exact(stream, length).decode("utf-8"))
        base = len(MAGIC) + 8 + length
        base += -base % _ALIGN

        def walk(node):
            if isinstance(node, dict):
                if node.get("t") == "pickle":
                    entry = header["arrays"][node["a"]]
                    start = base + entry["offset"]
                    pickles.append(raw[start:start + entry["nbytes"]])
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(header["root"])
    elif raw[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            pickles = [archive.read(n) for n in archive.namelist() if n.endswith("data.pkl")]
    from ._serialization_torchzip import _torch_globals

    allowed = set(_allowed_globals()) | set(_torch_globals())
    names: list[str] = []
    for data in pickles:
        for name in _pickle_globals(data):
            if name not in allowed and name not in names:
                names.append(name)
    return names
