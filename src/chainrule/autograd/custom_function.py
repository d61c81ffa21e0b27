"""Custom differentiable functions: the public ``chainrule.autograd.Function`` (torch's API).

A subclass defines static ``forward(ctx, *args)`` on tensors and ``backward(ctx, *grads)``;
``apply`` runs forward without recording, then records one node whose ``backward`` is the
user's. It shares the graph nodes of :mod:`chainrule.autograd.function`.
"""

from __future__ import annotations

from . import function as _fn
from .function import Node
from .grad_mode import STATE as _GRAD

__all__ = ["Function", "FunctionCtx"]


class FunctionCtx(Node):
    """The ctx type seen by custom Functions (a Node)."""


class _FunctionMeta(type):
    def __init__(cls, name, bases, namespace) -> None:
        super().__init__(name, bases, namespace)
        cls.backward_name = f"{name}Backward"  # torch's name for custom-function nodes


class Function(metaclass=_FunctionMeta):
    """Custom differentiable functions, as ``torch.autograd.Function``.

    Subclass with static ``forward(ctx, *args)`` and ``backward(ctx, *grad_outputs)`` (or the
    torch 2 style ``forward(*args)`` plus ``setup_context(ctx, inputs, output)``), then call
    ``MyFn.apply(...)``. ``forward`` receives tensors and runs without recording a graph;
    ``backward`` returns one gradient (or None) per ``forward`` argument.
    """

    formula: str = ""

    def __init__(self, *args, **kwargs) -> None:
        pass

    @staticmethod
    def forward(*args, **kwargs):
        raise NotImplementedError(
            "You must implement the forward function for custom autograd.Function."
        )

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom "
            "autograd.Function to use it with backward mode AD."
        )

    vjp = backward

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError

    @classmethod
    def apply(cls, *args, **kwargs):
        T = _fn.Tensor
        record = _GRAD.enabled and any(isinstance(a, T) and a._rg for a in args)
        ctx = FunctionCtx(cls)
        ctx._to_save = None
        ctx._non_differentiable = ()
        ctx._dirty = ()
        ctx.needs_input_grad = tuple(isinstance(a, T) and a._rg for a in args)
        uses_setup = cls.setup_context is not Function.setup_context
        prev = _GRAD.enabled
        _GRAD.enabled = False
        try:
            if uses_setup:
                out = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, out)
            else:
                out = cls.forward(ctx, *args, **kwargs)
        finally:
            _GRAD.enabled = prev
        if not record:
            return out
        is_tuple = isinstance(out, tuple)
        outs = out if is_tuple else (out,)
        edges, in_meta = [], []
        for a in args:
            if isinstance(a, T) and a._rg:
                fn = a.grad_fn
                edges.append((fn, a._output_nr) if fn is not None else (a, 0))
                in_meta.append((a._data.shape, a._data.dtype))
            else:
                edges.append(None)
                in_meta.append(None)
        ctx.edges = edges
        ctx.in_meta = in_meta
        if _fn._anomaly is not None and _fn._anomaly.STATE.enabled:
            _fn._anomaly.record_forward(ctx, outs, args)
        non_diff = ctx._non_differentiable
        results = []
        for i, o in enumerate(outs):
            if not isinstance(o, T):
                results.append(o)
                continue
            differentiable = o.dtype.is_floating_point and not any(o is nd for nd in non_diff)
            if any(o is d for d in ctx._dirty):
                o._rg = differentiable
                o.grad_fn = ctx if differentiable else None
                o._output_nr = i
                o._vc[0] += 1
                results.append(o)
            else:
                node = ctx if differentiable else None
                results.append(_fn._make(o._data, differentiable, node, i))
        ctx.n_out = len(outs)
        ctx.out_meta = [(o._data.shape, o._data.dtype) if isinstance(o, T) else None for o in outs]
        if ctx._to_save is not None:
            saved = []
            for value in ctx._to_save:
                if value is None:
                    saved.append((None, None, None))
                    continue
                idx = next((i for i, o in enumerate(outs) if o is value), None)
                if idx is not None and isinstance(results[idx], T) and results[idx].grad_fn is ctx:
                    vc = results[idx]._vc
                    saved.append((_fn._OUTPUT, value._data, (vc, vc[0])))
                else:
                    saved.append((value, value, value._vc[0]))
            ctx.saved = saved
            ctx._to_save = None
        return tuple(results) if is_tuple else results[0]
