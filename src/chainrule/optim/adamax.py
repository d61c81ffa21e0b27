"""Adamax: Adam with the infinity norm in place of the second moment."""

from __future__ import annotations

from typing import Any

from .._backend import array_module
from .._tensor import Tensor
from ._numerics import (
    addcdiv_,
    bump_versions,
    lerp_,
    params_with_grad,
    scalar_state,
    to_float,
    workspace,
    zeros_state,
)
from .optimizer import Optimizer, _check_options

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
        _check_options(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
        defaults = {
            "lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
            "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
            "capturable": capturable,
        }
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self._setstate_defaults(foreach=None, maximize=False, differentiable=False,
                                capturable=False)

    @staticmethod
    def _init_state(p: Tensor, state: dict[str, Any]) -> None:
        state["step"] = scalar_state(0.0)
        state["exp_avg"] = zeros_state(p)
        state["exp_inf"] = zeros_state(p)

    def step(self, closure=None):
        loss = self._closure_loss(closure)
        ws = workspace(self)
        for group in self.param_groups:
            beta1, beta2 = (to_float(b) for b in group["betas"])
            lr, eps = to_float(group["lr"]), to_float(group["eps"])
            weight_decay, maximize = to_float(group["weight_decay"]), group["maximize"]
            updates = params_with_grad(self, group, "Adamax", self._init_state, ws,
                                       maximize=maximize, weight_decay=weight_decay)
            for p, state, step, grad in updates:
                param = p._data
                xp = array_module(param)
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
