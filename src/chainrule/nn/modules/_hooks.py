"""Hook plumbing for Modules: removable handles and full backward hooks.

A full backward hook ``hook(module, grad_input, grad_output)`` must see the gradients of a
module's inputs and outputs together. As torch does, the module's tensor inputs and outputs are
routed through identity Functions: the output identity's backward records ``grad_output`` (and
runs backward pre-hooks, which may replace it); the input identity's backward receives every
``grad_input`` at once, runs the hooks and passes on whatever they return.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from ..._tensor import Tensor
from ...autograd.function import Function

__all__ = [
    "BackwardHook", "HookMixin", "RemovableHandle", "call_with_hooks",
    "register_module_forward_hook", "register_module_forward_pre_hook",
    "register_module_full_backward_hook", "register_module_full_backward_pre_hook",
]

# hooks run for every module (torch.nn.modules.module.register_module_*)
_global_forward_pre_hooks: dict = OrderedDict()
_global_forward_hooks: dict = OrderedDict()
_global_forward_hooks_always_called: dict = OrderedDict()
_global_backward_hooks: dict = OrderedDict()
_global_backward_pre_hooks: dict = OrderedDict()


class RemovableHandle:
    """``handle.remove()`` deletes the hook it was returned for, also as a context manager
    (``torch.utils.hooks.RemovableHandle``, which is this class).

    Args:
        hooks_dict: the dict the hook is stored in, under ``handle.id``.
        extra_dict: more dicts (or one) to remove ``handle.id`` from.
    """

    next_id: int = 0

    def __init__(self, hooks_dict: Any, *, extra_dict: Any = None) -> None:
        self.hooks_dict_ref = _ref(hooks_dict)
        self.id = RemovableHandle.next_id
        RemovableHandle.next_id += 1
        extras = extra_dict if isinstance(extra_dict, (list, tuple)) else (
            [extra_dict] if extra_dict is not None else []
        )
        self.extra_dict_ref = tuple(_ref(d) for d in extras)

    def remove(self) -> None:
        hooks_dict = self.hooks_dict_ref()
        if hooks_dict is not None and self.id in hooks_dict:
            del hooks_dict[self.id]
        for ref in self.extra_dict_ref:
            extra = ref()
            if extra is not None and self.id in extra:
                del extra[self.id]

    def __getstate__(self):
        return (self.hooks_dict_ref(), self.id)

    def __setstate__(self, state) -> None:
        self.hooks_dict_ref = weakref.ref(state[0] if state[0] is not None else OrderedDict())
        self.id = state[1]
        RemovableHandle.next_id = max(RemovableHandle.next_id, self.id + 1)
        self.extra_dict_ref = ()

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


def _add_hook(hooks: OrderedDict, hook: Callable, *, prepend: bool = False,
              marks: tuple[tuple[dict, bool], ...] = ()) -> RemovableHandle:
    """Stores ``hook`` in ``hooks`` under a fresh handle id (first when ``prepend``) and marks
    that id in each side dict of ``marks`` whose flag is set (``with_kwargs``,
    ``always_call``); the handle removes the id from all of them."""
    handle = RemovableHandle(hooks, extra_dict=[side for side, _ in marks])
    hooks[handle.id] = hook
    for side, flag in marks:
        if flag:
            side[handle.id] = True
    if prepend:
        hooks.move_to_end(handle.id, last=False)
    return handle


class _Identity(Function):
    """Passes a module's tensors through; ``state`` is the call's ``BackwardHook``."""

    @staticmethod
    def forward(ctx, state, *tensors):
        ctx.state = state
        ctx.set_materialize_grads(False)
        return tuple(t.detach() for t in tensors)


class _InputIdentity(_Identity):
    """Identity on the module's inputs; its backward runs the full backward hooks."""

    @staticmethod
    def backward(ctx, *grads):
        return (None,) + tuple(ctx.state.run_hooks(grads))


class _OutputIdentity(_Identity):
    """Identity on the module's outputs; its backward records ``grad_output``."""

    @staticmethod
    def backward(ctx, *grads):
        return (None,) + tuple(ctx.state.record_grad_outputs(grads))


def _pack(indices, values, n) -> tuple:
    out = [None] * n
    for i, v in zip(indices, values):
        out[i] = v
    return tuple(out)


def _through(identity: type[_Identity], state: BackwardHook, values: tuple,
             index: list[int]) -> tuple:
    """``values`` with the tensors at ``index`` routed through ``identity``."""
    wrapped = identity.apply(state, *[values[i] for i in index])
    out = list(values)
    for i, t in zip(index, wrapped):
        out[i] = t
    return tuple(out)


