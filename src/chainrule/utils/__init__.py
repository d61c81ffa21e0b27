"""Utilities: data loading (``chainrule.utils.data``), ``checkpoint``, ``hooks``,
``tensorboard`` (needs the ``tensorboard`` package), ``_pytree``, ``model_zoo``."""

from __future__ import annotations

import importlib as _importlib

from . import data  # noqa: F401

_SUBMODULES = {"checkpoint", "hooks", "tensorboard", "_pytree", "model_zoo", "collect_env"}


def __getattr__(name: str):
    if name in _SUBMODULES:
        module = _importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'chainrule.utils' has no attribute '{name}'")
