"""Finite-difference checks of analytic gradients (``gradcheck``, ``gradgradcheck``).

For each differentiable input ``x`` and each output element, the analytic Jacobian row from
backward is compared with central differences ``(f(x + eps e_j) - f(x - eps e_j)) / (2 eps)``.
Run them in float64: float32 differences are too coarse to judge.
"""

from __future__ import annotations

import numpy as np

from . import function as _function

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]


class GradcheckError(RuntimeError):
    """The analytic and numerical Jacobians disagree (the message says where)."""


def _as_tuple(x):
    return tuple(x) if isinstance(x, (list, tuple)) else (x,)


def _flat_outputs(out):
    Tensor = _function.Tensor
    return [o for o in _as_tuple(out) if isinstance(o, Tensor)]


def _numerical_jacobian(fn, inputs, k, eps):
    x = inputs[k]
    data = x._data
    outs0 = _flat_outputs(fn(*inputs))
    jac = [np.zeros((data.size, o._data.size)) for o in outs0]
    # index the array itself (not a reshaped view): a non-contiguous input would be copied by
    # reshape and the perturbation lost
    for j, idx in enumerate(np.ndindex(*data.shape)):
        orig = data[idx].copy()
        data[idx] = orig + eps
        plus = [o._data.astype(np.float64).reshape(-1).copy() for o in _flat_outputs(fn(*inputs))]
        data[idx] = orig - eps
        minus = [o._data.astype(np.float64).reshape(-1).copy()
                 for o in _flat_outputs(fn(*inputs))]
        data[idx] = orig
        for m, (p, q) in enumerate(zip(plus, minus)):
            jac[m][j] = (p - q) / (2 * eps)
    return jac


def _analytic_jacobian(fn, inputs, k):
    from . import grad as autograd_grad  # noqa: PLC0415

    Tensor = _function.Tensor
    outs = _flat_outputs(fn(*inputs))
    x = inputs[k]
    jac = []
    for o in outs:
        rows = np.zeros((x._data.size, o._data.size))
        if not o._rg:
            jac.append(rows)
            continue
        for i in range(o._data.size):
            seed = np.zeros(o._data.size, dtype=o._data.dtype)
            seed[i] = 1
            g = autograd_grad(o, x, _function._make(seed.reshape(o._data.shape), False, None),
                              retain_graph=True, allow_unused=True)[0]
            if g is not None:
                rows[:, i] = g._data.astype(np.float64).reshape(-1)
        jac.append(rows)
    del Tensor
    return jac


def gradcheck(func, inputs, *, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_exception: bool = True, nondet_tol: float = 0.0, check_undefined_grad=True,
              check_grad_dtypes=False, check_batched_grad=False, fast_mode=False,
              masked=None, check_backward_ad=True, check_forward_ad=False) -> bool:
    """True when every analytic Jacobian matches central differences within tolerance.

    On mismatch raises :class:`GradcheckError` naming the input, the output, the element and
    both values (or returns False when ``raise_exception=False``).
    """
    Tensor = _function.Tensor
    inputs = _as_tuple(inputs)
    diff = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t._rg]
    if not diff:
        raise ValueError("gradcheck expects at least one input tensor to require gradient")
    for i in diff:
        if inputs[i]._data.dtype != np.float64:
            import warnings  # noqa: PLC0415

            warnings.warn(
                f"Input #{i} requires gradient and is not a double precision floating point. "
                "This check will likely fail if all the inputs are not of double precision "
                "floating point.",
                UserWarning,
                stacklevel=2,
            )
    for k in diff:
        analytic = _analytic_jacobian(func, inputs, k)
        numeric = _numerical_jacobian(func, inputs, k, eps)
        for m, (a, n) in enumerate(zip(analytic, numeric)):
            if not np.allclose(a, n, rtol=rtol, atol=atol):
                if raise_exception:
                    raise GradcheckError(_report(func, inputs, k, m, a, n, atol, rtol))
                return False
    return True


def _index(flat: int, shape: tuple) -> tuple:
    return tuple(int(w) for w in np.unravel_index(flat, shape)) if shape else ()


