"""The learning-rate scheduler base class and the helpers every scheduler shares.

A scheduler owns a step counter (``last_epoch``) and rewrites ``group["lr"]`` of its optimizer
on every ``step()``. Most schedulers are *chainable*: ``get_lr()`` computes the next rate from
the current ``group["lr"]`` (a recursive formula), so several schedulers can act on one
optimizer; ``_get_closed_form_lr()`` gives the rate directly from ``base_lrs`` and is used when
``step(epoch)`` is called with an explicit epoch (deprecated in torch, still supported).

``state_dict()`` is the scheduler's ``__dict__`` minus the optimizer, as in torch, so its keys
and values are the same as torch's and checkpoints move between the two libraries.
"""

from __future__ import annotations

import warnings
from typing import Any

from .._tensor import Tensor
from .optimizer import Optimizer

__all__ = ["LRScheduler"]

EPOCH_DEPRECATION_WARNING = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being "
    "deprecated where possible. Please use `scheduler.step()` to step the "
    "scheduler. During the deprecation, if epoch is different from None, the "
    "closed form is used instead of the new chainable form, where available. "
    "Please open an issue if you are unable to replicate your use case: "
    "https://github.com/pytorch/pytorch/issues/new/choose."
)


def format_param(name: str, optimizer: Optimizer, param) -> list:
    """One value per param group: a list/tuple is checked for length, a scalar repeated."""
    if isinstance(param, (list, tuple)):
        if len(param) != len(optimizer.param_groups):
            raise ValueError(
                f"{name} must have the same length as optimizer.param_groups. {name} has "
                f"{len(param)} values, param_groups has {len(optimizer.param_groups)}."
            )
    else:
        param = [param] * len(optimizer.param_groups)
    return [p.clone() if isinstance(p, Tensor) else p for p in param]


def param_groups_val_list(optimizer: Optimizer, key: str) -> list:
    """``group[key]`` of every group (tensors cloned so later in-place fills don't alias)."""
    return [g[key].clone() if isinstance(g[key], Tensor) else g[key]
            for g in optimizer.param_groups]


def update_param_group_val(group: dict[str, Any], key: str, value) -> None:
    """Sets ``group[key]``; a tensor-valued option is filled in place, as torch does."""
    if isinstance(group[key], Tensor):
        number = value.item() if isinstance(value, Tensor) else value
        group[key]._data[...] = number
        group[key]._vc[0] += 1
    else:
        group[key] = value


class _EnableGetLrCall:
    def __init__(self, scheduler: LRScheduler) -> None:
        self.scheduler = scheduler

    def __enter__(self):
        self.scheduler._get_lr_called_within_step = True
        return self

    def __exit__(self, *exc) -> None:
        self.scheduler._get_lr_called_within_step = False


class _InitialMode:
    def __init__(self, scheduler: LRScheduler) -> None:
        self.scheduler = scheduler

    def __enter__(self):
        self.scheduler._is_initial = True

    def __exit__(self, *exc) -> None:
        self.scheduler._is_initial = False


def warn_get_lr_called_within_step(scheduler: LRScheduler) -> None:
    if not scheduler._get_lr_called_within_step:
        warnings.warn(
            "To get the last learning rate computed by the scheduler, please use "
            "`get_last_lr()`.",
            UserWarning,
            stacklevel=3,
        )


class LRScheduler:
    """Base class: adjusts the learning rate of each param group once per ``step()``.

    Args:
        optimizer: the wrapped optimizer.
        last_epoch: the index of the last epoch; -1 (default) starts fresh and records each
            group's ``initial_lr``; a value >= 0 resumes and requires ``initial_lr`` in every
            group (load the optimizer's state first).

    Attributes: ``base_lrs`` (the initial lrs), ``last_epoch``; ``get_last_lr()`` returns the lrs
    the last ``step()`` set.
    """

    _get_lr_called_within_step: bool = False
    _is_initial: bool = False

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                initial_lr = group["lr"]
                if isinstance(initial_lr, Tensor):
                    initial_lr = initial_lr.clone()
                group.setdefault("initial_lr", initial_lr)
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"param 'initial_lr' is not specified in param_groups[{i}] when "
                        "resuming scheduler with last_epoch >= 0.\nThis typically happens "
                        "when:\n1. You're trying to resume training from a checkpoint but "
                        "haven't properly loaded the optimizer state\n2. You're using "
                        "last_epoch >= 0 for a fresh training run (not recommended)"
                    )
        self.base_lrs: list = param_groups_val_list(optimizer, "initial_lr")
        self.last_epoch = last_epoch
        self._initial_step()

    def _initial_step(self) -> None:
        """Sets the lrs for epoch 0 (``last_epoch`` -1 -> 0) without counting a user step."""
        self._step_count = 0
        with _InitialMode(self):
            self.step()

    def state_dict(self) -> dict[str, Any]:
        """Every attribute except the optimizer (torch's layout)."""
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self.__dict__.update(state_dict)

    def get_last_lr(self) -> list:
        """The learning rates set by the last ``step()``, one per param group."""
        return self._last_lr

    def get_lr(self) -> list:
        """The next learning rates (called by ``step()``; use ``get_last_lr()`` to read)."""
        raise NotImplementedError

    def step(self, epoch: int | None = None) -> None:
        """Advances one epoch (or jumps to ``epoch``, deprecated) and updates every lr."""
        self._step_count += 1
        if epoch is not None:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        self._update_lr(epoch)

    def _update_lr(self, epoch: int | None = None) -> None:
        with _EnableGetLrCall(self):
            if epoch is None:
                self.last_epoch += 1
                values = self.get_lr()
            else:
                self.last_epoch = epoch
                if hasattr(self, "_get_closed_form_lr"):
                    values = self._get_closed_form_lr()
                else:
                    values = self.get_lr()
        for group, lr in zip(self.optimizer.param_groups, values):
            update_param_group_val(group, "lr", lr)
        self._last_lr = param_groups_val_list(self.optimizer, "lr")


class _LRScheduler(LRScheduler):
    """Old name of ``LRScheduler`` (kept, like torch, for code that subclasses it)."""
