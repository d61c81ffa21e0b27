"""``torch.compiler``: chainrule runs eagerly; these hooks are pass-throughs."""

from __future__ import annotations

from collections.abc import Callable

__all__ = [
    "allow_in_graph",
    "assume_constant_result",
    "compile",
    "cudagraph_mark_step_begin",
    "disable",
    "is_compiling",
    "is_dynamo_compiling",
    "list_backends",
    "reset",
]


def compile(*args, **kwargs):
    from ._toplevel import compile as _compile

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
