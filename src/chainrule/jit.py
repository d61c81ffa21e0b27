"""``torch.jit``: TorchScript. chainrule runs Python eagerly, so ``script``/``trace`` return
the module or function unchanged and the decorators are pass-throughs; saving/loading a
TorchScript archive raises NotImplementedError."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

__all__ = [
    "Attribute",
    "Final",
    "ScriptFunction",  # noqa: F822 - served by the module __getattr__
    "ScriptModule",  # noqa: F822
    "annotate",
    "enable_onednn_fusion",
    "export",
    "fork",
    "freeze",
    "ignore",
    "interface",
    "is_scripting",
    "is_tracing",
    "isinstance",
    "load",
    "optimize_for_inference",
    "save",
    "script",
    "script_if_tracing",
    "trace",
    "trace_module",
    "unused",
    "wait",
]


def script(obj=None, optimize=None, _frames_up: int = 0, _rcb=None, example_inputs=None):
    """Returns ``obj`` unchanged: there is no TorchScript compiler in chainrule."""
    return obj


def trace(func, example_inputs=None, optimize=None, check_trace=True, check_inputs=None,
          check_tolerance=1e-5, strict=True, _force_outplace=False, _module_class=None,
          _compilation_unit=None, example_kwarg_inputs=None, _store_inputs=True):
    """Returns ``func`` unchanged (it already runs eagerly on any input)."""
    return func


def trace_module(mod, inputs, *args, **kwargs):
    return mod


def ignore(drop=False, **kwargs):
    """``@torch.jit.ignore`` and ``@torch.jit.ignore(drop=True)``: a pass-through."""
    if callable(drop):
        return drop
    return lambda fn: fn


def unused(fn: Callable) -> Callable:
    return fn


def export(fn: Callable) -> Callable:
    return fn


def interface(obj):
    return obj


def script_if_tracing(fn: Callable) -> Callable:
    return fn


def is_scripting() -> bool:
    return False


def is_tracing() -> bool:
    return False


def annotate(the_type, the_value):
    return the_value


def isinstance(obj, target_type) -> bool:
    import builtins

    return builtins.isinstance(obj, target_type)


class Attribute:
    def __new__(cls, value, type=None):
        return value


def fork(func, *args, **kwargs):
    """Runs ``func`` now; ``wait`` returns its result (no parallel interpreter threads)."""
    return _Future(func(*args, **kwargs))


class _Future:
    def __init__(self, value) -> None:
        self._value = value

    def wait(self):
        return self._value


def wait(future):
    return future.wait()


def freeze(mod, preserved_attrs=None, optimize_numerics=True):
    return mod


def optimize_for_inference(mod, other_methods=None):
    return mod


def enable_onednn_fusion(enabled: bool) -> None:
    return None


def save(m, f, _extra_files=None) -> None:
    """Raises: TorchScript archives cannot be written; save a state_dict with torch.save."""
    raise NotImplementedError(
        "torch.jit.save is not supported by chainrule (no TorchScript); use "
        "torch.save(model.state_dict(), path)"
    )


def load(f, map_location=None, _extra_files=None):
    """Raises: TorchScript archives cannot be read."""
    raise NotImplementedError(
        "torch.jit.load is not supported by chainrule (no TorchScript); load a state_dict with "
        "torch.load(path)"
    )


def __getattr__(name: str) -> Any:
    if name in ("ScriptModule", "RecursiveScriptModule", "TopLevelTracedModule"):
        from .nn import Module

        return Module
    if name == "ScriptFunction":
        return type(lambda: None)
    raise AttributeError(f"module 'chainrule.jit' has no attribute '{name}'")
