"""``torch.utils.hooks``: ``RemovableHandle`` for hooks stored in a dict.

The handle is the one modules return from their ``register_*_hook`` methods, as in torch.
"""

from __future__ import annotations

from ..nn.modules._hooks import RemovableHandle

__all__ = ["RemovableHandle", "unserializable_hook", "warn_if_has_hooks"]


def unserializable_hook(f):
    f.__torch_unserializable__ = True
    return f


def warn_if_has_hooks(tensor) -> None:
    return None
