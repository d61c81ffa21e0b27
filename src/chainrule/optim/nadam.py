"""NAdam: Adam with Nesterov momentum and a momentum-decay schedule."""

from __future__ import annotations

from typing import Any

from .._backend import array_module
from .._tensor import Tensor
from ._numerics import (
    addcdiv_,
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

__all__ = ["NAdam"]


class NAdam(Optimizer):
    r"""NAdam (Dozat, 2016), step for step as ``torch.optim.NAdam``.

    .. code-block:: text

        g_t = ∇f(θ_{t-1});  weight decay: θ *= 1 - γλ (decoupled) or g_t += λ θ
        μ_t = β1 (1 - ½ · 0.96^(t ψ)),  μ_{t+1} = β1 (1 - ½ · 0.96^((t+1) ψ))   (ψ = momentum_decay)
        Π_t = Π_{t-1} μ_t                                  (mu_product, kept in the state)
        m_t = β1 m_{t-1} + (1 - β1) g_t;   v_t = β2 v_{t-1} + (1 - β2) g_t²
        d = sqrt(v_t / (1 - β2^t)) + ε
        θ_t = θ_{t-1} - γ (1 - μ_t) / (1 - Π_t) · g_t / d - γ μ_{t+1} / (1 - Π_t μ_{t+1}) · m_t / d

    Args: lr γ (2e-3), betas (0.9, 0.999), eps (1e-8), weight_decay λ (0),
    momentum_decay ψ (4e-3), decoupled_weight_decay (False), maximize;
    foreach/capturable accepted. State: ``step``, ``mu_product``, ``exp_avg``, ``exp_avg_sq``.

    ``mu_product`` is a 0-d tensor in torch's scalar dtype (float32 unless the default dtype is
    float64), and the product is rounded there each step, as in torch.
    """

    def __init__(self, params, lr: float | Tensor = 2e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *, foreach: bool | None = None,
                 maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False) -> None:
        _check_options(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay,
                       momentum_decay=momentum_decay)
        defaults = {
            "lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
            "momentum_decay": momentum_decay, "decoupled_weight_decay": decoupled_weight_decay,
            "maximize": maximize, "foreach": foreach, "capturable": capturable,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self._setstate_defaults(scalar_keys=("step", "mu_product"), maximize=False,
                                foreach=None, capturable=False, differentiable=False,
                                decoupled_weight_decay=False)

    @staticmethod
    def _init_state(p: Tensor, state: dict[str, Any]) -> None:
        state["step"] = scalar_state(0.0)
        state["mu_product"] = scalar_state(1.0)
        state["exp_avg"] = zeros_state(p)
        state["exp_avg_sq"] = zeros_state(p)

    def step(self, closure=None):
        loss = self._closure_loss(closure)
        ws = workspace(self)
        for group in self.param_groups:
            beta1, beta2 = (to_float(b) for b in group["betas"])
            lr, eps = to_float(group["lr"]), to_float(group["eps"])
            weight_decay = to_float(group["weight_decay"])
            momentum_decay = to_float(group["momentum_decay"])
            decoupled, maximize = group["decoupled_weight_decay"], group["maximize"]
            updates = params_with_grad(self, group, "NAdam", self._init_state, ws,
                                       maximize=maximize, weight_decay=weight_decay,
                                       decoupled=decoupled, lr=lr)
            for p, state, step, grad in updates:
                param = p._data
                xp = array_module(param)
                bias_correction2 = 1 - beta2**step
                mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))
                mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
                mu_product_t = state["mu_product"]
                mu_product_t._data *= mu  # rounded in the scalar dtype, like torch's tensor
                mu_product = float(mu_product_t._data)
                mu_product_next = mu_product * mu_next
                tmp, denom = ws(param, 2), ws(param, 3)
                exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
                lerp_(exp_avg, grad, 1 - beta1, tmp)
                exp_avg_sq *= beta2
                addcmul_(exp_avg_sq, grad, grad, 1 - beta2, tmp)
                xp.divide(exp_avg_sq, bias_correction2, out=denom)
                xp.sqrt(denom, out=denom)
                denom += eps
                addcdiv_(param, grad, denom, -lr * (1.0 - mu) / (1.0 - mu_product), tmp)
                addcdiv_(param, exp_avg, denom, (-lr * mu_next) / (1.0 - mu_product_next), tmp)
                bump_versions(p, state)
        return loss
