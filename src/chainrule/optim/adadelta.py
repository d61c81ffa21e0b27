"""Adadelta: step sizes from running averages of squared gradients and squared updates."""

from __future__ import annotations

from typing import Any

from .._backend import array_module
from .._tensor import Tensor
from .optimizer import (
    Optimizer,
    addcmul_,
    bump_step,
    bump_versions,
    check_dense,
    grad_array,
    reject_complex,
    scalar_state,
    to_float,
    zeros_state,
)

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    r"""Adadelta (Zeiler, 2012), step for step as ``torch.optim.Adadelta``.

    .. code-block:: text

        g_t = ∇f(θ_{t-1}) (+ λ θ_{t-1})
        v_t = ρ v_{t-1} + (1 - ρ) g_t²
        Δx_t = sqrt(u_{t-1} + ε) / sqrt(v_t + ε) · g_t
        u_t = ρ u_{t-1} + (1 - ρ) Δx_t²
        θ_t = θ_{t-1} - γ Δx_t

    Args: lr γ (1.0), rho ρ (0.9), eps ε (1e-6), weight_decay λ (0), maximize (False);
    foreach/capturable accepted.

    State per parameter: ``step``, ``square_avg`` (v), ``acc_delta`` (u).
    """

    def __init__(self, params, lr: float | Tensor = 1.0, rho: float = 0.9, eps: float = 1e-6,
                 weight_decay: float = 0, foreach: bool | None = None, *,
                 capturable: bool = False, maximize: bool = False,
                 differentiable: bool = False) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {
            "lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay,
            "maximize": maximize, "capturable": capturable, "foreach": foreach,
            "differentiable": differentiable,
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
        for group in self.param_groups:
            lr, rho, eps = to_float(group["lr"]), to_float(group["rho"]), to_float(group["eps"])
            weight_decay, maximize = to_float(group["weight_decay"]), group["maximize"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                check_dense(p, "Adadelta")
                reject_complex(p, "Adadelta")
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = scalar_state(0.0)
                    state["square_avg"] = zeros_state(p)
                    state["acc_delta"] = zeros_state(p)
                bump_step(state["step"])
                grad = grad_array(p, maximize)
                param = p._data
                if weight_decay != 0:
                    grad = grad + weight_decay * param
                xp = array_module(param)
                square_avg, acc_delta = state["square_avg"]._data, state["acc_delta"]._data
                square_avg *= rho
                addcmul_(square_avg, grad, grad, 1 - rho)
                std = xp.sqrt(square_avg + eps)
                delta = xp.sqrt(acc_delta + eps)
                delta /= std
                delta *= grad
                acc_delta *= rho
                addcmul_(acc_delta, delta, delta, 1 - rho)
                param -= lr * delta
                bump_versions(p, state)
        return loss
