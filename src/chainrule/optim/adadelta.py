"""Adadelta: step sizes from running averages of squared gradients and squared updates."""

from __future__ import annotations

from typing import Any

from .._backend import array_module
from .._tensor import Tensor
from ._numerics import (
    addcmul_,
    bump_versions,
    params_with_grad,
    scalar_state,
    to_float,
    workspace,
    zeros_state,
)
from .optimizer import Optimizer, _check_options

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
        _check_options(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay)
        defaults = {
            "lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay,
            "maximize": maximize, "capturable": capturable, "foreach": foreach,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self._setstate_defaults(foreach=None, maximize=False, differentiable=False,
                                capturable=False)

    @staticmethod
    def _init_state(p: Tensor, state: dict[str, Any]) -> None:
        state["step"] = scalar_state(0.0)
        state["square_avg"] = zeros_state(p)
        state["acc_delta"] = zeros_state(p)

    def step(self, closure=None):
        loss = self._closure_loss(closure)
        ws = workspace(self)
        for group in self.param_groups:
            lr, rho, eps = to_float(group["lr"]), to_float(group["rho"]), to_float(group["eps"])
            weight_decay, maximize = to_float(group["weight_decay"]), group["maximize"]
            updates = params_with_grad(self, group, "Adadelta", self._init_state, ws,
                                       maximize=maximize, weight_decay=weight_decay)
            for p, state, _, grad in updates:
                param = p._data
                xp = array_module(param)
                tmp, std, delta = ws(param, 2), ws(param, 3), ws(param, 4)
                square_avg, acc_delta = state["square_avg"]._data, state["acc_delta"]._data
                square_avg *= rho
                addcmul_(square_avg, grad, grad, 1 - rho, tmp)
                xp.add(square_avg, eps, out=std)
                xp.sqrt(std, out=std)
                xp.add(acc_delta, eps, out=delta)
                xp.sqrt(delta, out=delta)
                delta /= std
                delta *= grad
                acc_delta *= rho
                addcmul_(acc_delta, delta, delta, 1 - rho, tmp)
                xp.multiply(delta, lr, out=tmp)
                param -= tmp
                bump_versions(p, state)
        return loss
