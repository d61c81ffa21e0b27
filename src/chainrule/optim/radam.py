"""RAdam: Adam with a rectified (variance-corrected) adaptive learning rate."""

from __future__ import annotations

from typing import Any

from .._backend import array_module
from .._tensor import Tensor
from ._numerics import (
    addcmul_,
    bump_versions,
    lerp_,
    params_with_grad,
    scalar_state,
    to_float,
    workspace,
    zeros_state,
)
from .optimizer import Optimizer, _check_options

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
        _check_options(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
        defaults = {
            "lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
            "maximize": maximize, "foreach": foreach, "capturable": capturable,
            "decoupled_weight_decay": decoupled_weight_decay, "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self._setstate_defaults(foreach=None, maximize=False, differentiable=False,
                                decoupled_weight_decay=False, capturable=False)

    @staticmethod
    def _init_state(p: Tensor, state: dict[str, Any]) -> None:
        state["step"] = scalar_state(0.0)
        state["exp_avg"] = zeros_state(p)
        state["exp_avg_sq"] = zeros_state(p)

    def step(self, closure=None):
        loss = self._closure_loss(closure)
        ws = workspace(self)
        for group in self.param_groups:
            beta1, beta2 = (to_float(b) for b in group["betas"])
            lr, eps = to_float(group["lr"]), to_float(group["eps"])
            weight_decay = to_float(group["weight_decay"])
            decoupled, maximize = group["decoupled_weight_decay"], group["maximize"]
            updates = params_with_grad(self, group, "RAdam", self._init_state, ws,
                                       maximize=maximize, weight_decay=weight_decay,
                                       decoupled=decoupled, lr=lr)
            for p, state, step, grad in updates:
                param = p._data
                xp = array_module(param)
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
