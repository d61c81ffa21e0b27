"""Adam and AdamW: adaptive moment estimation, with L2 or decoupled weight decay."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from .._tensor import Tensor
from ._numerics import (
    bump_versions,
    dtype_scalars,
    params_with_grad,
    scalar_state,
    to_float,
    workspace,
    zeros_state,
)
from .optimizer import Optimizer, _check_options

__all__ = ["Adam", "AdamW"]

_add, _sub, _mul, _div, _sqrt = np.add, np.subtract, np.multiply, np.divide, np.sqrt


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
        _check_options(lr=lr, eps=eps, betas=betas, weight_decay=weight_decay)
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
        self._setstate_defaults(amsgrad=False, maximize=False, foreach=None, capturable=False,
                                differentiable=False, decoupled_weight_decay=False, fused=None)

    @staticmethod
    def _init_state(p: Tensor, state: dict[str, Any], amsgrad: bool) -> None:
        state["step"] = scalar_state(0.0)
        state["exp_avg"] = zeros_state(p)
        state["exp_avg_sq"] = zeros_state(p)
        if amsgrad:
            state["max_exp_avg_sq"] = zeros_state(p)

    def step(self, closure=None):
        loss = self._closure_loss(closure) if closure is not None else None
        ws = workspace(self)
        for group in self.param_groups:
            beta1, beta2 = (to_float(b) for b in group["betas"])
            lr, eps = to_float(group["lr"]), to_float(group["eps"])
            weight_decay = to_float(group["weight_decay"])
            amsgrad = group["amsgrad"]
            init = functools.partial(self._init_state, amsgrad=amsgrad)
            updates = params_with_grad(self, group, "Adam", init, ws,
                                       maximize=group["maximize"], weight_decay=weight_decay,
                                       decoupled=group["decoupled_weight_decay"], lr=lr)
            # hyperparameters as 0-d arrays of the parameter's dtype (dtype_scalars), built
            # once per dtype and per step count
            dtype = scalars = None
            last_step = -1.0
            w1 = 1 - beta1  # lerp_'s weight: torch's two-sided formula, picked once per group
            for p, state, step, grad in updates:
                param = p._data
                if type(param) is not np.ndarray:  # CuPy: Python floats (weak scalars)
                    dtype, last_step = None, -1.0
                    scalars = (w1 if abs(w1) < 0.5 else 1.0 - w1, beta2, 1 - beta2, eps)
                elif param.dtype is not dtype:
                    dtype, last_step = param.dtype, -1.0
                    scalars = dtype_scalars(param, w1 if abs(w1) < 0.5 else 1.0 - w1, beta2,
                                            1 - beta2, eps)
                if step != last_step:
                    last_step = step
                    step_size = lr / (1 - beta1**step)
                    bias_correction2_sqrt = (1 - beta2**step) ** 0.5
                    neg_step_size, bias_correction2_sqrt = dtype_scalars(
                        param, -step_size, bias_correction2_sqrt)
                w_a, beta2_a, one_minus_beta2_a, eps_a = scalars
                tmp, denom = ws(param, 2), ws(param, 3)
                exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
                # exp_avg.lerp_(grad, 1 - β1)  (lerp_)
                _sub(grad, exp_avg, tmp)
                _mul(tmp, w_a, tmp)
                if abs(w1) < 0.5:
                    _add(exp_avg, tmp, exp_avg)
                else:
                    _sub(grad, tmp, exp_avg)
                # exp_avg_sq.mul_(β2).addcmul_(grad, grad, value=1 - β2)  (addcmul_)
                _mul(exp_avg_sq, beta2_a, exp_avg_sq)
                _mul(grad, one_minus_beta2_a, tmp)
                _mul(tmp, grad, tmp)
                _add(exp_avg_sq, tmp, exp_avg_sq)
                if amsgrad:
                    max_sq = state["max_exp_avg_sq"]._data
                    np.maximum(max_sq, exp_avg_sq, out=max_sq)
                    _sqrt(max_sq, denom)
                else:
                    _sqrt(exp_avg_sq, denom)
                _div(denom, bias_correction2_sqrt, denom)
                _add(denom, eps_a, denom)
                # param.addcdiv_(exp_avg, denom, value=-step_size)  (addcdiv_)
                _mul(exp_avg, neg_step_size, tmp)
                _div(tmp, denom, tmp)
                _add(param, tmp, param)
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