def _run_replacing(hooks: list, call: Callable, values: tuple, kind: str, what: str) -> tuple:
    """Runs ``call(hook, values)`` for each hook; a result other than None replaces ``values``
    and must hold as many entries (torch's check, naming the ``kind`` of hook and ``what``)."""
    for hook in hooks:
        result = call(hook, values)
        if result is None:
            continue
        result = result if isinstance(result, tuple) else (result,)
        if len(result) != len(values):
            raise RuntimeError(
                f"{kind} returned an invalid number of {what}, got {len(result)}, but expected "
                f"{len(values)}"
            )
        values = result
    return values


class BackwardHook:
    """Runs a module's full backward (pre-)hooks for one forward call."""

    def __init__(self, module, user_hooks, user_pre_hooks) -> None:
        self.module = module
        self.user_hooks = user_hooks
        self.user_pre_hooks = user_pre_hooks
        self.grad_outputs = None
        self.n_inputs = 0
        self.input_index: list[int] | None = None
        self.n_outputs = 0
        self.output_index: list[int] = []

    def setup_input_hook(self, args: tuple) -> tuple:
        self.n_inputs = len(args)
        index = [i for i, a in enumerate(args) if isinstance(a, Tensor) and a.requires_grad]
        if not index:
            self.input_index = None
            return args
        self.input_index = index
        return _through(_InputIdentity, self, args, index)

    def setup_output_hook(self, result):
        single = isinstance(result, Tensor)
        outputs = (result,) if single else result
        if not isinstance(outputs, tuple):
            return result
        self.n_outputs = len(outputs)
        index = [i for i, o in enumerate(outputs) if isinstance(o, Tensor) and o.requires_grad]
        self.output_index = index
        if not index:
            return result
        new_outputs = _through(_OutputIdentity, self, outputs, index)
        return new_outputs[0] if single else new_outputs

    def record_grad_outputs(self, grads) -> tuple:
        packed = _run_replacing(self.user_pre_hooks, lambda hook, g: hook(self.module, g),
                                _pack(self.output_index, grads, self.n_outputs),
                                "Backward pre hook", "grad_output")
        self.grad_outputs = packed
        if self.input_index is None:
            grad_inputs = (None,) * self.n_inputs
            for hook in self.user_hooks:
                res = hook(self.module, grad_inputs, self.grad_outputs)
                if res is not None and not (
                    isinstance(res, tuple) and all(r is None for r in res)
                ):
                    raise RuntimeError(
                        "Backward hook for Modules where no input requires gradient should "
                        "always return None or None for all gradients."
                    )
            self.grad_outputs = None
        return tuple(packed[i] for i in self.output_index)

    def run_hooks(self, grads) -> tuple:
        grad_input = _run_replacing(
            self.user_hooks, lambda hook, g: hook(self.module, g, self.grad_outputs),
            _pack(self.input_index, grads, self.n_inputs), "Backward hook", "grad_input")
        self.grad_outputs = None
        return tuple(grad_input[i] for i in self.input_index)


def call_with_hooks(module, args: tuple, kwargs: dict):
    """``module(*args, **kwargs)`` with its forward pre/post hooks and backward hooks (and the
    global ones, which run first), as torch's ``Module._call_impl``."""
    backward_pre_hooks = []
    full_backward_hooks = []
    if module._backward_pre_hooks or _global_backward_pre_hooks:
        backward_pre_hooks = [*_global_backward_pre_hooks.values(),
                              *module._backward_pre_hooks.values()]
    if module._backward_hooks or _global_backward_hooks:
        full_backward_hooks = [*_global_backward_hooks.values(),
                               *module._backward_hooks.values()]
    called_always = set()
    result = None
    try:
        for hook_id, hook in (*_global_forward_pre_hooks.items(),
                              *module._forward_pre_hooks.items()):
            if hook_id in module._forward_pre_hooks_with_kwargs:
                out = hook(module, args, kwargs)
                if out is not None:
                    if isinstance(out, tuple) and len(out) == 2:
                        args, kwargs = out
                    else:
                        raise RuntimeError(
                            "forward pre-hook must return None or a tuple of (new_args, "
                            f"new_kwargs), but got {out}."
                        )
            else:
                out = hook(module, args)
                if out is not None:
                    args = out if isinstance(out, tuple) else (out,)
        bw_hook = None
        if full_backward_hooks or backward_pre_hooks:
            bw_hook = BackwardHook(module, full_backward_hooks, backward_pre_hooks)
            args = bw_hook.setup_input_hook(args)
        result = module.forward(*args, **kwargs)
        for hook_id, hook in (*_global_forward_hooks.items(), *module._forward_hooks.items()):
            if (hook_id in module._forward_hooks_always_called
                    or hook_id in _global_forward_hooks_always_called):
                called_always.add(hook_id)
            if hook_id in module._forward_hooks_with_kwargs:
                out = hook(module, args, kwargs, result)
            else:
                out = hook(module, args, result)
            if out is not None:
                result = out
        if bw_hook is not None:
            result = bw_hook.setup_output_hook(result)
        return result
    except Exception:
        import warnings

        for hook_id, hook in (*_global_forward_hooks.items(), *module._forward_hooks.items()):
            always = (hook_id in module._forward_hooks_always_called
                      or hook_id in _global_forward_hooks_always_called)
            if not always or hook_id in called_always:
                continue
            try:
                if hook_id in module._forward_hooks_with_kwargs:
                    out = hook(module, args, kwargs, result)
                else:
                    out = hook(module, args, result)
                if out is not None:
                    result = out
            except Exception as e:  # noqa: BLE001 - torch silences these too
                warnings.warn(
                    "module forward hook with ``always_call=True`` raised an exception that "
                    f"was silenced as another error was raised in forward: {e}",
                    stacklevel=2,
                )
        raise


