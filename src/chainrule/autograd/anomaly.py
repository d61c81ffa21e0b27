"""Anomaly detection: name the backward op that produced NaN/inf, with the forward traceback.

While enabled, every recorded node keeps the stack of the forward call that created it, and
the engine checks each backward's outputs.
"""

from __future__ import annotations

import traceback
import warnings

import numpy as np

from . import function as _function

__all__ = ["detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled"]


class _State:
    enabled = False
    check_nan = True


STATE = _State()
_function._anomaly = None  # set below, once this module is ready


def is_anomaly_enabled() -> bool:
    return STATE.enabled


def is_anomaly_check_nan_enabled() -> bool:
    return STATE.check_nan


def record_forward(node) -> None:
    node.stack = traceback.format_stack()[:-3]


def run_node(node, grads):
    grad_inputs = node.op.backward(node, *grads)
    outs = grad_inputs if isinstance(grad_inputs, tuple) else (grad_inputs,)
    if STATE.check_nan:
        for i, g in enumerate(outs):
            if g is not None and not np.all(np.isfinite(g._data)):
                kind = "nan" if np.isnan(g._data).any() else "inf"
                stack = getattr(node, "stack", None)
                origin = ("".join(stack[-6:]) if stack else
                          "(forward ran before anomaly mode was enabled; no traceback)\n")
                message = (
                    f"Function '{node.name()}' returned {kind} values in its {i}th output.\n"
                    f"Traceback of the forward call that created it:\n{origin}"
                )
                warnings.warn(
                    f"Error detected in {node.name()}. Traceback of forward call that caused "
                    f"the error:\n{origin}",
                    RuntimeWarning,
                    stacklevel=2,
                ) if False else None
                raise RuntimeError(message)
    return grad_inputs


class detect_anomaly:  # noqa: N801
    """Context manager: ``with torch.autograd.detect_anomaly(): loss.backward()``."""

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = check_nan
        self.prev = (False, True)

    def __enter__(self) -> None:
        self.prev = (STATE.enabled, STATE.check_nan)
        STATE.enabled, STATE.check_nan = True, self.check_nan

    def __exit__(self, *exc) -> None:
        STATE.enabled, STATE.check_nan = self.prev

    def __call__(self, fn):
        def wrapper(*args, **kwargs):
            with detect_anomaly(self.check_nan):
                return fn(*args, **kwargs)

        return wrapper


class set_detect_anomaly:  # noqa: N801
    """``torch.autograd.set_detect_anomaly(True)``: on now; also usable as a context manager."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.prev = (STATE.enabled, STATE.check_nan)
        STATE.enabled, STATE.check_nan = bool(mode), check_nan

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc) -> None:
        STATE.enabled, STATE.check_nan = self.prev


import sys  # noqa: E402

_function._anomaly = sys.modules[__name__]
