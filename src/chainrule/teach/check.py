"""Finite-difference check of a whole model's gradients, parameter by parameter.

For each parameter element ``θ_i`` (all of them, or a random subset of a large parameter) the
analytic ``∂J/∂θ_i`` from backward is compared with the central difference
``(J(θ + ε e_i) − J(θ − ε e_i)) / 2ε``, with the model switched to float64 for the check (the
parameters' data are swapped in place and restored afterwards, so the model is unchanged).

Use ``model.eval()`` first if it has dropout (random masks make the two sides disagree), and
expect an occasional mismatch exactly at a ReLU kink.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable

import numpy as np

from ..autograd import grad as autograd_grad
from ..autograd.grad_mode import no_grad
from ._format import emit, fmt_shape

__all__ = ["ParamCheck", "ModelGradCheck", "check_model_gradients"]


@dataclass
class ParamCheck:
    """One parameter's result; ``worst`` is the element index with the largest error."""

    name: str
    shape: tuple
    checked: int
    total: int
    max_abs: float
    max_rel: float
    ok: bool
    worst: tuple = ()
    analytic: float = 0.0
    numeric: float = 0.0


@dataclass
class ModelGradCheck:
    """All parameters' results; ``ok`` when every checked element agrees."""

    rows: list = field(default_factory=list)
    eps: float = 1e-6
    atol: float = 1e-5
    rtol: float = 1e-3

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows)

    def __bool__(self) -> bool:
        return self.ok

    def to_text(self) -> str:
        head = ["parameter", "shape", "checked", "max abs error", "max rel error", "result"]
        body = [
            [r.name, fmt_shape(r.shape), f"{r.checked}/{r.total}", f"{r.max_abs:.3g}",
             f"{r.max_rel:.3g}", "OK" if r.ok else "FAIL"]
            for r in self.rows
        ]  # fmt: skip
        widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(head)]
        lines = [
            f"Gradient check of {len(self.rows)} parameters (float64, central differences, "
            f"eps={self.eps:g}; OK when |analytic − numeric| <= {self.atol:g} + "
            f"{self.rtol:g}·|numeric|)",
        ]
        for row in [head, *body]:
            lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        for r in self.rows:
            if not r.ok:
                lines.append(
                    f"FAIL {r.name}{list(r.worst)}: analytic {r.analytic:.6g} vs numeric "
                    f"{r.numeric:.6g} (backward of an op on this parameter's path is wrong)"
                )
        lines.append("all gradients OK" if self.ok else "some gradients are WRONG")
        return "\n".join(lines) + "\n"

    __str__ = to_text


def _as_float64(t):
    return t.double() if t is not None and hasattr(t, "dtype") and t.is_floating_point() else t


def check_model_gradients(
    model,
    inputs: Any,
    loss_fn: Callable,
    file=None,
    *,
    target: Any = None,
    max_per_param: int = 64,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    seed: int = 0,
) -> ModelGradCheck:
    """Gradchecks every parameter of ``model`` in float64 and prints a table.

    Args:
        model: a Module (anything with ``named_parameters()`` called on ``inputs``).
        inputs: the model's input tensor, or a tuple of inputs (``model(*inputs)``).
        loss_fn: ``loss_fn(output)`` -> scalar, or ``loss_fn(output, target)`` when ``target``
            is given (e.g. ``nn.MSELoss()``).
        file: where to print the table (a text stream or a path); ``sys.stdout`` by default.
        max_per_param: parameters with more elements are checked on a random subset of this
            many (seeded by ``seed``).
        eps, atol, rtol: the finite-difference step and the tolerances.

    Returns:
        :class:`ModelGradCheck` with ``.ok`` and one :class:`ParamCheck` per parameter.
    """
    params = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    buffers = list(model.named_buffers()) if hasattr(model, "named_buffers") else []
    ins = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
    ins = tuple(_as_float64(x) for x in ins)
    tgt = _as_float64(target)
    rng = np.random.default_rng(seed)
    saved = [(p, p._data, p._grad) for _, p in params]
    saved += [(b, b._data, None) for _, b in buffers if b is not None]

    def loss_of():
        out = model(*ins)
        return loss_fn(out) if tgt is None else loss_fn(out, tgt)

    result = ModelGradCheck(eps=eps, atol=atol, rtol=rtol)
    try:
        for t, data, _ in saved:
            if data.dtype.kind == "f":
                t._data = data.astype(np.float64)
        loss = loss_of()
        if loss._data.size != 1:
            raise RuntimeError(f"loss_fn must return a scalar, got shape {tuple(loss.shape)}")
        grads = autograd_grad(loss, [p for _, p in params], allow_unused=True)
        for (name, p), g in zip(params, grads, strict=True):
            result.rows.append(_check_param(name, p, g, loss_of, rng, max_per_param, eps,
                                            atol, rtol))  # fmt: skip
    finally:
        for t, data, _ in saved:
            t._data = data
        for (_, p), (_, _, grad) in zip(params, saved, strict=False):
            p._grad = grad
    emit(result.to_text(), file)
    return result


def _check_param(name, p, g, loss_of, rng, max_per_param, eps, atol, rtol) -> ParamCheck:
    data = p._data
    size = data.size
    if size <= max_per_param:
        flat = np.arange(size)
    else:
        flat = np.sort(rng.choice(size, max_per_param, replace=False))
    analytic = np.zeros(len(flat)) if g is None else g._data.reshape(-1)[flat].astype(np.float64)
    numeric = np.empty(len(flat))
    with no_grad():
        for k, i in enumerate(flat):
            idx = np.unravel_index(int(i), data.shape)
            orig = data[idx]
            data[idx] = orig + eps
            plus = float(loss_of()._data)
            data[idx] = orig - eps
            minus = float(loss_of()._data)
            data[idx] = orig
            numeric[k] = (plus - minus) / (2 * eps)
    err = np.abs(analytic - numeric)
    rel = err / np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), 1e-12)
    bad = err > atol + rtol * np.abs(numeric)
    worst = int(np.argmax(err)) if len(err) else 0
    return ParamCheck(
        name,
        tuple(data.shape),
        len(flat),
        size,
        float(err.max()) if len(err) else 0.0,
        float(rel.max()) if len(rel) else 0.0,
        not bool(bad.any()),
        tuple(int(w) for w in np.unravel_index(int(flat[worst]), data.shape)) if len(flat) else (),
        float(analytic[worst]) if len(err) else 0.0,
        float(numeric[worst]) if len(err) else 0.0,
    )
