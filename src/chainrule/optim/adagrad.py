"""Adagrad: per-coordinate learning rates from the running sum of squared gradients."""

from __future__ import annotations

from typing import Any

from .._backend import array_module
from .._tensor import Tensor
from ._numerics import (
    addcdiv_,
    addcmul_,
    bump_versions,
    full_state,
    params_with_grad,
    reject_complex,
    scalar_state,
    to_float,
    workspace,
)
from .optimizer import Optimizer, _check_options

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    r"""Adagrad (Duchi et al., 2011), step for step as ``torch.optim.Adagrad``.

    .. code-block:: text

        g_t = ∇f(θ_{t-1}) (+ λ θ_{t-1})
        γ̃_t = γ / (1 + (t - 1) η)                    (η = lr_decay)
        s_t = s_{t-1} + g_t²                          (s_0 = initial_accumulator_value)
        θ_t = θ_{t-1} - γ̃_t g_t / (sqrt(s_t) + ε)

    Args: lr γ (1e-2), lr_decay η (0), weight_decay λ (0), initial_accumulator_value (0),
    eps ε (1e-10), maximize (False); foreach/fused accepted.

    As in torch, the state (``step``, ``sum``) of every parameter exists from construction.
    """

    def __init__(self, params, lr: float | Tensor = 1e-2, lr_decay: float = 0,
                 weight_decay: float = 0, initial_accumulator_value: float = 0,
                 eps: float = 1e-10, foreach: bool | None = None, *, maximize: bool = False,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        _check_options(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                       initial_accumulator_value=initial_accumulator_value, eps=eps)
        defaults = {
            "lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
            "maximize": maximize, "differentiable": differentiable, "fused": fused,
        }
        super().__init__(params, defaults)
        if fused and foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
        for group in self.param_groups:
            for p in group["params"]:
                reject_complex(p, "Adagrad")
                state = self.state[p]
                state["step"] = scalar_state(0.0)
                state["sum"] = full_state(p, initial_accumulator_value)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self._setstate_defaults(scalar_keys=(), foreach=None, maximize=False,
                                differentiable=False, fused=None)
        # as torch's Adagrad: the step of every state entry, not only of the groups' params
        for p_state in self.state.values():
            if "step" in p_state and not isinstance(p_state["step"], Tensor):
                p_state["step"] = scalar_state(float(p_state["step"]))

    def share_memory(self) -> None:
        """Kept for torch compatibility: NumPy state is already shareable by fork."""

    def _init_state(self, p: Tensor, state: dict[str, Any]) -> None:
        """Only for a parameter added after construction (the others have their state)."""
        state["step"] = scalar_state(0.0)
        state["sum"] = full_state(p, self.defaults["initial_accumulator_value"])

    def step(self, closure=None):
        loss = self._closure_loss(closure)
        ws = workspace(self)
        for group in self.param_groups:
            lr, lr_decay = to_float(group["lr"]), to_float(group["lr_decay"])
            weight_decay, eps = to_float(group["weight_decay"]), to_float(group["eps"])
            maximize = group["maximize"]
            updates = params_with_grad(self, group, "Adagrad", self._init_state, ws,
                                       maximize=maximize, weight_decay=weight_decay)
            for p, state, step, grad in updates:
                param = p._data
                tmp, std = ws(param, 2), ws(param, 3)
                clr = lr / (1 + (step - 1) * lr_decay)
                state_sum = state["sum"]._data
                addcmul_(state_sum, grad, grad, 1.0, tmp)
                array_module(param).sqrt(state_sum, out=std)
                std += eps
                addcdiv_(param, grad, std, -clr, tmp)
                bump_versions(p, state)
        return loss
