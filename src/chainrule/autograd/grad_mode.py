"""Grad mode: whether ops record the graph. Context managers that also work as decorators."""

from __future__ import annotations

import functools
import inspect

__all__ = [
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "inference_mode",
    "is_grad_enabled",
    "is_inference_mode_enabled",
]


class _GradState:
    __slots__ = ("enabled", "inference")

    def __init__(self) -> None:
        self.enabled = True
        self.inference = False


STATE = _GradState()


def is_grad_enabled() -> bool:
    return STATE.enabled


def is_inference_mode_enabled() -> bool:
    return STATE.inference


class _DecoratorContextManager:
    """A context manager usable as ``@no_grad()`` (and, like torch, as ``@no_grad``)."""

    def __call__(self, func):
        if inspect.isclass(func) or not callable(func):
            raise TypeError(f"{type(self).__name__} can decorate functions, got {func!r}")
        if inspect.isgeneratorfunction(func):

            @functools.wraps(func)
            def generator_wrapper(*args, **kwargs):
                gen = func(*args, **kwargs)
                with self.clone():
                    response = gen.send(None)
                while True:
                    try:
                        request = yield response
                    except GeneratorExit:
                        gen.close()
                        raise
                    with self.clone():
                        response = gen.send(request)

            return generator_wrapper

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.clone():
                return func(*args, **kwargs)

        return wrapper

    def clone(self):
        return type(self)()


class _FixedGradMode(_DecoratorContextManager):
    """Grad mode set to the class's ``_mode`` inside the block (``no_grad``, ``enable_grad``)."""

    _mode: bool

    def __new__(cls, func=None):
        self = super().__new__(cls)
        if func is not None and callable(func):  # used as @no_grad without parentheses
            return self(func)
        return self

    def __init__(self, func=None) -> None:
        self._prev = True

    def __enter__(self) -> None:
        self._prev = STATE.enabled
        STATE.enabled = self._mode

    def __exit__(self, *exc) -> None:
        STATE.enabled = self._prev


class no_grad(_FixedGradMode):  # noqa: N801
    """Disables graph recording: results of ops do not require grad."""

    _mode = False


class enable_grad(_FixedGradMode):  # noqa: N801
    """Enables graph recording inside a ``no_grad`` block."""

    _mode = True


class set_grad_enabled(_DecoratorContextManager):  # noqa: N801
    """Sets grad mode on or off; immediately (as a function) and as a context manager."""

    def __init__(self, mode: bool) -> None:
        self._prev = STATE.enabled
        self.mode = bool(mode)
        STATE.enabled = self.mode

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc) -> None:
        STATE.enabled = self._prev

    def clone(self):
        return set_grad_enabled(self.mode)


class inference_mode(_DecoratorContextManager):  # noqa: N801
    """Like ``no_grad``: chainrule has no separate inference tensors."""

    def __new__(cls, mode=True):
        self = super().__new__(cls)
        if callable(mode):
            self.mode = True
            return self(mode)
        return self

    def __init__(self, mode: bool = True) -> None:
        self.mode = True if callable(mode) else bool(mode)
        self._prev = (True, False)

    def __enter__(self) -> None:
        self._prev = (STATE.enabled, STATE.inference)
        if self.mode:
            STATE.enabled = False
            STATE.inference = True

    def __exit__(self, *exc) -> None:
        STATE.enabled, STATE.inference = self._prev

    def clone(self):
        return inference_mode(self.mode)
