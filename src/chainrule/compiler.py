"""``torch.compiler``: chainrule runs eagerly; these hooks are pass-throughs."""

from __future__ import annotations

from typing import Callable

__all__ = ["compile", "disable", "reset", "is_compiling", "is_dynamo_compiling",
           "allow_in_graph", "assume_constant_result", "list_backends", "cudagraph_mark_step_begin"]


def compile(*args, **kwargs):  # noqa: A001
    from ._toplevel import compile as _compile  # noqa: PLC0415

    return _compile(*args, **kwargs)


def disable(fn: Callable | None = None, recursive: bool = True, *, reason=None):
    if fn is None:
        return lambda f: f
    return fn


def reset() -> None:
    return None


def is_compiling() -> bool:
    return False


is_dynamo_compiling = is_exporting = is_compiling


def allow_in_graph(fn):
    return fn


def assume_constant_result(fn):
    return fn


def list_backends(exclude_tags=("debug", "experimental")) -> list:
    return []


def cudagraph_mark_step_begin() -> None:
    return None
