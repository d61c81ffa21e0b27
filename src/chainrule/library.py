"""``torch.library``: registering custom operators with the dispatcher. chainrule has no
dispatcher: define a ``torch.autograd.Function`` instead. Creating one raises."""

from __future__ import annotations

__all__ = ["Library", "custom_op", "define", "impl", "register_autograd", "register_fake"]


def _unsupported(feature: str):
    raise NotImplementedError(
        f"torch.library.{feature}: custom operator registration is not supported by chainrule "
        "(no dispatcher); write a torch.autograd.Function subclass instead"
    )


class Library:
    def __init__(self, ns, kind, dispatch_key="") -> None:
        _unsupported("Library")


def custom_op(name, fn=None, /, *, mutates_args=(), device_types=None, schema=None):
    _unsupported("custom_op")


def register_fake(op, func=None, /, *, lib=None, _stacklevel=1):
    _unsupported("register_fake")


def impl(*args, **kwargs):
    _unsupported("impl")


def define(*args, **kwargs):
    _unsupported("define")


def register_autograd(*args, **kwargs):
    _unsupported("register_autograd")
