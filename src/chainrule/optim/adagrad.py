"""Adagrad: per-coordinate learning rates from the running sum of squared gradients."""

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
    full_state,
    reject_complex,
    scalar_state,
    to_float,
    workspace,
)
from .optimizer import Optimizer

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
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(
                f"Invalid initial_accumulator_value value: {initial_accumulator_value}"
            )
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
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
        for group in self.param_groups:
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("fused", None)
        for p_state in self.state.values():
            if "step" in p_state and not isinstance(p_state["step"], Tensor):
                p_state["step"] = scalar_state(float(p_state["step"]))

    def share_memory(self) -> None:
        """Kept for torch compatibility: NumPy state is already shareable by fork."""

    def step(self, closure=None):
        loss = self._closure_loss(closure)
        ws = workspace(self)
        for group in self.param_groups:
            lr, lr_decay = to_float(group["lr"]), to_float(group["lr_decay"])
            weight_decay, eps = to_float(group["weight_decay"]), to_float(group["eps"])
            maximize = group["maximize"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                check_dense(p, "Adagrad")
                state = self.state[p]
                if len(state) == 0:  # a parameter added after construction
                    state["step"] = scalar_state(0.0)
                    state["sum"] = full_state(p, self.defaults["initial_accumulator_value"])
                step = bump_step(state["step"])
                param = p._data
                grad = effective_grad(p, maximize, weight_decay, ws)
                tmp, std = ws(param, 2), ws(param, 3)
                clr = lr / (1 + (step - 1) * lr_decay)
                state_sum = state["sum"]._data
                addcmul_(state_sum, grad, grad, 1.0, tmp)
                array_module(param).sqrt(state_sum, out=std)
                std += eps
                addcdiv_(param, grad, std, -clr, tmp)
                bump_versions(p, state)
        return loss
