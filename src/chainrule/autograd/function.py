"""Graph nodes and the op-definition pattern.

Every differentiable op is a ``Function`` subclass with ``forward`` and ``backward`` side by side
and its derivative written out in ``formula``::

    class Exp(Function):
        formula = "y = exp(x);  dx = dy * y"

        @staticmethod
        def forward(ctx, x):            # x: ndarray
            y = np.exp(x)
            ctx.save_for_backward(y)     # the output: saved without a reference cycle
            return y

        @staticmethod
        def backward(ctx, dy):          # dy: Tensor
            (y,) = ctx.saved_tensors
            return dy * y                # chainrule Tensor ops: create_graph works for free

``forward`` runs on raw arrays; ``backward`` on Tensors, so the engine can record the backward
pass itself when ``create_graph=True``. ``Op.apply`` records a :class:`Node` only when grad mode is
on and an input requires grad. Arrays passed to ``save_for_backward`` are matched, by identity,
to the op's input tensors (saved as tensors, with their version) or to its output (saved as data
and rebuilt with this node as ``grad_fn`` on unpack: the node never holds its output tensor).

The public ``chainrule.autograd.Function`` (custom functions, as in torch) uses the same nodes;
its ``forward`` receives tensors.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .grad_mode import STATE as _GRAD

_generic = np.generic
_asarray = np.asarray

__all__ = ["Node", "Op", "Function", "FunctionCtx", "AccumulateGrad"]

_FREED_MSG = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward."
)

_OUTPUT = object()  # marks a saved slot that holds this node's own output
_ALIASED = object()  # a saved input whose array several input tensors share (x.mul_(x))
_FREED = ("freed",)
_NOTHING = (None, None, None)  # a saved None

Tensor: Any = None  # set by chainrule._tensor (import order: tensor first, then autograd)
_make = None
_anomaly = None  # set by chainrule.autograd.anomaly


class Node:
    """One recorded op in the backward graph: torch's ``grad_fn``, and the ``ctx`` of its op.

    Attributes:
        op: the Function subclass whose ``backward`` this node runs.
        edges: per op input, ``(target, output_nr)`` or ``None``; the target is the input's
            ``grad_fn`` Node, or the input tensor itself when it is a leaf that requires grad.
        in_meta: per op input, ``(shape, numpy dtype)`` or ``None``; the engine reduces and casts
            each gradient to it.
    """

    # Plain attributes (no __slots__): the defaults below live on the class, so recording a node
    # sets only what differs (op, edges, in_meta, saved).
    saved = None
    pre_hooks = None
    post_hooks = None
    retained = None
    n_out = 1
    out_meta = None
    materialize_grads = True
    stack = None
    metadata_ = None
    _to_save = None
    _non_differentiable = ()
    _dirty = ()
    edges: list = []
    in_meta: list = []


    def __init__(self, op) -> None:
        self.op = op

    # -- ctx API (used inside forward/backward) -------------------------------------------
    def save_for_backward(self, *values) -> None:
        """Saves arrays (inside an op's forward) or tensors (inside a custom Function)."""
        self._to_save = values

    @property
    def saved_tensors(self) -> tuple:
        saved = self.saved
        if saved is None:
            return ()
        if saved is _FREED:
            raise RuntimeError(_FREED_MSG)
        out = []
        for kind, value, version in saved:
            if kind is _OUTPUT:
                if version is not None and version[0][0] != version[1]:
                    self._raise_modified(_make(value, False, None), version[0][0], version[1],
                                         self.name())
                t = _make(value, True, self)
            elif version is None:
                t = value
            elif kind is _ALIASED:
                for alias, v in version:
                    if alias._vc[0] != v:
                        self._raise_modified(alias, alias._vc[0], v)
                t = value
            else:
                if value._vc[0] != version:
                    self._raise_modified(value, value._vc[0], version)
                t = value
            out.append(t)
        return tuple(out)

    def _raise_modified(self, value, now: int, expected: int, creator: str | None = None):
        creator = creator or _creator_name(value)
        # torch's text first (it names the forward op, "Sigmoid", and nothing for a leaf),
        # then which backward saved the tensor
        which = "" if creator == "AccumulateGrad" else (
            f", which is output 0 of {creator.split('Backward')[0]},")
        raise RuntimeError(
            "one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: [{value.type_name()} {list(value.shape)}]{which} is at "
            f"version {now}; expected version {expected} instead. Hint: enable anomaly detection "
            "to find the operation that failed to compute its gradient, with "
            "torch.autograd.set_detect_anomaly(True, check_nan=False). (The operation that saved "
            f"it is {self.name()}; avoid changing this tensor in place before backward, or "
            "clone() it first.)"
        )

    @property
    def saved_arrays(self) -> tuple:
        """The saved values as raw arrays (for backward code that needs no graph)."""
        saved = self.saved
        if saved is None:
            return ()
        if saved is _FREED:
            raise RuntimeError(_FREED_MSG)
        out = []
        for kind, value, version in saved:
            if type(version) is int:  # an input, (tensor, tensor, version): the common case
                if value._vc[0] != version:
                    break
                out.append(value._data)
            elif kind is _OUTPUT:
                if version is not None and version[0][0] != version[1]:
                    break
                out.append(value)
            elif version is None:  # a constant, or a saved None
                out.append(None if value is None else value._data)
            else:  # one array shared by several inputs: each one's version is checked below
                break
        else:
            return tuple(out)
        # a version changed (saved_tensors raises torch's error) or aliases need their check
        return tuple(None if t is None else t._data for t in self.saved_tensors)

    def mark_non_differentiable(self, *tensors) -> None:
        self._non_differentiable = tensors

    def mark_dirty(self, *tensors) -> None:
        self._dirty = tensors

    def set_materialize_grads(self, value: bool) -> None:
        self.materialize_grads = bool(value)

    # -- grad_fn API -------------------------------------------------------------------------
    def name(self) -> str:
        return self.op.backward_name

    @property
    def next_functions(self) -> tuple:
        result = []
        for edge in self.edges:
            if edge is None:
                result.append((None, 0))
            elif isinstance(edge[0], Node):
                result.append(edge)
            else:
                result.append((AccumulateGrad(edge[0]), 0))
        return tuple(result)

    @property
    def metadata(self) -> dict:
        if getattr(self, "metadata_", None) is None:
            self.metadata_ = {}
        return self.metadata_

    def register_hook(self, fn):
        """``fn(grad_inputs, grad_outputs)`` runs after this node's backward."""
        if self.post_hooks is None:
            self.post_hooks = []
        self.post_hooks.append(fn)
        return _RemovableHandle(self.post_hooks, fn)

    def register_prehook(self, fn):
        """``fn(grad_outputs)`` runs before this node's backward; may return new grads."""
        return self._add_pre_hook(-1, fn)

    def _add_pre_hook(self, output_nr: int, fn):
        if self.pre_hooks is None:
            self.pre_hooks = []
        entry = (output_nr, fn)
        self.pre_hooks.append(entry)
        return _RemovableHandle(self.pre_hooks, entry)

    def __call__(self, *grads):
        return self.op.backward(self, *grads)

    def __repr__(self) -> str:
        return f"<{self.name()} object at {hex(id(self))}>"

    def _release(self) -> None:
        if self.saved is not None:
            self.saved = _FREED


def _creator_name(t) -> str:
    return t.grad_fn.name() if t.grad_fn is not None else "AccumulateGrad"


class AccumulateGrad:
    """The sink a leaf's gradient flows into (shown in ``next_functions``)."""

    __slots__ = ("variable",)

    def __init__(self, variable) -> None:
        self.variable = variable

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    next_functions = ()

    def __repr__(self) -> str:
        return f"<AccumulateGrad object at {hex(id(self))}>"

    def __eq__(self, other) -> bool:
        return isinstance(other, AccumulateGrad) and other.variable is self.variable

    def __hash__(self) -> int:
        return id(self.variable)


class _RemovableHandle:
    __slots__ = ("_list", "_item", "id")
    _next_id = 0

    def __init__(self, container, item) -> None:
        self._list = container
        self._item = item
        _RemovableHandle._next_id += 1
        self.id = _RemovableHandle._next_id

    def remove(self) -> None:
        try:
            if isinstance(self._list, dict):
                self._list.pop(self._item, None)
            else:
                self._list.remove(self._item)
        except ValueError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.remove()


class _OpMeta(type):
    def __init__(cls, name, bases, namespace) -> None:
        super().__init__(name, bases, namespace)
        if "backward_name" not in namespace:
            cls.backward_name = f"{name}Backward0"


class Op(metaclass=_OpMeta):
    """Base of chainrule's primitive ops: ``forward`` on arrays, ``backward`` on Tensors.

    An op on the hot path may also define ``backward_arrays(ctx, *grad_arrays)``: the same
    formula on raw arrays, which the engine uses when no graph of the backward pass is being
    built (``create_graph=False``, the common case). ``backward`` stays the reference (it is what
    ``create_graph=True`` differentiates), and the op tests check both.
    """

    formula: str = ""
    backward_arrays = None

    @staticmethod
    def forward(ctx: Node, *args, **kwargs):
        raise NotImplementedError

    @staticmethod
    def backward(ctx: Node, *grad_outputs):
        raise NotImplementedError

    @classmethod
    def apply(cls, *args, **kwargs):
        T = Tensor
        if _GRAD.enabled:
            for a in args:
                if isinstance(a, T) and a._rg:
                    return _apply_recording(cls, args, kwargs)
        if len(args) == 2:  # the common binary op: no list to build
            a, b = args
            out = cls.forward(_Scratch(), a._data if isinstance(a, T) else a,
                              b._data if isinstance(b, T) else b, **kwargs)
        else:
            out = cls.forward(_Scratch(), *[a._data if isinstance(a, T) else a for a in args],
                              **kwargs)
        if type(out) is tuple:
            return tuple(_make(_asarray(o) if isinstance(o, _generic) else o, False, None)
                         for o in out)
        if isinstance(out, _generic):  # NumPy ufuncs on 0-d arrays return scalars
            out = _asarray(out)
        return _make(out, False, None)


class _Scratch:
    """A throwaway ctx for ops run without recording (grad off): saving is a no-op."""

    needs_input_grad = ()

    def save_for_backward(self, *values) -> None:
        pass

_new = object.__new__
_ndarray = np.ndarray


def _apply_recording(cls, args, kwargs):
    """Runs ``cls.forward`` and records its node (the hot path of every op with grad)."""
    T = Tensor
    ctx = _new(Node)
    ctx.op = cls
    arrays = []
    needs = []
    edges = []
    in_meta = []
    for a in args:
        if isinstance(a, T):
            d = a._data
            arrays.append(d)
            if a._rg:
                needs.append(True)
                fn = a.grad_fn
                edges.append((fn, a._output_nr) if fn is not None else (a, 0))
                in_meta.append((d.shape, d.dtype))
                continue
        else:
            arrays.append(a)
        needs.append(False)
        edges.append(None)
        in_meta.append(None)
    ctx.needs_input_grad = needs
    out = cls.forward(ctx, *arrays, **kwargs)
    if type(out) is not _ndarray and (isinstance(out, _generic) or (
        type(out) is tuple and any(isinstance(o, _generic) for o in out)
    )):
        out = _scalars_to_arrays(ctx, out)
    ctx.edges = edges
    ctx.in_meta = in_meta
    if _anomaly is not None and _anomaly.STATE.enabled:
        _anomaly.record_forward(ctx, out, arrays)
    if type(out) is tuple:
        ctx.n_out = len(out)
        ctx.out_meta = [(o.shape, o.dtype) for o in out]
        results = tuple(_make(o, o.dtype.kind in "fc", ctx, i) for i, o in enumerate(out))
    else:
        results = _make(out, True, ctx)
    to_save = ctx._to_save
    if to_save is not None:
        ctx._to_save = None
        ctx.saved = _saved_entries(to_save, args, arrays, out, results)
    return results


def _saved_entries(to_save: tuple, args, arrays: list, out, results) -> list:
    """What ``save_for_backward`` saved, resolved (see ``_resolve_saved``); the two common
    cases inline: an input's array (saved as its tensor and version) and the single output
    (saved as data, with its tensor's version counter: an in-place change of the output is
    refused at backward, as torch does)."""
    T = Tensor
    saved = []
    track = False
    for value in to_save:
        if value is None:
            saved.append(_NOTHING)
            continue
        k = -1  # the one input whose array it is (-2: several inputs share it)
        i = 0
        for arr in arrays:
            if arr is value:
                if k >= 0:
                    k = -2
                    break
                k = i
            i += 1
        if k >= 0:
            a = args[k]
            if isinstance(a, T):
                saved.append((a, a, a._vc[0]))
                continue
        elif k == -1 and value is out and type(out) is not tuple:
            saved.append((_OUTPUT, value, (results._vc, 0)))
            continue
        entry = _resolve_saved(value, args, arrays, out)  # the full rules
        if entry[0] is _OUTPUT:
            track = True
        saved.append(entry)
    if track:
        _track_saved_outputs(saved, results)
    return saved


def _track_saved_outputs(saved: list, results) -> None:
    """A saved output keeps its tensor's version counter (not the tensor: no cycle), so an
    in-place change of the output is refused at backward, as torch does."""
    outs = results if type(results) is tuple else (results,)
    for k, (kind, value, _version) in enumerate(saved):
        if kind is _OUTPUT:
            for t in outs:
                if t._data is value:
                    saved[k] = (_OUTPUT, value, (t._vc, t._vc[0]))
                    break


def _scalars_to_arrays(ctx, out):
    """NumPy ufuncs on 0-d arrays return scalars: make them 0-d arrays, and keep an output
    the op saved recognizable as that output (so second derivatives flow through it)."""
    outs = out if type(out) is tuple else (out,)
    fixed = tuple(_asarray(o) if isinstance(o, _generic) else o for o in outs)
    if ctx._to_save is not None:
        swap = {id(o): f for o, f in zip(outs, fixed)}
        ctx._to_save = tuple(swap.get(id(v), v) if v is not None else None
                             for v in ctx._to_save)
    return fixed if type(out) is tuple else fixed[0]


def _resolve_saved(value, args, arrays, out):
    if value is None:
        return (None, None, None)
    n = len(arrays)
    for k in range(n):
        if arrays[k] is value and isinstance(args[k], Tensor):
            a = args[k]
            for j in range(k + 1, n):
                if arrays[j] is value and isinstance(args[j], Tensor) and args[j] is not a:
                    # e.g. y.mul_(y.detach()): a change through any of them is a change
                    same = [b for b, brr in zip(args[k + 1:], arrays[k + 1:])
                            if brr is value and isinstance(b, Tensor) and b is not a]
                    return (_ALIASED, a, tuple((t, t._vc[0]) for t in (a, *same)))
            return (a, a, a._vc[0])
    if value is out or (type(out) is tuple and any(value is o for o in out)):
        return (_OUTPUT, value, None)
    if isinstance(value, Tensor):
        return (value, value, value._vc[0])
    if isinstance(value, _generic):
        value = _asarray(value)
    return (None, _make(value, False, None), None)


# The public custom-Function API lives in its own file; re-exported here (torch's path).
from .custom_function import Function, FunctionCtx  # noqa: E402,F401
