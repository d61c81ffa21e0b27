"""Rprop: resilient backpropagation, sign-based steps with adaptive per-weight sizes."""

from __future__ import annotations

from typing import Any

from .._backend import array_module
from .._tensor import Tensor
from ._numerics import (
    bump_step,
    bump_versions,
    check_dense,
    effective_grad,
    full_state,
    reject_complex,
    scalar_state,
    to_float,
    workspace,
    zeros_state,
)
from .optimizer import Optimizer

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
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = {
            "lr": lr, "etas": etas, "step_sizes": step_sizes, "foreach": foreach,
            "maximize": maximize, "differentiable": differentiable, "capturable": capturable,
        }
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("capturable", False)
            for p in group["params"]:
                p_state = self.state.get(p, {})
                if p_state and not isinstance(p_state["step"], Tensor):
                    p_state["step"] = scalar_state(float(p_state["step"]))

    def step(self, closure=None):
        loss = self._closure_loss(closure)
        ws = workspace(self)
        for group in self.param_groups:
            etaminus, etaplus = (to_float(e) for e in group["etas"])
            step_size_min, step_size_max = (to_float(s) for s in group["step_sizes"])
            maximize = group["maximize"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                check_dense(p, "Rprop")
                reject_complex(p, "Rprop")
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = scalar_state(0.0)
                    state["prev"] = zeros_state(p)
                    state["step_size"] = full_state(p, to_float(group["lr"]))
                bump_step(state["step"])
                xp = array_module(p._data)
                grad = effective_grad(p, maximize, 0.0, ws)
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
