"""Weight averaging (``torch.optim.swa_utils``): SWA and EMA models, the SWA lr schedule and
the BatchNorm statistics refresh.

``AveragedModel(model)`` keeps a deep copy whose parameters are a running average of the
model's (equal-weight SWA by default, or EMA via ``get_ema_multi_avg_fn``); call
``update_parameters(model)`` after optimizer steps. ``SWALR`` anneals each group's lr to
``swa_lr``; ``update_bn(loader, model)`` recomputes BatchNorm running statistics for the
averaged weights.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable, Iterable
from copy import deepcopy
from typing import Any, Literal

import numpy as np

from .._backend import array_module
from .._tensor import Tensor
from ..nn.modules.batchnorm import _BatchNorm
from ..nn.modules.module import Module
from ._lr_base import LRScheduler, format_param

__all__ = [
    "SWALR",
    "AveragedModel",
    "get_ema_avg_fn",
    "get_ema_multi_avg_fn",
    "get_swa_avg_fn",
    "get_swa_multi_avg_fn",
    "update_bn",
]


def _lerp_into(avg: np.ndarray, new: np.ndarray, weight: float) -> None:
    """``avg.lerp_(new, weight)`` in torch's two-sided form, in place."""
    diff = new - avg
    if abs(weight) < 0.5:
        diff *= weight
        avg += diff
    else:
        diff *= 1.0 - weight
        array_module(avg).subtract(new, diff, out=avg)


def get_ema_multi_avg_fn(decay: float = 0.999) -> Callable:
    """In-place exponential moving average over lists: ema ← decay·ema + (1-decay)·θ."""
    if decay < 0.0 or decay > 1.0:
        raise ValueError(
            f"Invalid decay value {decay} provided. Please provide a value in [0,1] range."
        )

    def ema_update(ema_param_list, current_param_list, _num_averaged) -> None:
        for ema, current in zip(ema_param_list, current_param_list):
            if ema._data.dtype.kind in "fc":
                _lerp_into(ema._data, current._data, 1 - decay)
            else:
                ema._data[...] = ema._data * decay + current._data * (1 - decay)
            ema._vc[0] += 1

    return ema_update


def get_swa_multi_avg_fn() -> Callable:
    """In-place equal-weight running mean over lists: avg ← avg + (θ - avg) / (n + 1)."""

    def swa_update(averaged_param_list, current_param_list, num_averaged) -> None:
        n = int(num_averaged.item()) if isinstance(num_averaged, Tensor) else int(num_averaged)
        for avg, current in zip(averaged_param_list, current_param_list):
            if avg._data.dtype.kind in "fc":
                _lerp_into(avg._data, current._data, 1 / (n + 1))
            else:
                avg._data[...] = avg._data + (current._data - avg._data) // (n + 1)
            avg._vc[0] += 1

    return swa_update


def get_ema_avg_fn(decay: float = 0.999) -> Callable:
    """Per-tensor EMA: returns decay·ema + (1-decay)·θ."""
    if decay < 0.0 or decay > 1.0:
        raise ValueError(
            f"Invalid decay value {decay} provided. Please provide a value in [0,1] range."
        )

    def ema_update(ema_param: Tensor, current_param: Tensor, num_averaged) -> Tensor:
        return decay * ema_param + (1 - decay) * current_param

    return ema_update


def get_swa_avg_fn() -> Callable:
    """Per-tensor SWA: returns avg + (θ - avg) / (n + 1)."""

    def swa_update(averaged_param: Tensor, current_param: Tensor, num_averaged) -> Tensor:
        return averaged_param + (current_param - averaged_param) / (num_averaged + 1)

    return swa_update


