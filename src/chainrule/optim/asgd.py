"""ASGD: averaged stochastic gradient descent (Polyak-Ruppert averaging)."""

from __future__ import annotations

import functools
from typing import Any

from .._backend import array_module
from .._tensor import Tensor
from ._numerics import (
    bump_versions,
    params_with_grad,
    scalar_state,
    to_float,
    workspace,
    zeros_state,
)
from .optimizer import Optimizer, _check_options

__all__ = ["ASGD"]


class ASGD(Optimizer):
    r"""Averaged SGD (Polyak & Juditsky, 1992), step for step as ``torch.optim.ASGD``.

    .. code-block:: text

        g_t = ∇f(θ_{t-1}) (+ λ_wd θ_{t-1})
        θ_t = θ_{t-1} (1 - λ η_{t-1}) - η_{t-1} g_t
        ax_t = θ_t if μ_{t-1} = 1 else ax_{t-1} + μ_{t-1} (θ_t - ax_{t-1})
        η_t = γ / (1 + λ γ t)^α;   μ_t = 1 / max(1, t - t0)

    Args: lr γ (1e-2), lambd λ (1e-4), alpha α (0.75), t0 (1e6), weight_decay (0), maximize.
    State: ``step``, ``eta``, ``mu`` (0-d tensors in torch's scalar dtype), ``ax`` (the average).
    """

    def __init__(self, params, lr: float | Tensor = 1e-2, lambd: float = 1e-4, alpha: float = 0.75,
                 t0: float = 1e6, weight_decay: float = 0, foreach: bool | None = None,
                 maximize: bool = False, differentiable: bool = False,
                 capturable: bool = False) -> None:
        _check_options(lr=lr, weight_decay=weight_decay)
        defaults = {
            "lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0, "weight_decay": weight_decay,
            "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
            "capturable": capturable,
        }
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self._setstate_defaults(scalar_keys=("step", "eta", "mu"), foreach=None, maximize=False,
                                differentiable=False, capturable=False)

    @staticmethod
    def _init_state(p: Tensor, state: dict[str, Any], lr: float) -> None:
        state["step"] = scalar_state(0.0)
        state["eta"] = scalar_state(lr)
        state["mu"] = scalar_state(1.0)
        state["ax"] = zeros_state(p)

    def step(self, closure=None):
        loss = self._closure_loss(closure)
        ws = workspace(self)
        for group in self.param_groups:
            lr, lambd = to_float(group["lr"]), to_float(group["lambd"])
            alpha, t0 = to_float(group["alpha"]), to_float(group["t0"])
            weight_decay, maximize = to_float(group["weight_decay"]), group["maximize"]
            init = functools.partial(self._init_state, lr=lr)
            updates = params_with_grad(self, group, "ASGD", init, ws, maximize=maximize,
                                       weight_decay=weight_decay)
            for p, state, step, grad in updates:
                param = p._data
                xp = array_module(param)
                tmp = ws(param, 2)
                # eta and mu are read back from their (float32 by default) state tensors, so the
                # update uses the same rounded values as torch.
                eta = float(state["eta"]._data)
                param *= 1 - lambd * eta
                xp.multiply(grad, eta, out=tmp)
                param -= tmp
                ax = state["ax"]._data
                mu = float(state["mu"]._data)
                if mu != 1:
                    xp.subtract(param, ax, out=tmp)
                    tmp *= mu
                    ax += tmp
                else:
                    ax[...] = param
                state["eta"]._data[...] = lr / ((1 + lambd * lr * step) ** alpha)
                state["mu"]._data[...] = 1 / max(1, step - t0)
                bump_versions(p, state)
        return loss