def _report(func, inputs, k: int, m: int, a, n, atol: float, rtol: float) -> str:
    """Which input, which output, which elements, analytic vs numeric: readable at a glance."""
    x = inputs[k]
    outs = _flat_outputs(func(*inputs))
    out = outs[m]
    producer = out.grad_fn.name() if out.grad_fn is not None else "(no grad_fn)"
    bad = np.argwhere(~np.isclose(a, n, rtol=rtol, atol=atol))
    diff = np.abs(a - n)
    worst = bad[np.argsort(-diff[bad[:, 0], bad[:, 1]], kind="stable")]
    j, i = int(worst[0][0]), int(worst[0][1])
    in_shape, out_shape = tuple(x._data.shape), tuple(out._data.shape)
    lines = [
        f"Jacobian mismatch for output {m} with respect to input {k},",
        f"  input {k}: shape {in_shape}, {x._data.dtype}; output {m}: shape {out_shape}, "
        f"made by {producer}",
        f"  worst element: d output{list(_index(i, out_shape))} / "
        f"d input{list(_index(j, in_shape))}"
        f"  analytical {a[j, i]:.6g}  numerical {n[j, i]:.6g}  (difference {diff[j, i]:.3g})",
        f"  {len(bad)} of {a.size} Jacobian entries differ by more than atol + rtol * |numerical|"
        f" (atol={atol}, rtol={rtol}); max abs difference {diff.max():.3g}",
        "  the analytical value comes from backward(), the numerical one from central "
        "differences: a wrong backward formula shows up here",
        "",
        f"  {'input index':<14}{'output index':<14}{'analytical':>14}{'numerical':>14}"
        f"{'difference':>12}",
    ]
    for jj, ii in worst[:8]:
        jj, ii = int(jj), int(ii)
        lines.append(f"  {_index(jj, in_shape)!s:<14}{_index(ii, out_shape)!s:<14}"
                     f"{a[jj, ii]:>14.6g}{n[jj, ii]:>14.6g}{diff[jj, ii]:>12.3g}")
    if len(worst) > 8:
        lines.append(f"  ... and {len(worst) - 8} more")
    if a.size <= 64:
        lines += ["", "numerical jacobian (row: input element, column: output element):",
                  str(n), "analytical jacobian:", str(a)]
    return "\n".join(lines)


def gradgradcheck(func, inputs, grad_outputs=None, *, eps: float = 1e-6, atol: float = 1e-5,
                  rtol: float = 1e-3, gen_non_contig_grad_outputs=False,
                  raise_exception: bool = True, nondet_tol=0.0, check_undefined_grad=True,
                  check_grad_dtypes=False, check_batched_grad=False, check_fwd_over_rev=False,
                  check_rev_over_rev=True, fast_mode=False, masked=False) -> bool:
    """gradcheck of the gradient itself (second derivatives through ``create_graph=True``)."""
    from . import grad as autograd_grad  # noqa: PLC0415

    Tensor = _function.Tensor
    inputs = _as_tuple(inputs)
    diff_idx = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t._rg]
    outs = _flat_outputs(func(*inputs))
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = [
            _function._make(rng.standard_normal(o._data.shape).astype(o._data.dtype), True, None)
            for o in outs
        ]
    else:
        grad_outputs = list(_as_tuple(grad_outputs))
    n_in = len(inputs)

    def first_grads(*args):
        ins, gos = args[:n_in], args[n_in:]
        o = _flat_outputs(func(*ins))
        diff_ins = [ins[i] for i in diff_idx]
        gs = autograd_grad(o, diff_ins, list(gos), create_graph=True, allow_unused=True)
        return tuple(g for g in gs if g is not None)

    try:
        return gradcheck(first_grads, tuple(inputs) + tuple(grad_outputs), eps=eps, atol=atol,
                         rtol=rtol, raise_exception=raise_exception)
    except GradcheckError as err:
        raise GradcheckError(
            "gradgradcheck: the gradient of the first derivatives disagrees (outputs are the "
            f"first derivatives w.r.t. the differentiable inputs {diff_idx}; inputs beyond "
            f"#{n_in - 1} are the grad_outputs)\n{err}"
        ) from None
