"""Adamax: Adam with the infinity norm in place of the second moment."""

from __future__ import annotations

from typing import Any

from .._backend import array_module
from .._tensor import Tensor
from ._numerics import (
    addcdiv_,
    bump_step,
    bump_versions,
    check_dense,
    effective_grad,
    lerp_,
    reject_complex,
    scalar_state,
    to_float,
    workspace,
    zeros_state,
)
from .optimizer import Optimizer

__all__ = ["Adamax"]


class Adamax(Optimizer):
    r"""Adamax (Kingma & Ba, 2014, section 7), step for step as ``torch.optim.Adamax``.

    .. code-block:: text

        g_t = ∇f(θ_{t-1}) (+ λ θ_{t-1})
        m_t = β1 m_{t-1} + (1 - β1) g_t
        u_t = max(β2 u_{t-1}, |g_t| + ε)
        θ_t = θ_{t-1} - γ / (1 - β1^t) · m_t / u_t

    Args: lr γ (2e-3), betas (0.9, 0.999), eps ε (1e-8), weight_decay λ (0), maximize;
    foreach/capturable accepted. State: ``step``, ``exp_avg``, ``exp_inf``.
    """

    def __init__(self, params, lr: float | Tensor = 2e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False,
                 capturable: bool = False) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {
            "lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
            "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
            "capturable": capturable,
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
            beta1, beta2 = (to_float(b) for b in group["betas"])
            lr, eps = to_float(group["lr"]), to_float(group["eps"])
            weight_decay, maximize = to_float(group["weight_decay"]), group["maximize"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                check_dense(p, "Adamax")
                reject_complex(p, "Adamax")
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = scalar_state(0.0)
                    state["exp_avg"] = zeros_state(p)
                    state["exp_inf"] = zeros_state(p)
                step = bump_step(state["step"])
                param = p._data
                xp = array_module(param)
                grad = effective_grad(p, maximize, weight_decay, ws)
                tmp, norm = ws(param, 2), ws(param, 3)
                exp_avg, exp_inf = state["exp_avg"]._data, state["exp_inf"]._data
                lerp_(exp_avg, grad, 1 - beta1, tmp)
                exp_inf *= beta2
                xp.abs(grad, out=norm)
                norm += eps
                xp.maximum(exp_inf, norm, out=exp_inf)
                clr = lr / (1 - beta1**step)
                addcdiv_(param, exp_avg, exp_inf, -clr, tmp)
                bump_versions(p, state)
        return loss
