"""Stochastic gradient descent with momentum, dampening, Nesterov and weight decay."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor import Tensor, _make
from ._numerics import _SMALL, dtype_scalars, effective_grad, to_float, workspace
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
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if lr < 0.0:  # torch's SGD checks `< 0` (a NaN lr passes), not `not 0 <= lr`
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
        loss = self._closure_loss(closure) if closure is not None else None
        ws = workspace(self)
        for group in self.param_groups:
            lr = to_float(group["lr"])
            # read only what decides the path: the seed net's whole step is a few µs
            if group["momentum"] == 0 and group["weight_decay"] == 0 and not group["maximize"]:
                _plain_sgd(group["params"], ws, lr)
            else:
                _sgd(group["params"], self.state, ws, lr, to_float(group["momentum"]),
                     to_float(group["dampening"]), to_float(group["weight_decay"]),
                     group["nesterov"], group["maximize"])
        return loss


def _check_grad_dtype(p, grad, param) -> None:
    # `is` first: NumPy's builtin dtypes are singletons, and `!=` costs more
    if grad.dtype is not param.dtype and grad.dtype != param.dtype:
        raise RuntimeError(
            f"parameter and its gradient have different dtypes ({p.dtype} vs {p._grad.dtype})"
        )


def _plain_sgd(params, ws, lr: float, _ndarray=np.ndarray, _sub=np.subtract,
               _mul=np.multiply) -> None:
    """``θ -= γ g``: plain SGD (no momentum, weight decay or maximize), the seed net's step.

    With four tiny parameters the per-parameter Python overhead is the whole cost, hence one
    flat loop with NumPy's functions bound as locals and γ a 0-d array of the parameter's
    dtype (``dtype_scalars``).
    """
    dtype = lr_a = None
    for p in params:
        g = p._grad
        if g is None:
            continue
        if g.is_sparse:
            raise RuntimeError("SGD does not support sparse gradients")
        param, grad = p._data, g._data
        if grad.dtype is not param.dtype:
            _check_grad_dtype(p, grad, param)
        if type(param) is not _ndarray:  # CuPy: a Python float (weak scalar)
            tmp = ws(param, 3)
            _mul(grad, lr, out=tmp)
            _sub(param, tmp, out=param)
        else:
            if param.dtype is not dtype:  # dtype_scalars(param, lr), inline: once a step
                dtype = param.dtype
                lr_a = np.array(lr, dtype) if dtype.kind == "f" else lr
            if param.size <= _SMALL:  # a fresh small temporary costs less than a lookup
                _sub(param, _mul(grad, lr_a), param)  # positional out: cheaper
            else:
                tmp = ws(param, 3)
                _mul(grad, lr_a, tmp)
                _sub(param, tmp, param)
        p._vc[0] += 1


def _sgd(params, state, ws, lr: float, momentum: float, dampening: float, weight_decay: float,
         nesterov: bool, maximize: bool) -> None:
    """One SGD step over ``params`` (any options), in place on the raw arrays.

    Every pass over the data counts on big parameters (the MLP's ~270k): the common momentum
    case (τ = 0) is ``b *= μ; b += g; p -= γ b``, four passes. The gradient is used as is
    unless maximize/weight decay change it; γ and μ are 0-d arrays as in ``_plain_sgd``.
    """
    plain_grad = not maximize and weight_decay == 0
    dtype = lr_a = mom_a = None
    for p in params:
        g = p._grad
        if g is None:
            continue
        if g.is_sparse:
            raise RuntimeError("SGD does not support sparse gradients")
        param = p._data
        if plain_grad:
            grad = g._data
            if grad.dtype is not param.dtype:
                _check_grad_dtype(p, grad, param)
        else:
            grad = effective_grad(p, maximize, weight_decay, ws)
        if type(param) is np.ndarray:
            if param.dtype is not dtype:
                dtype = param.dtype
                lr_a, mom_a = dtype_scalars(param, lr, momentum)
        else:  # CuPy: Python floats (weak scalars)
            dtype, lr_a, mom_a = None, lr, momentum
        if momentum != 0:
            p_state = state[p]
            buf = p_state.get("momentum_buffer")
            if buf is None:
                buf = _make(grad.copy(), False, None)
                p_state["momentum_buffer"] = buf
            else:
                b = buf._data
                np.multiply(b, mom_a, out=b)
                if dampening == 0:  # g·(1 - τ) would be one more pass for nothing
                    np.add(b, grad, out=b)
                else:
                    tmp = ws(param, 2)
                    np.multiply(grad, 1 - dampening, out=tmp)
                    np.add(b, tmp, out=b)
                buf._vc[0] += 1
            if nesterov:
                tmp = ws(param, 2)
                np.multiply(buf._data, mom_a, out=tmp)
                np.add(tmp, grad, out=tmp)
                grad = tmp
            else:
                grad = buf._data
        if param.size <= _SMALL:
            # a fresh small temporary costs less than a workspace lookup
            np.subtract(param, np.multiply(grad, lr_a), out=param)
        else:
            tmp = ws(param, 3)
            np.multiply(grad, lr_a, out=tmp)
            np.subtract(param, tmp, out=param)
        p._vc[0] += 1
