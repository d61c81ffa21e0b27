"""``torch.utils.hooks``: ``RemovableHandle`` for hooks stored in a dict."""

from __future__ import annotations

import weakref
from typing import Any

__all__ = ["RemovableHandle", "unserializable_hook", "warn_if_has_hooks"]


class RemovableHandle:
    """``handle.remove()`` deletes the hook it was returned for (also as a context manager).

    Args:
        hooks_dict: the dict the hook is stored in, under ``handle.id``.
        extra_dict: more dicts (or one) to remove ``handle.id`` from.
    """

    next_id: int = 0

    def __init__(self, hooks_dict: Any, *, extra_dict: Any = None) -> None:
        self.hooks_dict_ref = _ref(hooks_dict)
        self.id = RemovableHandle.next_id
        RemovableHandle.next_id += 1
        extras = [] if extra_dict is None else (
            extra_dict if isinstance(extra_dict, list) else [extra_dict])
        self.extra_dict_ref = tuple(_ref(d) for d in extras)

    def remove(self) -> None:
        hooks = self.hooks_dict_ref()
        if hooks is not None and self.id in hooks:
            del hooks[self.id]
        for ref in self.extra_dict_ref:
            extra = ref()
            if extra is not None and self.id in extra:
                del extra[self.id]

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc) -> None:
        self.remove()


def _ref(container):
    """A weak reference where possible (OrderedDict); plain dicts are held strongly."""
    try:
        return weakref.ref(container)
    except TypeError:
        return lambda: container


def unserializable_hook(f):
    f.__torch_unserializable__ = True
    return f


def warn_if_has_hooks(tensor) -> None:
    return None
