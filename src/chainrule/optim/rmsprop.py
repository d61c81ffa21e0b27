"""RMSprop: divide the gradient by a running root-mean-square of recent gradients."""

from __future__ import annotations

from typing import Any

from .._backend import array_module
from .._tensor import Tensor
from ._numerics import (
    addcdiv_,
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
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = {
            "lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps, "centered": centered,
            "weight_decay": weight_decay, "capturable": capturable, "foreach": foreach,
            "maximize": maximize, "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("momentum", 0)
            group.setdefault("centered", False)
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
            lr, alpha, eps = to_float(group["lr"]), to_float(group["alpha"]), to_float(group["eps"])
            weight_decay, momentum = to_float(group["weight_decay"]), to_float(group["momentum"])
            centered, maximize = group["centered"], group["maximize"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                check_dense(p, "RMSprop")
                reject_complex(p, "RMSprop")
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = scalar_state(0.0)
                    state["square_avg"] = zeros_state(p)
                    if momentum > 0:
                        state["momentum_buffer"] = zeros_state(p)
                    if centered:
                        state["grad_avg"] = zeros_state(p)
                param = p._data
                xp = array_module(param)
                bump_step(state["step"])
                grad = effective_grad(p, maximize, weight_decay, ws)
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
