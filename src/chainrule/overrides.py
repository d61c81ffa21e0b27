"""``torch.overrides``: the ``__torch_function__`` protocol. chainrule dispatches on its own
Tensor only, so nothing overrides: ``has_torch_function`` is False for every input."""

from __future__ import annotations

__all__ = [
    "TorchFunctionMode",
    "get_ignored_functions",
    "get_overridable_functions",
    "get_testing_overrides",
    "handle_torch_function",
    "has_torch_function",
    "has_torch_function_unary",
    "has_torch_function_variadic",
    "is_tensor_like",
]


def has_torch_function(relevant_args) -> bool:
    return False


def has_torch_function_unary(arg) -> bool:
    return False


def has_torch_function_variadic(*args) -> bool:
    return False


def handle_torch_function(public_api, relevant_args, *args, **kwargs):
    raise NotImplementedError(
        "torch.overrides.handle_torch_function: __torch_function__ overrides are not supported "
        "by chainrule"
    )


def is_tensor_like(inp) -> bool:
    from ._tensor import Tensor

    return isinstance(inp, Tensor) or hasattr(type(inp), "__torch_function__")


def get_ignored_functions() -> set:
    return set()


def get_overridable_functions() -> dict:
    return {}


def get_testing_overrides() -> dict:
    return {}


class TorchFunctionMode:
    def __torch_function__(self, func, types, args=(), kwargs=None):
        return func(*args, **(kwargs or {}))

    def __enter__(self):
        raise NotImplementedError(
            "torch.overrides.TorchFunctionMode is not supported by chainrule"
        )

    def __exit__(self, *exc) -> None:
        return None
