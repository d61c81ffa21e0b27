"""``torch.autograd.graph``: the Node type and saved-tensor hooks (accepted, not used)."""

from __future__ import annotations

import contextlib

from .function import Node

__all__ = ["Node", "saved_tensors_hooks", "save_on_cpu", "disable_saved_tensors_hooks"]


class saved_tensors_hooks(contextlib.AbstractContextManager):  # noqa: N801
    """Accepted for compatibility; chainrule saves tensors without calling pack/unpack hooks."""

    def __init__(self, pack_hook, unpack_hook) -> None:
        self.pack_hook, self.unpack_hook = pack_hook, unpack_hook

    def __exit__(self, *exc) -> None:
        return None


class save_on_cpu(saved_tensors_hooks):  # noqa: N801
    def __init__(self, pin_memory: bool = False, device_type: str = "cuda") -> None:
        super().__init__(None, None)


@contextlib.contextmanager
def disable_saved_tensors_hooks(error_message: str):
    yield
