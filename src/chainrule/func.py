"""``torch.func``: function transforms, built on chainrule's reverse-mode autograd.

``grad``/``grad_and_value`` differentiate a scalar function by a backward pass (nestable:
inner passes use ``create_graph``); ``jacrev``/``jacfwd``/``hessian`` use
``autograd.functional``; ``functional_call`` runs a module with substituted parameters and
buffers; ``vmap`` maps over a batch dim by running the function per slice and stacking (correct
for any function, not fast).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from ._tensor import Tensor
from .autograd import grad as _autograd_grad
from .autograd.grad_mode import enable_grad

__all__ = [
    "functional_call",
    "grad",
    "grad_and_value",
    "hessian",
    "jacfwd",
    "jacrev",
    "stack_module_state",
    "vjp",
    "vmap",
]


def _as_tuple(argnums) -> tuple[int, ...]:
    return (argnums,) if isinstance(argnums, int) else tuple(argnums)


# How many transforms are running: an inner transform's results must keep their graph (the
# outer one differentiates them); the outermost one's results are plain tensors, as torch's,
# unless they depend on tensors that require grad outside the transform.
_LEVEL = [0]


@contextlib.contextmanager
def _transform_level():
    _LEVEL[0] += 1
    try:
        yield
    finally:
        _LEVEL[0] -= 1


def _keeps_graph(outer: bool, originals: list, out: Tensor, leaves: list) -> bool:
    """Whether a transform's results stay in the autograd graph: inside another transform,
    or when the output reaches a tensor requiring grad other than the fresh ``leaves``."""
    if not outer or any(isinstance(a, Tensor) and a.requires_grad for a in originals):
        return True
    ids = {id(t) for t in leaves}
    pending = [out.grad_fn] if out.grad_fn is not None else []
    seen: set[int] = set()
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        for nxt, _ in node.next_functions:
            if nxt is None:
                continue
            variable = getattr(nxt, "variable", None)
            if variable is not None:
                if id(variable) not in ids:
                    return True
            else:
                pending.append(nxt)
    return False


def _plain(value):
    if isinstance(value, Tensor):
        return value.detach()
    if isinstance(value, (tuple, list)):
        return type(value)(_plain(v) for v in value)
    return value


def grad_and_value(func: Callable, argnums=0, has_aux: bool = False) -> Callable:
    """Returns ``f(*args) -> (d func/d args[argnums], func(*args))`` for a scalar ``func``."""
    def wrapper(*args, **kwargs):
        nums = _as_tuple(argnums)
        args = list(args)
        originals = [args[i] for i in nums]
        outer = _LEVEL[0] == 0
        for i in nums:
            a = args[i]
            # a fresh leaf that still carries the outer graph (for nested transforms)
            args[i] = a.view_as(a) if a.requires_grad else a.detach().requires_grad_(True)
        with enable_grad(), _transform_level():
            out = func(*args, **kwargs)
            aux = None
            if has_aux:
                out, aux = out
            if not isinstance(out, Tensor) or out.numel() != 1:
                raise RuntimeError(
                    "grad_and_value(f)(*args): Expected f(*args) to return a scalar Tensor, "
                    f"got tensor with {out.dim() if isinstance(out, Tensor) else '?'} dims"
                )
            grads = _autograd_grad(out, [args[i] for i in nums], create_graph=True,
                                   allow_unused=True)
        grads = tuple(g if g is not None else args[i].detach() * 0 for g, i in zip(grads, nums))
        result = grads[0] if isinstance(argnums, int) else grads
        value = out if not has_aux else (out, aux)
        if not _keeps_graph(outer, originals, out, [args[i] for i in nums]):
            return _plain(result), _plain(value)
        return result, value

    return wrapper


def grad(func: Callable, argnums=0, has_aux: bool = False) -> Callable:
    """Returns ``f(*args) -> d func / d args[argnums]`` for a scalar-valued ``func``."""
    gv = grad_and_value(func, argnums, has_aux)

    def wrapper(*args, **kwargs):
        g, value = gv(*args, **kwargs)
        return (g, value[1]) if has_aux else g

    return wrapper


def vjp(func: Callable, *primals, has_aux: bool = False):
    """``(func(*primals), vjp_fn)`` with ``vjp_fn(cotangent) -> grads per primal``."""
    ins = [p.detach().requires_grad_(True) for p in primals]
    with enable_grad():
        out = func(*ins)
    aux = None
    if has_aux:
        out, aux = out

    def vjp_fn(cotangent):
        gs = _autograd_grad(out, ins, cotangent, retain_graph=True, allow_unused=True)
        return tuple(g if g is not None else p.detach() * 0 for g, p in zip(gs, ins))

    return (out, vjp_fn, aux) if has_aux else (out, vjp_fn)


def _jacobian(out: Tensor, inputs: list) -> list:
    """Rows of d out / d inputs by one backward pass per output element (graph kept)."""
    from .ops.rearrange import stack

    flat = out.reshape(-1)
    rows: list[list] = [[] for _ in inputs]
    for i in range(flat.shape[0]):
        gs = _autograd_grad(flat[i], inputs, retain_graph=True, create_graph=True,
                            allow_unused=True)
        for k, (g, t) in enumerate(zip(gs, inputs)):
            rows[k].append(g if g is not None else t.detach() * 0)
    return [stack(r).reshape(tuple(out.shape) + tuple(t.shape)) for r, t in zip(rows, inputs)]


def jacrev(func: Callable, argnums=0, *, has_aux: bool = False) -> Callable:
    """Jacobian by reverse mode: shape ``out.shape + input.shape`` (nestable)."""
    if has_aux:
        raise NotImplementedError("chainrule: torch.func.jacrev(has_aux=True) is not supported")

    def wrapper(*args):
        nums = _as_tuple(argnums)
        args = list(args)
        originals = [args[i] for i in nums]
        outer = _LEVEL[0] == 0
        for i in nums:
            a = args[i]
            args[i] = a.view_as(a) if a.requires_grad else a.detach().requires_grad_(True)
        with enable_grad(), _transform_level():
            out = func(*args)
            jac = _jacobian(out, [args[i] for i in nums])
        if not _keeps_graph(outer, originals, out, [args[i] for i in nums]):
            jac = _plain(jac)
        return jac[0] if isinstance(argnums, int) else tuple(jac)

    return wrapper


jacfwd = jacrev


def hessian(func: Callable, argnums=0) -> Callable:
    return jacrev(jacrev(func, argnums), argnums)


def vmap(func: Callable, in_dims=0, out_dims=0, randomness: str = "error", *,
         chunk_size=None) -> Callable:
    """Maps ``func`` over dim ``in_dims`` of its tensor arguments and stacks the results."""
    from .ops.rearrange import stack

    def wrapper(*args):
        dims = in_dims if isinstance(in_dims, (tuple, list)) else (in_dims,) * len(args)
        sizes = {a.shape[d] for a, d in zip(args, dims) if d is not None and
                 isinstance(a, Tensor)}
        if len(sizes) != 1:
            raise ValueError(
                f"vmap: Expected all tensors to have the same size in the mapped dimension, "
                f"got sizes {sorted(sizes)} for the mapped dimension"
            )
        (n,) = sizes
        results = []
        for i in range(n):
            call = [a.select(d, i) if d is not None and isinstance(a, Tensor) else a
                    for a, d in zip(args, dims)]
            results.append(func(*call))
        if isinstance(results[0], tuple):
            od = out_dims if isinstance(out_dims, (tuple, list)) else (out_dims,) * len(
                results[0])
            return tuple(stack([r[k] for r in results], od[k]) for k in range(len(results[0])))
        return stack(results, out_dims)

    return wrapper


@contextlib.contextmanager
def _swapped(module, tensors: dict[str, Tensor]):
    saved: list[tuple[Any, str, Any]] = []
    try:
        for name, value in tensors.items():
            owner = module
            *path, leaf = name.split(".")
            for part in path:
                owner = getattr(owner, part)
            store = None
            for registry in ("_parameters", "_buffers"):
                reg = owner.__dict__.get(registry)
                if reg is not None and leaf in reg:
                    store = reg
            if store is None:
                raise ValueError(f"functional_call: unknown parameter or buffer {name!r}")
            saved.append((store, leaf, store[leaf]))
            store[leaf] = value
        yield
    finally:
        for store, leaf, old in reversed(saved):
            store[leaf] = old


def functional_call(module, parameter_and_buffer_dicts, args=(), kwargs=None, *,
                    tie_weights: bool = True, strict: bool = False):
    """Calls ``module(*args, **kwargs)`` with its parameters/buffers replaced by the dict's."""
    if isinstance(parameter_and_buffer_dicts, (list, tuple)):
        merged: dict = {}
        for d in parameter_and_buffer_dicts:
            merged.update(d)
    else:
        merged = dict(parameter_and_buffer_dicts)
    if not isinstance(args, tuple):
        args = (args,)
    with _swapped(module, merged):
        return module(*args, **(kwargs or {}))


def stack_module_state(models):
    """(params, buffers) dicts whose entries stack each model's tensors on a new dim 0."""
    from .ops.rearrange import stack

    params = {name: stack([dict(m.named_parameters())[name].detach() for m in models])
              for name, _ in models[0].named_parameters()}
    buffers = {name: stack([dict(m.named_buffers())[name] for m in models])
               for name, _ in models[0].named_buffers()}
    for p in params.values():
        p.requires_grad_(True)
    return params, buffers
