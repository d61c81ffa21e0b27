"""Rprop: resilient backpropagation, sign-based steps with adaptive per-weight sizes."""

from __future__ import annotations

import functools
from typing import Any

from .._backend import array_module
from .._tensor import Tensor
from ._numerics import (
    bump_versions,
    full_state,
    params_with_grad,
    scalar_state,
    to_float,
    workspace,
    zeros_state,
)
from .optimizer import Optimizer, _check_options

__all__ = ["Rprop"]


class Rprop(Optimizer):
    r"""Rprop (Riedmiller & Braun, 1993), step for step as ``torch.optim.Rprop``.

    .. code-block:: text

        s = sign(g_t · g_{t-1})
        η_t = clamp(η_{t-1} · (η+ if s > 0, η- if s < 0, 1 if s = 0), step_min, step_max)
        g_t = 0 where s < 0                      (skip the step after a sign change)
        θ_t = θ_{t-1} - η_t · sign(g_t)

    Args: lr (1e-2, the initial step size), etas (η-, η+) = (0.5, 1.2),
    step_sizes (min, max) = (1e-6, 50), maximize. State: ``step``, ``prev``, ``step_size``.
    """

    def __init__(self, params, lr: float | Tensor = 1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50),
                 *, capturable: bool = False, foreach: bool | None = None,
                 maximize: bool = False, differentiable: bool = False) -> None:
        _check_options(lr=lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = {
            "lr": lr, "etas": etas, "step_sizes": step_sizes, "foreach": foreach,
            "maximize": maximize, "differentiable": differentiable, "capturable": capturable,
        }
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self._setstate_defaults(foreach=None, maximize=False, differentiable=False,
                                capturable=False)

    @staticmethod
    def _init_state(p: Tensor, state: dict[str, Any], lr: float) -> None:
        state["step"] = scalar_state(0.0)
        state["prev"] = zeros_state(p)
        state["step_size"] = full_state(p, lr)

    def step(self, closure=None):
        loss = self._closure_loss(closure)
        ws = workspace(self)
        for group in self.param_groups:
            etaminus, etaplus = (to_float(e) for e in group["etas"])
            step_size_min, step_size_max = (to_float(s) for s in group["step_sizes"])
            maximize = group["maximize"]
            init = functools.partial(self._init_state, lr=to_float(group["lr"]))
            updates = params_with_grad(self, group, "Rprop", init, ws, maximize=maximize)
            for p, state, _, grad in updates:
                xp = array_module(p._data)
                prev, step_size = state["prev"]._data, state["step_size"]._data
                sign = xp.sign(grad * prev)
                factor = xp.where(sign > 0, etaplus, xp.where(sign < 0, etaminus, 1.0))
                step_size *= factor.astype(step_size.dtype, copy=False)
                xp.clip(step_size, step_size_min, step_size_max, out=step_size)
                grad = xp.where(sign < 0, 0, grad).astype(grad.dtype, copy=False)
                p._data -= xp.sign(grad) * step_size
                prev[...] = grad
                bump_versions(p, state)
        return loss
