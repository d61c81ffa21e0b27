"""Reverse-mode automatic differentiation: ``backward``, ``grad``, grad modes, custom
Functions, gradcheck and anomaly detection."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import _array_engine
from . import engine as _engine
from . import function as _function
from .engine import run_backward
from .function import Function, FunctionCtx, Node
from .grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)

__all__ = [
    "backward", "grad", "Function", "FunctionCtx", "Node", "Variable", "no_grad",
    "enable_grad", "set_grad_enabled", "inference_mode", "is_grad_enabled",
    "is_inference_mode_enabled", "gradcheck", "gradgradcheck", "detect_anomaly",
    "set_detect_anomaly", "is_anomaly_enabled", "graph", "forward_ad", "functional",
]


def _tensor_list(x) -> list:
    if x is None:
        return []
    if isinstance(x, (list, tuple)):
        return list(x)
    return [x]


def _make_grads(outputs: list, grads: list, create_graph: bool) -> list:
    Tensor = _function.Tensor
    result = []
    for i, out in enumerate(outputs):
        g = grads[i] if i < len(grads) else None
        if g is None:
            if out._data.size != 1:
                raise RuntimeError(
                    "grad can be implicitly created only for scalar outputs (got an output of "
                    f"shape {list(out.shape)}; pass gradient= with that shape, e.g. "
                    "torch.ones_like(out))"
                )
            if out._data.dtype.kind != "f":  # complex too, as torch
                raise RuntimeError(
                    f"grad can be implicitly created only for real scalar outputs but got "
                    f"{out.dtype}"
                )
            g = _function._make(np.ones(out._data.shape, dtype=out._data.dtype), False, None)
        else:
            if not isinstance(g, Tensor):
                g = _function._make(np.asarray(g, dtype=out._data.dtype), False, None)
            if g._data.shape != out._data.shape:
                if g._data.size == out._data.size == 1:
                    g = g.reshape(out.shape)
                else:
                    raise RuntimeError(
                        f"Mismatch in shape: grad_output[{i}] has a shape of "
                        f"{g.shape} and output[{i}] has a shape of {out.shape}."
                    )
            if g._data.dtype != out._data.dtype:
                g = g.to(out.dtype)
            if not create_graph and g._rg:
                g = g.detach()
        result.append(g)
    return result


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
             grad_variables=None, inputs=None) -> None:
    """Computes the gradient of ``tensors`` w.r.t. graph leaves and accumulates it in ``.grad``.

    The chain rule runs from the outputs back to the leaves:
    ``dL/dx = sum over paths of (dL/dy) * (dy/dx)``.
    """
    if (
        grad_tensors is None
        and grad_variables is None
        and inputs is None
        and not create_graph
        and type(tensors) is _function.Tensor
        and tensors.grad_fn is not None
        and _engine.array_engine_applies()
    ):  # the common ``loss.backward()``: straight to the array engine
        data = tensors._data
        if data.size == 1 and data.dtype.kind == "f":
            seed = np.empty(data.shape, data.dtype)  # np.ones is a Python wrapper: ~8k instructions
            seed.fill(1)
            _array_engine.run_from(tensors.grad_fn, tensors._output_nr, seed, bool(retain_graph))
            return
    outs = _tensor_list(tensors)
    grads = _tensor_list(grad_tensors if grad_tensors is not None else grad_variables)
    for out in outs:
        if not out._rg:
            raise RuntimeError(
                "element 0 of tensors does not require grad and does not have a grad_fn"
            )
    if retain_graph is None:
        retain_graph = create_graph
    grads = _make_grads(outs, grads, create_graph)
    if inputs is not None:
        ins = _tensor_list(inputs)
        got = run_backward(outs, grads, retain_graph, create_graph, inputs=ins,
                           allow_unused=True, accumulate=False)
        from .engine import _accumulate  # noqa: PLC0415

        for t, g in zip(ins, got):
            if g is not None:
                _accumulate(t, g, create_graph, True)
        return
    run_backward(outs, grads, retain_graph, create_graph)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False,
         materialize_grads=False):
    """Returns d(outputs)/d(inputs) without touching any ``.grad``."""
    outs = _tensor_list(outputs)
    ins = _tensor_list(inputs)
    for t in ins:
        if not t._rg:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    for out in outs:
        if not out._rg:
            raise RuntimeError(
                "element 0 of tensors does not require grad and does not have a grad_fn"
            )
    if retain_graph is None:
        retain_graph = create_graph
    if allow_unused is None:
        allow_unused = materialize_grads
    grads = _make_grads(outs, _tensor_list(grad_outputs), create_graph)
    result = run_backward(outs, grads, retain_graph, create_graph, inputs=ins,
                          allow_unused=allow_unused, accumulate=False)
    if materialize_grads:
        result = tuple(
            g if g is not None else _function._make(np.zeros_like(t._data), False, None)
            for g, t in zip(result, ins)
        )
    return result


def Variable(data=None, requires_grad: bool = False, volatile: bool = False):  # noqa: N802
    """Legacy wrapper (torch < 0.4): returns the tensor itself, with ``requires_grad`` set."""
    from .._creation import tensor as _tensor_fn  # noqa: PLC0415

    Tensor = _function.Tensor
    t = data if isinstance(data, Tensor) else _tensor_fn(data)
    if volatile:
        import warnings  # noqa: PLC0415

        warnings.warn(
            "volatile was removed and now has no effect. Use `with torch.no_grad():` instead.",
            UserWarning,
            stacklevel=2,
        )
    if requires_grad:
        t.requires_grad_(True)
    return t


from .anomaly import detect_anomaly, is_anomaly_enabled, set_detect_anomaly  # noqa: E402
from .gradcheck import gradcheck, gradgradcheck  # noqa: E402
from . import graph, forward_ad  # noqa: E402,F401
# autograd.functional (jacobian, hessian) builds on ops: chainrule/__init__ imports it

_ = Sequence
