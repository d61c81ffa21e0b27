"""Adam and AdamW: adaptive moment estimation, with L2 or decoupled weight decay."""

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

__all__ = ["Adam", "AdamW"]


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2014), step for step as ``torch.optim.Adam``.

    .. code-block:: text

        g_t = ∇f(θ_{t-1})                             (negated when maximize)
        if λ ≠ 0:  θ_{t-1} = θ_{t-1} (1 - γλ)          (decoupled_weight_decay)
                   g_t = g_t + λ θ_{t-1}               (otherwise)
        m_t = β1 m_{t-1} + (1 - β1) g_t
        v_t = β2 v_{t-1} + (1 - β2) g_t²
        v̂_t = max(v̂_{t-1}, v_t) if amsgrad else v_t
        θ_t = θ_{t-1} - γ / (1 - β1^t) · m_t / (sqrt(v̂_t) / sqrt(1 - β2^t) + ε)

    Args:
        params: parameters or parameter groups. lr: γ (default 1e-3, a float or 1-element
        Tensor). betas: (β1, β2) (default (0.9, 0.999)). eps: ε (default 1e-8).
        weight_decay: λ (default 0). amsgrad: keep the running max of v (default False).
        maximize, decoupled_weight_decay: as above. foreach, fused, capturable: accepted, no
        effect on results.

    State per parameter: ``step`` (0-d tensor), ``exp_avg``, ``exp_avg_sq`` and, with amsgrad,
    ``max_exp_avg_sq``.
    """

    def __init__(self, params, lr: float | Tensor = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, amsgrad: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None,
                 decoupled_weight_decay: bool = False) -> None:
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
        if not ((isinstance(betas[0], float) and isinstance(betas[1], float))
                or (isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor))):
            raise ValueError("betas must be either both floats or both Tensors")  # noqa: TRY004
        defaults = {
            "lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
            "amsgrad": amsgrad, "maximize": maximize, "foreach": foreach,
            "capturable": capturable, "differentiable": differentiable, "fused": fused,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)
        if fused and foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("amsgrad", False)
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("capturable", False)
            group.setdefault("differentiable", False)
            group.setdefault("decoupled_weight_decay", False)
            group.setdefault("fused", None)
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
            amsgrad, maximize = group["amsgrad"], group["maximize"]
            decoupled = group["decoupled_weight_decay"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                check_dense(p, "Adam")
                reject_complex(p, "Adam")
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = scalar_state(0.0)
                    state["exp_avg"] = zeros_state(p)
                    state["exp_avg_sq"] = zeros_state(p)
                    if amsgrad:
                        state["max_exp_avg_sq"] = zeros_state(p)
                param = p._data
                xp = array_module(param)
                step = bump_step(state["step"])
                if weight_decay != 0 and decoupled:
                    param *= 1 - lr * weight_decay
                    grad = effective_grad(p, maximize, 0.0, ws)
                else:
                    grad = effective_grad(p, maximize, weight_decay, ws)
                tmp, denom = ws(param, 2), ws(param, 3)
                exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
                lerp_(exp_avg, grad, 1 - beta1, tmp)
                exp_avg_sq *= beta2
                addcmul_(exp_avg_sq, grad, grad, 1 - beta2, tmp)
                step_size = lr / (1 - beta1**step)
                bias_correction2_sqrt = (1 - beta2**step) ** 0.5
                if amsgrad:
                    max_sq = state["max_exp_avg_sq"]._data
                    xp.maximum(max_sq, exp_avg_sq, out=max_sq)
                    xp.sqrt(max_sq, out=denom)
                else:
                    xp.sqrt(exp_avg_sq, out=denom)
                denom /= bias_correction2_sqrt
                denom += eps
                addcdiv_(param, exp_avg, denom, -step_size, tmp)
                bump_versions(p, state)
        return loss


class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov & Hutter, 2019), as ``torch.optim.AdamW``.

    Identical to ``Adam(..., decoupled_weight_decay=True)`` with ``weight_decay`` defaulting to
    1e-2: the parameter shrinks by ``1 - γλ`` before the Adam update instead of adding ``λθ`` to
    the gradient.
    """

    def __init__(self, params, lr: float | Tensor = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable,
                         differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True
