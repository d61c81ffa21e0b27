"""RAdam: Adam with a rectified (variance-corrected) adaptive learning rate."""

from __future__ import annotations

from typing import Any

from .._backend import array_module
from .._tensor import Tensor
from ._numerics import (
    addcmul_,
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

__all__ = ["RAdam"]


class RAdam(Optimizer):
    r"""RAdam (Liu et al., 2019), step for step as ``torch.optim.RAdam``.

    .. code-block:: text

        g_t = ∇f(θ_{t-1});  weight decay: θ *= 1 - γλ (decoupled) or g_t += λ θ
        m_t = β1 m_{t-1} + (1 - β1) g_t;   v_t = β2 v_{t-1} + (1 - β2) g_t²
        m̂_t = m_t / (1 - β1^t)
        ρ_∞ = 2 / (1 - β2) - 1;   ρ_t = ρ_∞ - 2 t β2^t / (1 - β2^t)
        if ρ_t > 5:
            r_t = sqrt((ρ_t - 4)(ρ_t - 2) ρ_∞ / ((ρ_∞ - 4)(ρ_∞ - 2) ρ_t))
            l_t = sqrt(1 - β2^t) / (sqrt(v_t) + ε)
            θ_t = θ_{t-1} - γ m̂_t l_t r_t
        else:
            θ_t = θ_{t-1} - γ m̂_t

    Args: lr γ (1e-3), betas (0.9, 0.999), eps (1e-8), weight_decay λ (0),
    decoupled_weight_decay (False), maximize; foreach/capturable accepted.
    State: ``step``, ``exp_avg``, ``exp_avg_sq``.
    """

    def __init__(self, params, lr: float | Tensor = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, decoupled_weight_decay: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False) -> None:
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
            "maximize": maximize, "foreach": foreach, "capturable": capturable,
            "decoupled_weight_decay": decoupled_weight_decay, "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("decoupled_weight_decay", False)
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
            weight_decay = to_float(group["weight_decay"])
            decoupled, maximize = group["decoupled_weight_decay"], group["maximize"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                check_dense(p, "RAdam")
                reject_complex(p, "RAdam")
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = scalar_state(0.0)
                    state["exp_avg"] = zeros_state(p)
                    state["exp_avg_sq"] = zeros_state(p)
                step = bump_step(state["step"])
                param = p._data
                xp = array_module(param)
                if weight_decay != 0 and decoupled:
                    param *= 1 - lr * weight_decay
                    grad = effective_grad(p, maximize, 0.0, ws)
                else:
                    grad = effective_grad(p, maximize, weight_decay, ws)
                tmp, update = ws(param, 2), ws(param, 3)
                exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
                lerp_(exp_avg, grad, 1 - beta1, tmp)
                exp_avg_sq *= beta2
                addcmul_(exp_avg_sq, grad, grad, 1 - beta2, tmp)
                bias_correction1 = 1 - beta1**step
                bias_correction2 = 1 - beta2**step
                rho_inf = 2 / (1 - beta2) - 1
                rho_t = rho_inf - 2 * step * (beta2**step) / bias_correction2
                # update = m / (1 - β1^t) * lr [* sqrt(1 - β2^t) / (sqrt(v) + ε) * r_t]
                xp.divide(exp_avg, bias_correction1, out=update)
                update *= lr
                if rho_t > 5.0:
                    rect = ((rho_t - 4) * (rho_t - 2) * rho_inf
                            / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
                    xp.sqrt(exp_avg_sq, out=tmp)
                    tmp += eps
                    xp.divide(bias_correction2**0.5, tmp, out=tmp)
                    update *= tmp
                    update *= rect
                param -= update
                bump_versions(p, state)
        return loss
