"""Stochastic gradient descent with momentum, dampening, Nesterov and weight decay."""

from __future__ import annotations

from typing import Any

from .._backend import array_module
from .._tensor import _make
from ._numerics import check_dense, effective_grad, to_float, workspace
from .optimizer import Optimizer

__all__ = ["SGD"]


class SGD(Optimizer):
    r"""Stochastic gradient descent (optionally with momentum), as ``torch.optim.SGD``.

    .. code-block:: text

        g_t = ∇f(θ_{t-1})                      (negated when maximize)
        if λ ≠ 0:      g_t = g_t + λ θ_{t-1}
        if μ ≠ 0:      b_t = g_t                          (t = 1)
                       b_t = μ b_{t-1} + (1 - τ) g_t      (t > 1)
                       g_t = g_t + μ b_t   if nesterov else   b_t
        θ_t = θ_{t-1} - γ g_t

    Args:
        params: parameters or parameter groups to optimize.
        lr: learning rate γ (default 1e-3).
        momentum: μ (default 0). dampening: τ (default 0).
        weight_decay: L2 penalty λ (default 0). nesterov: Nesterov momentum (default False).
        maximize: ascend the objective instead (default False).
        foreach, fused: accepted for compatibility; they do not change the result.
        differentiable: must be False (chainrule steps update raw arrays).

    State per parameter: ``momentum_buffer`` (only when ``momentum != 0``).
    """

    def __init__(self, params, lr: float = 1e-3, momentum: float = 0, dampening: float = 0,
                 weight_decay: float = 0, nesterov: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, differentiable: bool = False,
                 fused: bool | None = None) -> None:
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {
            "lr": lr, "momentum": momentum, "dampening": dampening,
            "weight_decay": weight_decay, "nesterov": nesterov, "maximize": maximize,
            "foreach": foreach, "differentiable": differentiable, "fused": fused,
        }
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        if fused and foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self._setstate_defaults(scalar_keys=(), nesterov=False, maximize=False, foreach=None,
                                differentiable=False, fused=False)

    def step(self, closure=None):
        loss = self._closure_loss(closure)
        ws = workspace(self)
        for group in self.param_groups:
            lr = to_float(group["lr"])
            momentum = to_float(group["momentum"])
            dampening = to_float(group["dampening"])
            weight_decay = to_float(group["weight_decay"])
            nesterov, maximize = group["nesterov"], group["maximize"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                check_dense(p, "SGD")
                param = p._data
                xp = array_module(param)
                grad = effective_grad(p, maximize, weight_decay, ws)
                tmp = ws(param, 2)
                if momentum != 0:
                    state = self.state[p]
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = _make(grad.copy(), False, None)
                        state["momentum_buffer"] = buf
                    else:
                        b = buf._data
                        b *= momentum
                        xp.multiply(grad, 1 - dampening, out=tmp)
                        b += tmp
                        buf._vc[0] += 1
                    if nesterov:
                        xp.multiply(buf._data, momentum, out=tmp)
                        tmp += grad
                        grad = tmp
                        tmp = ws(param, 3)
                    else:
                        grad = buf._data
                xp.multiply(grad, lr, out=tmp)
                param -= tmp
                p._vc[0] += 1
        return loss
