"""The optimizer base class: parameter groups, per-parameter state, ``state_dict``, hooks.

An optimizer holds ``param_groups`` (a list of dicts: ``"params"`` plus that group's options,
defaults filled in from ``defaults``) and ``state`` (a dict keyed by parameter tensor holding
each algorithm's running buffers). ``step()`` reads ``p.grad`` and updates ``p`` in place on the
raw array, outside the graph: no nodes are recorded, float32 stays float32 (hyperparameters are
Python floats, which NumPy treats as weak scalars), and the parameter's version counter is
bumped so that a backward through a stale saved value fails, as in torch.

``state_dict()`` uses torch's layout: parameters are replaced by integer ids, numbered in group
order, and ``state`` maps those ids to the per-parameter dicts; ``load_state_dict`` maps them
back onto this optimizer's parameters by position.
"""

from __future__ import annotations

import functools
import warnings
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from copy import deepcopy
from itertools import chain
from typing import Any

from .._backend import array_module
from .._memory import keep_freed_memory
from .._tensor import Tensor, _make
from ..autograd.function import _RemovableHandle
from ..autograd.grad_mode import STATE as _GRAD_STATE
from ._numerics import scalar_state

__all__ = [
    "Optimizer",
    "register_optimizer_step_post_hook",
    "register_optimizer_step_pre_hook",
    "required",
]

_global_pre_hooks: OrderedDict[int, Callable] = OrderedDict()
_global_post_hooks: OrderedDict[int, Callable] = OrderedDict()


