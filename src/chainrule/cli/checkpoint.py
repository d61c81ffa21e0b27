"""Training checkpoints: everything needed to rebuild a model, and to resume a run exactly.

A checkpoint is one file written with :func:`chainrule.save` (a dict of plain values and
tensors, no pickled code) holding

- ``spec``: the model's architecture (kind, sizes, feature and class counts, class names),
  enough for ``evaluate``/``predict`` to rebuild it;
- ``config``: the run's settings (data, optimizer, learning rate, seed, ...);
- ``epoch``, ``history`` (per-epoch metrics), ``grad_stats``;
- ``model``, ``optimizer``, ``scheduler``: the three ``state_dict()``s;
- ``rng``: the state of every random stream the run draws from -- chainrule's default
  generator, the DataLoader's generator, NumPy's and Python's global generators -- so that a
  resumed run shuffles and initializes exactly as the uninterrupted one would have.

Files are replaced atomically (temp file + ``os.replace``): an interrupted write leaves the
previous checkpoint intact.
"""

from __future__ import annotations

import os
import random
from typing import Any

import numpy as np

import chainrule

from .errors import CLIError
from .outputs import write_atomic

FORMAT = "chainrule-checkpoint"
VERSION = 1


def rng_state(loader_generator: chainrule.Generator) -> dict[str, Any]:
    """Snapshot of every random stream a training run draws from."""
    np_name, np_keys, np_pos, np_has_gauss, np_gauss = np.random.get_state()
    py_version, py_internal, py_gauss = random.getstate()
    return {
        "chainrule": chainrule.get_rng_state(),
        "loader": loader_generator.get_state(),
        "numpy": {
            "name": np_name,
            "keys": chainrule.tensor(np_keys.astype(np.int64)),
            "pos": int(np_pos),
            "has_gauss": int(np_has_gauss),
            "cached_gaussian": float(np_gauss),
        },
        "python": {
            "version": py_version,
            "internal": chainrule.tensor(np.array(py_internal, dtype=np.int64)),
            "gauss_next": py_gauss,
        },
    }


def set_rng_state(state: dict[str, Any], loader_generator: chainrule.Generator) -> None:
    """Restores what :func:`rng_state` captured."""
    chainrule.set_rng_state(state["chainrule"])
    loader_generator.set_state(state["loader"])
    n = state["numpy"]
    np.random.set_state(
        (
            n["name"],
            n["keys"].numpy().astype(np.uint32),
            n["pos"],
            n["has_gauss"],
            n["cached_gaussian"],
        )
    )
    p = state["python"]
    internal = tuple(int(v) for v in p["internal"].numpy())
    random.setstate((p["version"], internal, p["gauss_next"]))


def save(path: str, payload: dict[str, Any]) -> None:
    """Writes a checkpoint atomically."""
    payload = {"format": FORMAT, "version": VERSION, **payload}
    write_atomic(path, lambda tmp: chainrule.save(payload, tmp))


def load(path: str) -> dict[str, Any]:
    """Reads a checkpoint, with a clear error for a missing or foreign file."""
    if not os.path.exists(path):
        raise FileNotFoundError(2, "no such checkpoint file", path)
    if os.path.isdir(path):
        raise CLIError(
            f"{path} is a folder; give the checkpoint file inside it (e.g. checkpoint.ckpt)"
        )
    try:
        payload = chainrule.load(path)
    except Exception as exc:  # noqa: BLE001 -- any failure to parse means: not our file
        raise CLIError(
            f"{path}: not a chainrule checkpoint ({type(exc).__name__}: {exc})"
        ) from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise CLIError(f"{path}: not a chainrule checkpoint (written by 'chainrule train')")
    if payload.get("version") != VERSION:
        raise CLIError(
            f"{path}: checkpoint version {payload.get('version')} is not supported "
            f"(this chainrule reads version {VERSION})"
        )
    return payload


def load_weights(model: chainrule.nn.Module, state: dict[str, Any], path: str) -> None:
    """``model.load_state_dict(state)``, naming the first mismatched parameter on failure."""
    own = model.state_dict()
    missing = [k for k in own if k not in state]
    unexpected = [k for k in state if k not in own]
    if missing or unexpected:
        what = (
            f"missing parameter {missing[0]!r}"
            if missing
            else f"unexpected parameter {unexpected[0]!r}"
        )
        raise CLIError(f"{path}: the checkpoint does not fit the model: {what}")
    for name, tensor in own.items():
        got = tuple(state[name].shape)
        if got != tuple(tensor.shape):
            raise CLIError(
                f"{path}: the checkpoint does not fit the model: parameter {name!r} has shape "
                f"{list(got)} in the checkpoint but {list(tensor.shape)} in the model"
            )
    model.load_state_dict(state)