class HookMixin:
    """Registration of a module's forward, backward and state-dict hooks."""

    def register_forward_pre_hook(self, hook: Callable, *, prepend: bool = False,
                                  with_kwargs: bool = False) -> RemovableHandle:
        """``hook(module, args) -> None | new args`` (or ``hook(module, args, kwargs)`` with
        ``with_kwargs=True``), run before ``forward``."""
        return _add_hook(self._forward_pre_hooks, hook, prepend=prepend,
                         marks=((self._forward_pre_hooks_with_kwargs, with_kwargs),))

    def register_forward_hook(self, hook: Callable, *, prepend: bool = False,
                              with_kwargs: bool = False,
                              always_call: bool = False) -> RemovableHandle:
        """``hook(module, args, output) -> None | new output``, run after ``forward``."""
        return _add_hook(self._forward_hooks, hook, prepend=prepend,
                         marks=((self._forward_hooks_with_kwargs, with_kwargs),
                                (self._forward_hooks_always_called, always_call)))

    def register_full_backward_pre_hook(self, hook: Callable,
                                        prepend: bool = False) -> RemovableHandle:
        """``hook(module, grad_output) -> None | new grad_output``, run when the gradients
        of the module's outputs are known."""
        return _add_hook(self._backward_pre_hooks, hook, prepend=prepend)

    def register_full_backward_hook(self, hook: Callable,
                                    prepend: bool = False) -> RemovableHandle:
        """``hook(module, grad_input, grad_output) -> None | new grad_input``: the gradients
        of the module's positional tensor inputs and outputs."""
        if self._is_full_backward_hook is False:
            raise RuntimeError(
                "Cannot use both regular backward hooks and full backward hooks on a single "
                "Module. Please use only one of them."
            )
        self._is_full_backward_hook = True
        return _add_hook(self._backward_hooks, hook, prepend=prepend)

    def register_backward_hook(self, hook: Callable) -> RemovableHandle:
        """Deprecated in torch; chainrule runs it as a full backward hook."""
        if self._is_full_backward_hook is True:
            raise RuntimeError(
                "Cannot use both regular backward hooks and full backward hooks on a single "
                "Module. Please use only one of them."
            )
        self._is_full_backward_hook = False
        return _add_hook(self._backward_hooks, hook)

    def register_state_dict_pre_hook(self, hook: Callable) -> RemovableHandle:
        return _add_hook(self._state_dict_pre_hooks, hook)

    def register_state_dict_post_hook(self, hook: Callable) -> RemovableHandle:
        return _add_hook(self._state_dict_hooks, hook)

    _register_state_dict_hook = register_state_dict_post_hook

    def register_load_state_dict_pre_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(module, state_dict, prefix, local_metadata, strict, missing_keys,
        unexpected_keys, error_msgs)`` before this module loads its entries."""
        return self._register_load_state_dict_pre_hook(hook, with_module=True)

    def _register_load_state_dict_pre_hook(self, hook: Callable,
                                           with_module: bool = False) -> RemovableHandle:
        if with_module:
            module = self

            def bound(*args):
                return hook(module, *args)

            return _add_hook(self._load_state_dict_pre_hooks, bound)
        return _add_hook(self._load_state_dict_pre_hooks, hook)

    def register_load_state_dict_post_hook(self, hook: Callable) -> RemovableHandle:
        return _add_hook(self._load_state_dict_post_hooks, hook)


def register_module_forward_pre_hook(hook: Callable) -> RemovableHandle:
    """A forward pre-hook run for every module (before its own hooks)."""
    return _add_hook(_global_forward_pre_hooks, hook)


def register_module_forward_hook(hook: Callable, *, with_kwargs: bool = False,
                                 always_call: bool = False) -> RemovableHandle:
    """A forward hook run for every module (before its own hooks)."""
    if with_kwargs:
        raise NotImplementedError("register_module_forward_hook(with_kwargs=True)")
    return _add_hook(_global_forward_hooks, hook,
                     marks=((_global_forward_hooks_always_called, always_call),))


def register_module_full_backward_pre_hook(hook: Callable) -> RemovableHandle:
    return _add_hook(_global_backward_pre_hooks, hook)


def register_module_full_backward_hook(hook: Callable) -> RemovableHandle:
    return _add_hook(_global_backward_hooks, hook)