class _RequiredParameter:
    """Marks an option that has no default (``lr`` of an optimizer that has none)."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()


# the words torch's "Invalid ..." messages use for an option (the rest say "<name> value")
_OPTION_WORDS = {"lr": "learning rate", "eps": "epsilon value"}


def _check_options(**options: Any) -> None:
    """Raises torch's ``ValueError`` for the first invalid option, checked in the order given.

    Every option must be ``>= 0`` (so NaN is rejected, as torch's ``not 0.0 <= x``), except
    ``betas`` (each in ``[0, 1)``) and ``rho`` (in ``[0, 1]``); a Tensor ``lr`` must hold one
    element.
    """
    for name, value in options.items():
        if name == "lr" and isinstance(value, Tensor) and value.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if name == "betas":
            for i in (0, 1):
                if not 0.0 <= value[i] < 1.0:
                    raise ValueError(f"Invalid beta parameter at index {i}: {value[i]}")
        elif name == "rho":
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"Invalid rho value: {value}")
        elif not 0.0 <= value:
            raise ValueError(f"Invalid {_OPTION_WORDS.get(name, name + ' value')}: {value}")


def _add_hook(container: OrderedDict, hook: Callable, prepend: bool = False) -> _RemovableHandle:
    handle = _RemovableHandle(container, None)
    handle._item = handle.id
    container[handle.id] = hook
    if prepend:
        container.move_to_end(handle.id, last=False)
    return handle


def register_optimizer_step_pre_hook(hook: Callable) -> _RemovableHandle:
    """``hook(optimizer, args, kwargs) -> None | (args, kwargs)`` before every optimizer step."""
    return _add_hook(_global_pre_hooks, hook)


def register_optimizer_step_post_hook(hook: Callable) -> _RemovableHandle:
    """``hook(optimizer, args, kwargs) -> None`` after every optimizer step."""
    return _add_hook(_global_post_hooks, hook)


def _hooked_step(step: Callable) -> Callable:
    """Wraps a class's ``step`` so pre/post hooks (per-optimizer, then global) run around it."""

    @functools.wraps(step)
    def wrapper(self, *args, **kwargs):
        if not (_global_pre_hooks or _global_post_hooks or self._optimizer_step_pre_hooks
                or self._optimizer_step_post_hooks):
            return step(self, *args, **kwargs)  # no hooks: skip building the chains
        for pre_hook in chain(_global_pre_hooks.values(), self._optimizer_step_pre_hooks.values()):
            result = pre_hook(self, args, kwargs)
            if result is not None:
                if isinstance(result, tuple) and len(result) == 2:
                    args, kwargs = result
                else:
                    raise RuntimeError(
                        f"{step} must return None or a tuple of (new_args, new_kwargs), but got "
                        f"{result}."
                    )
        out = step(self, *args, **kwargs)
        for post_hook in chain(self._optimizer_step_post_hooks.values(),
                               _global_post_hooks.values()):
            post_hook(self, args, kwargs)
        return out

    wrapper.hooked = True  # type: ignore[attr-defined]
    return wrapper


class Optimizer:
    r"""Base class for all optimizers.

    Args:
        params: an iterable of Tensors, of ``(name, Tensor)`` pairs (``named_parameters()``),
            or of dicts each defining a parameter group (``{"params": [...], "lr": 0.1}``).
        defaults: the options a group takes when it does not set them.

    Subclasses implement ``step(closure=None)``; the per-parameter buffers live in
    ``self.state[p]``.
    """

    def __init__(self, params: Iterable, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        keep_freed_memory()  # training starts: no page faults per step (see chainrule._memory)
        self._optimizer_step_pre_hooks: OrderedDict[int, Callable] = OrderedDict()
        self._optimizer_step_post_hooks: OrderedDict[int, Callable] = OrderedDict()
        self._optimizer_state_dict_pre_hooks: OrderedDict[int, Callable] = OrderedDict()
        self._optimizer_state_dict_post_hooks: OrderedDict[int, Callable] = OrderedDict()
        self._optimizer_load_state_dict_pre_hooks: OrderedDict[int, Callable] = OrderedDict()
        self._optimizer_load_state_dict_post_hooks: OrderedDict[int, Callable] = OrderedDict()
        self._patch_step_function()
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                "dicts, but got " + params.type()
            )
        if defaults.get("differentiable", False):
            raise NotImplementedError(
                f"{type(self).__name__}(differentiable=True) is not supported by chainrule: "
                "optimizer steps update raw arrays outside the graph"
            )
        self.state: defaultdict[Any, dict] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    def _patch_step_function(self) -> None:
        cls = type(self)
        if not getattr(cls.step, "hooked", False):
            cls.step = _hooked_step(cls.step)  # type: ignore[method-assign]

    # -- pickling / repr --------------------------------------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        for name in ("_optimizer_step_pre_hooks", "_optimizer_step_post_hooks",
                     "_optimizer_state_dict_pre_hooks", "_optimizer_state_dict_post_hooks",
                     "_optimizer_load_state_dict_pre_hooks",
                     "_optimizer_load_state_dict_post_hooks"):
            if name not in self.__dict__:
                setattr(self, name, OrderedDict())
        self._patch_step_function()
        self.defaults.setdefault("differentiable", False)

    def _setstate_defaults(self, scalar_keys: tuple[str, ...] = ("step",),
                           **defaults: Any) -> None:
        """What a subclass's ``__setstate__`` adds to the base's: a pickle from an older torch
        may lack options (each group gets ``defaults`` where it has none) or hold its scalar
        state (``scalar_keys``, e.g. ``step``) as Python numbers, made 0-d tensors here."""
        for group in self.param_groups:
            for name, default in defaults.items():
                group.setdefault(name, default)
            for p in group["params"]:
                p_state = self.state.get(p, {})
                if not p_state:
                    continue
                for key in scalar_keys:
                    if not isinstance(p_state[key], Tensor):
                        p_state[key] = scalar_state(float(p_state[key]))

    def __repr__(self) -> str:
        out = type(self).__name__ + " ("
        for i, group in enumerate(self.param_groups):
            out += f"\nParameter Group {i}\n"
            for key in sorted(group.keys()):
                if key != "params":
                    out += f"    {key}: {group[key]}\n"
        return out + ")"

    # -- parameter groups -------------------------------------------------------------------
    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Adds a group of parameters (with its own options) to ``param_groups``."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the "
                "ordering of tensors in sets will change between runs. Please use a list instead."
            )
        else:
            params = list(params)
        tensors, names = [], []
        for param in params:
            if isinstance(param, tuple):
                names.append(param[0])
                tensors.append(param[1])
            else:
                tensors.append(param)
        param_group["params"] = tensors
        if names:
            if len(names) != len(tensors):
                raise ValueError(
                    "all optimizer params should be with/without names. Some param names are "
                    "missing"
                )
            param_group["param_names"] = names
        for param in tensors:
            if not isinstance(param, Tensor):
                raise TypeError(
                    "optimizer can only optimize Tensors, but one of the params is "
                    + _typename(param)
                )
            if not (param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(
                    "parameter group didn't specify a value of required optimization parameter "
                    + name
                )
            param_group.setdefault(name, default)
        if len({id(p) for p in tensors}) != len(tensors):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, "
                "this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more "
                "information",
                stacklevel=3,
            )
        seen: set[int] = set()
        for group in self.param_groups:
            seen.update(id(p) for p in group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                which = "with names" if "param_names" in param_group else "without names"
                raise ValueError(
                    "all optimizer param groups should be with/without names. cannot add param "
                    f"group {which} to the optimizer"
                )
        if any(id(p) in seen for p in tensors):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    # -- gradients --------------------------------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Resets every parameter's gradient: to ``None`` (default) or to zeros in place."""
        if set_to_none:  # the training-loop call: one store per parameter, no test
            for group in self.param_groups:
                for p in group["params"]:
                    p._grad = None
            return
        for group in self.param_groups:
            for p in group["params"]:
                grad = p._grad
                if grad is not None:
                    if grad.grad_fn is not None:
                        grad.detach_()
                    else:
                        grad._rg = False
                    grad._data[...] = 0
                    grad._vc[0] += 1

    def step(self, closure: Callable[[], Any] | None = None):
        """Performs one optimization step; ``closure`` re-evaluates the loss when given."""
        raise NotImplementedError

    # -- state dict -------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """``{"state": {id: {...}}, "param_groups": [{..., "params": [ids]}]}`` (torch layout).

        The state tensors are the optimizer's own (not copies), as in torch.
        """
        for pre_hook in self._optimizer_state_dict_pre_hooks.values():
            pre_hook(self)
        mapping: dict[int, int] = {}
        start = 0

        def pack_group(group: dict[str, Any]) -> dict[str, Any]:
            nonlocal start
            packed = {k: v for k, v in group.items() if k != "params"}
            for i, p in enumerate(group["params"], start):
                mapping.setdefault(id(p), i)
            packed["params"] = [mapping[id(p)] for p in group["params"]]
            start += len(packed["params"])
            return packed

        param_groups = [pack_group(g) for g in self.param_groups]
        packed_state = {
            (mapping[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()
        }
        state_dict = {"state": packed_state, "param_groups": param_groups}
        for post_hook in self._optimizer_state_dict_post_hooks.values():
            result = post_hook(self, state_dict)
            if result is not None:
                state_dict = result
        return state_dict

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Loads what ``state_dict()`` returned; tensors are copied, cast to the param's dtype."""
        state_dict = state_dict.copy()
        for pre_hook in self._optimizer_load_state_dict_pre_hooks.values():
            result = pre_hook(self, state_dict)
            if result is not None:
                state_dict = result
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError(
                "loaded state dict contains a parameter group that doesn't match the size of "
                "optimizer's group"
            )
        id_map = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                          chain.from_iterable(g["params"] for g in groups)))

        def cast(param: Tensor, value: Any, key: Any = None) -> Any:
            if isinstance(value, Tensor):
                return _cast_state_tensor(param, value, key)
            if isinstance(value, dict):
                return {k: cast(param, v, k) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return type(value)(cast(param, v) for v in value)
            return value

        state: defaultdict[Any, dict] = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                param = id_map[k]
                state[param] = cast(param, v)
            else:
                state[k] = v

        def update_group(group: dict[str, Any], new_group: dict[str, Any]) -> dict[str, Any]:
            new_group["params"] = group["params"]
            if "param_names" in group and "param_names" not in new_group:
                new_group["param_names"] = group["param_names"]
            return new_group

        param_groups = [update_group(g, ng) for g, ng in zip(groups, saved_groups)]
        self.__setstate__({"state": state, "param_groups": param_groups})
        for post_hook in self._optimizer_load_state_dict_post_hooks.values():
            post_hook(self)

    # -- hooks ------------------------------------------------------------------------------
    def register_step_pre_hook(self, hook: Callable) -> _RemovableHandle:
        return _add_hook(self._optimizer_step_pre_hooks, hook)

    def register_step_post_hook(self, hook: Callable) -> _RemovableHandle:
        return _add_hook(self._optimizer_step_post_hooks, hook)

    def register_state_dict_pre_hook(self, hook: Callable, prepend: bool = False):
        return _add_hook(self._optimizer_state_dict_pre_hooks, hook, prepend)

    def register_state_dict_post_hook(self, hook: Callable, prepend: bool = False):
        return _add_hook(self._optimizer_state_dict_post_hooks, hook, prepend)

    def register_load_state_dict_pre_hook(self, hook: Callable, prepend: bool = False):
        return _add_hook(self._optimizer_load_state_dict_pre_hooks, hook, prepend)

    def register_load_state_dict_post_hook(self, hook: Callable, prepend: bool = False):
        return _add_hook(self._optimizer_load_state_dict_post_hooks, hook, prepend)

    # -- helpers for subclasses -------------------------------------------------------------
    def _closure_loss(self, closure: Callable[[], Any] | None):
        """Runs ``closure`` with grad recording on (the step itself records nothing)."""
        if closure is None:
            return None
        prev = _GRAD_STATE.enabled
        _GRAD_STATE.enabled = True
        try:
            return closure()
        finally:
            _GRAD_STATE.enabled = prev


def _typename(obj: Any) -> str:
    if isinstance(obj, Tensor):
        return obj.type()
    return type(obj).__qualname__


def _cast_state_tensor(param: Tensor, value: Tensor, key: Any) -> Tensor:
    """torch's load policy: ``step`` keeps its dtype; float params cast buffers to their dtype.

    As in torch, a tensor that needs no cast is used as is (shared with the loaded dict).
    """
    data = value._data
    xp = array_module(param._data)
    if key != "step" and param._data.dtype.kind in "fc":
        data = data.astype(param._data.dtype, copy=False)
    if key != "step" and xp is not array_module(data):
        data = xp.asarray(data)
    return value if data is value._data else _make(data, False, None)
