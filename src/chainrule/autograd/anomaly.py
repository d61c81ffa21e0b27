"""Anomaly detection: name the op that produced NaN/inf, with the forward traceback.

While enabled (``with torch.autograd.detect_anomaly():`` or ``set_detect_anomaly(True)``):

- every recorded node keeps the stack of the forward call that created it;
- a forward op whose output has NaN although its inputs had none warns
  (:class:`AnomalyWarning`) at the user's line: that is where the NaN first appeared;
- after each backward step the engine checks the gradients the node returned; a NaN or inf
  raises ``RuntimeError`` naming the backward op (``LogBackward0``), its local derivative
  formula, the first bad element, and the traceback of the forward call that created the node.

Disabled (the default), none of this runs: ``Op.apply`` and the engine test one flag.
"""

from __future__ import annotations

import os
import traceback
import warnings

import numpy as np

from . import function as _function

__all__ = ["detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled", "AnomalyWarning"]

_PKG = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # .../chainrule
# frames of the machinery itself: hidden from the traceback shown to the user
_INTERNAL = tuple(os.path.join(_PKG, p) for p in ("autograd", "ops", "_tensor", "_toplevel"))


class AnomalyWarning(UserWarning):
    """A forward op produced NaN from NaN-free inputs while anomaly mode was on."""


class _State:
    enabled = False
    check_nan = True


STATE = _State()
_function._anomaly = None  # set below, once this module is ready


def is_anomaly_enabled() -> bool:
    return STATE.enabled


def is_anomaly_check_nan_enabled() -> bool:
    return STATE.check_nan


def _user_frames(stack) -> list:
    frames = [f for f in stack if not os.path.abspath(f.filename).startswith(_INTERNAL)]
    return frames or list(stack)


def _format_stack(stack, limit: int = 8) -> str:
    if not stack:
        return "  (the forward ran before anomaly mode was enabled: no traceback recorded)\n"
    frames = _user_frames(stack)[-limit:]
    return "".join(traceback.format_list(frames))


def _arrays(values) -> list:
    if values is None:
        return []
    if not isinstance(values, (tuple, list)):
        values = (values,)
    Tensor = _function.Tensor
    out = []
    for v in values:
        if Tensor is not None and isinstance(v, Tensor):
            v = v._data
        if isinstance(v, np.ndarray) and v.dtype.kind in "fc":
            out.append(v)
    return out


def record_forward(node, outputs=None, inputs=()) -> None:
    """Called by ``Op.apply``/``Function.apply`` for each recorded node while enabled."""
    node.stack = traceback.extract_stack()[:-2]
    if not STATE.check_nan:
        return
    outs = _arrays(outputs)
    for i, o in enumerate(outs):
        if np.isnan(o).any() and not any(np.isnan(a).any() for a in _arrays(list(inputs))):
            _warn_forward_nan(node, i, o)
            return


def _warn_forward_nan(node, index: int, out: np.ndarray) -> None:
    frames = [f for f in node.stack if not os.path.abspath(f.filename).startswith(_PKG)]
    where = frames[-1] if frames else node.stack[-1]
    bad = int(np.isnan(out).sum())
    first = tuple(int(i) for i in np.argwhere(np.isnan(out))[0]) if out.ndim else ()
    message = (
        f"Anomaly detected in forward: {node.name()} produced nan in its output {index} "
        f"({bad} of {out.size} elements, first at index {first}) from inputs without nan.\n"
        f"  op: {getattr(node.op, 'formula', '') or node.name()}\n"
        f"Traceback of the forward call:\n{_format_stack(node.stack)}"
    )
    warnings.warn_explicit(message, AnomalyWarning, where.filename, where.lineno or 0)


def run_node(node, grads):
    """Runs ``node``'s backward and checks what it returned (the engine calls this)."""
    grad_inputs = node.op.backward(node, *grads)
    if not STATE.check_nan:
        return grad_inputs
    outs = grad_inputs if isinstance(grad_inputs, tuple) else (grad_inputs,)
    for i, g in enumerate(outs):
        if g is None:
            continue
        data = g._data
        finite = np.isfinite(data)
        if finite.all():
            continue
        kind = "nan" if np.isnan(data).any() else "inf"
        raise RuntimeError(_backward_report(node, i, data, finite, kind, grads))
    return grad_inputs


def _backward_report(node, index: int, data, finite, kind: str, grads) -> str:
    name = node.name()
    bad = np.argwhere(~finite)
    first = tuple(int(i) for i in bad[0]) if data.ndim else ()
    upstream = [g for g in grads if g is not None]
    up_finite = all(np.isfinite(g._data).all() for g in upstream)
    formula = getattr(node.op, "formula", "")
    lines = [
        f"Function '{name}' returned {kind} values in its {index}th output.",
        f"  that is the gradient for input {index} of the forward op, shape "
        f"{tuple(data.shape)}: {len(bad)} of {data.size} elements are not finite, first at "
        f"index {first} (value {data[first] if data.ndim else data.item()}).",
    ]
    if formula:
        lines.append(f"  local derivative of {name}: {formula}")
    lines.append(
        "  the upstream gradient it received was finite, so this op made the "
        f"{kind} (look for a division by zero, log(0), sqrt at 0 or 0 * inf in its formula)."
        if up_finite
        else "  the upstream gradient it received was already not finite."
    )
    lines.append(f"Traceback of the forward call that created {name} (most recent call last):")
    return "\n".join(lines) + "\n" + _format_stack(getattr(node, "stack", None)).rstrip("\n")


class detect_anomaly:  # noqa: N801
    """Context manager / decorator: ``with torch.autograd.detect_anomaly(): loss.backward()``.

    Args:
        check_nan: check gradients (and forward outputs) for NaN/inf; with False only the
            forward tracebacks are recorded.
    """

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