class AveragedModel(Module):
    """A copy of ``model`` whose parameters (and, with ``use_buffers``, buffers) average the
    model's over ``update_parameters`` calls; ``n_averaged`` counts them.

    Args: ``avg_fn(avg, current, n) -> Tensor`` or ``multi_avg_fn(avg_list, current_list, n)``
    (in place) replace the default equal-weight average; ``device`` moves the copy.
    """

    def __init__(self, model: Module, device=None, avg_fn: Callable | None = None,
                 multi_avg_fn: Callable | None = None, use_buffers: bool = False) -> None:
        super().__init__()
        if avg_fn is not None and multi_avg_fn is not None:
            raise AssertionError("Only one of avg_fn and multi_avg_fn should be provided")
        self.module = deepcopy(model)
        if device is not None:
            self.module = self.module.to(device)
        self.register_buffer("n_averaged", Tensor._wrap(np.array(0, dtype=np.int64)))
        self.avg_fn = avg_fn
        self.multi_avg_fn = multi_avg_fn
        self.use_buffers = use_buffers

    def forward(self, *args, **kwargs):
        return self.module(*args, **kwargs)

    def update_parameters(self, model: Module) -> None:
        if self.use_buffers:
            self_params = list(itertools.chain(self.module.parameters(), self.module.buffers()))
            model_params = list(itertools.chain(model.parameters(), model.buffers()))
        else:
            self_params, model_params = list(self.parameters()), list(model.parameters())
        pairs = list(zip(self_params, model_params))
        n = int(self.n_averaged._data)
        if n == 0:
            for avg, current in pairs:
                avg._data[...] = current._data
                avg._vc[0] += 1
        else:
            averaged = [a.detach() for a, _ in pairs]
            current = [c.detach() for _, c in pairs]
            if self.avg_fn is not None:
                for a, c in zip(averaged, current):
                    a._data[...] = self.avg_fn(a, c, self.n_averaged)._data
                    a._vc[0] += 1
            else:
                (self.multi_avg_fn or get_swa_multi_avg_fn())(averaged, current,
                                                              self.n_averaged)
        if not self.use_buffers:
            for b_swa, b_model in zip(self.module.buffers(), model.buffers()):
                b_swa._data[...] = b_model._data
                b_swa._vc[0] += 1
        self.n_averaged._data += 1
        self.n_averaged._vc[0] += 1


def update_bn(loader: Iterable[Any], model: Module, device=None) -> None:
    """Recomputes every BatchNorm's running statistics with one pass over ``loader`` (a
    cumulative average: momentum None), as needed after weight averaging."""
    from ..autograd.grad_mode import no_grad

    momenta = {}
    for module in model.modules():
        if isinstance(module, _BatchNorm):
            module.reset_running_stats()
            momenta[module] = module.momentum
    if not momenta:
        return
    was_training = model.training
    model.train()
    for module in momenta:
        module.momentum = None
    with no_grad():
        for batch in loader:
            if isinstance(batch, (list, tuple)):
                batch = batch[0]
            if device is not None:
                batch = batch.to(device)
            model(batch)
    for module, momentum in momenta.items():
        module.momentum = momentum
    model.train(was_training)


class SWALR(LRScheduler):
    """Anneals each group's lr from its value to ``swa_lr`` over ``anneal_epochs`` epochs
    (cosine or linear), then holds it; used during the SWA phase."""

    def __init__(self, optimizer, swa_lr: float | list[float], anneal_epochs: int = 10,
                 anneal_strategy: Literal["cos", "linear"] = "cos",
                 last_epoch: int = -1) -> None:
        swa_lrs = format_param("swa_lr", optimizer, swa_lr)
        for lr, group in zip(swa_lrs, optimizer.param_groups):
            group["swa_lr"] = lr
        if anneal_strategy not in ["cos", "linear"]:
            raise ValueError(
                "anneal_strategy must be one of 'cos' or 'linear', instead got "
                f"{anneal_strategy}"
            )
        self._set_anneal_func(anneal_strategy)
        if not isinstance(anneal_epochs, int) or anneal_epochs < 0:
            raise ValueError(f"anneal_epochs must be equal or greater than 0, got {anneal_epochs}")
        self.anneal_epochs = anneal_epochs
        super().__init__(optimizer, last_epoch)

    @staticmethod
    def _linear_anneal(t: float) -> float:
        return t

    @staticmethod
    def _cosine_anneal(t: float) -> float:
        return (1 - math.cos(math.pi * t)) / 2

    @staticmethod
    def _get_initial_lr(lr: float, swa_lr: float, alpha: float) -> float:
        if alpha == 1:
            return swa_lr
        return (lr - alpha * swa_lr) / (1 - alpha)

    def get_lr(self) -> list:
        if not self._get_lr_called_within_step:
            warnings.warn(
                "To get the last learning rate computed by the scheduler, please use "
                "`get_last_lr()`.",
                UserWarning,
                stacklevel=2,
            )
        step = self._step_count - 1
        if self.anneal_epochs == 0:
            step = max(1, step)
        prev_t = max(0, min(1, (step - 1) / max(1, self.anneal_epochs)))
        prev_alpha = self.anneal_func(prev_t)
        prev_lrs = [self._get_initial_lr(group["lr"], group["swa_lr"], prev_alpha)
                    for group in self.optimizer.param_groups]
        t = max(0, min(1, step / max(1, self.anneal_epochs)))
        alpha = self.anneal_func(t)
        return [group["swa_lr"] * alpha + lr * (1 - alpha)
                for group, lr in zip(self.optimizer.param_groups, prev_lrs)]

    def _set_anneal_func(self, anneal_strategy: str) -> None:
        self._anneal_strategy = anneal_strategy
        self.anneal_func = self._cosine_anneal if anneal_strategy == "cos" else \
            self._linear_anneal

    def state_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "anneal_func")}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self.__dict__.update(state_dict)
        self._set_anneal_func(self._anneal_strategy)
