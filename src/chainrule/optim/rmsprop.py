"""RMSprop: divide the gradient by a running root-mean-square of recent gradients."""

from __future__ import annotations

import functools
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

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    r"""RMSprop (Hinton's lecture 6e), step for step as ``torch.optim.RMSprop``.

    .. code-block:: text

        g_t = ∇f(θ_{t-1}) (+ λ θ_{t-1})
        v_t = α v_{t-1} + (1 - α) g_t²
        centered:  ḡ_t = α ḡ_{t-1} + (1 - α) g_t;   ṽ_t = v_t - ḡ_t²   else ṽ_t = v_t
        μ > 0:     b_t = μ b_{t-1} + g_t / (sqrt(ṽ_t) + ε);   θ_t = θ_{t-1} - γ b_t
        else:      θ_t = θ_{t-1} - γ g_t / (sqrt(ṽ_t) + ε)

    Args: lr γ (1e-2), alpha α (0.99), eps ε (1e-8), weight_decay λ (0), momentum μ (0),
    centered (False), maximize (False); capturable/foreach accepted.

    State per parameter: ``step``, ``square_avg``, ``momentum_buffer`` (μ > 0),
    ``grad_avg`` (centered).
    """

    def __init__(self, params, lr: float | Tensor = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False,
                 capturable: bool = False, foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False) -> None:
        _check_options(lr=lr, eps=eps, momentum=momentum, weight_decay=weight_decay, alpha=alpha)
        defaults = {
            "lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps, "centered": centered,
            "weight_decay": weight_decay, "capturable": capturable, "foreach": foreach,
            "maximize": maximize, "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self._setstate_defaults(momentum=0, centered=False, foreach=None, maximize=False,
                                differentiable=False, capturable=False)

    @staticmethod
    def _init_state(p: Tensor, state: dict[str, Any], momentum: float, centered: bool) -> None:
        state["step"] = scalar_state(0.0)
        state["square_avg"] = zeros_state(p)
        if momentum > 0:
            state["momentum_buffer"] = zeros_state(p)
        if centered:
            state["grad_avg"] = zeros_state(p)

    def step(self, closure=None):
        loss = self._closure_loss(closure)
        ws = workspace(self)
        for group in self.param_groups:
            lr, alpha, eps = to_float(group["lr"]), to_float(group["alpha"]), to_float(group["eps"])
            weight_decay, momentum = to_float(group["weight_decay"]), to_float(group["momentum"])
            centered, maximize = group["centered"], group["maximize"]
            init = functools.partial(self._init_state, momentum=momentum, centered=centered)
            updates = params_with_grad(self, group, "RMSprop", init, ws, maximize=maximize,
                                       weight_decay=weight_decay)
            for p, state, _, grad in updates:
                param = p._data
                xp = array_module(param)
                tmp, avg = ws(param, 2), ws(param, 3)
                square_avg = state["square_avg"]._data
                square_avg *= alpha
                addcmul_(square_avg, grad, grad, 1 - alpha, tmp)
                if centered:
                    grad_avg = lerp_(state["grad_avg"]._data, grad, 1 - alpha, tmp)
                    xp.multiply(grad_avg, grad_avg, out=tmp)
                    xp.subtract(square_avg, tmp, out=avg)
                    xp.sqrt(avg, out=avg)
                else:
                    xp.sqrt(square_avg, out=avg)
                avg += eps
                if momentum > 0:
                    buf = state["momentum_buffer"]._data
                    buf *= momentum
                    addcdiv_(buf, grad, avg, 1.0, tmp)
                    xp.multiply(buf, lr, out=tmp)
                    param -= tmp
                else:
                    addcdiv_(param, grad, avg, -lr, tmp)
                bump_versions(p, state)
        return loss
