"""Construction and statistics functions torch has at top level: ``block_diag``,
``combinations``, ``vander``, ``diagflat``, ``addr``, ``cov``/``corrcoef``, ``view_as_complex``,
``unravel_index``, ``renorm``, ``cumulative_trapezoid``, and a few aliases.

All of them are compositions of chainrule's differentiable ops (slicing, ``cat``, ``gather``,
``cumprod``, ``matmul``), so their gradients and double gradients come from those ops.
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np

from .._fp import quiet_fp
from .. import _dtypes
from .._tensor import Tensor
from ._common import norm_dim, to_tensor

__all__ = [
    "addr",
    "adjoint",
    "arccosh",
    "arcsinh",
    "arctanh",
    "block_diag",
    "combinations",
    "corrcoef",
    "cov",
    "cumulative_trapezoid",
    "diagflat",
    "nonzero_static",
    "renorm",
    "row_stack",
    "unravel_index",
    "vander",
    "view_as_complex",
]


def _ops():
    from .. import ops

    return ops


def _word(t: Tensor) -> str:
    from .extra_pointwise import _word as word

    return word(t._data)


# -- construction -------------------------------------------------------------------------------


def block_diag(*tensors: Tensor) -> Tensor:
    """The inputs placed along the diagonal of a zero matrix; 0-d inputs count as 1x1 and 1-D
    ones as a single row. The dtype is the promotion of all inputs."""
    ops = _ops()
    mats = []
    for i, t in enumerate(tensors):
        t = to_tensor(t)
        if t.ndim > 2:
            raise RuntimeError("torch.block_diag: Input tensors must have 2 or fewer dimensions. "
                               f"Input {i} has {t.ndim} dimensions")
        mats.append(t.reshape(1, 1) if t.ndim == 0 else t.unsqueeze(0) if t.ndim == 1 else t)
    if not mats:
        return Tensor._wrap(np.zeros((1, 0), dtype=_dtypes.to_numpy_dtype(
            _dtypes.get_default_dtype())))
    dt = mats[0]._data.dtype
    for m in mats[1:]:
        dt = _dtypes.result_np_dtype(np.empty(0, dt), np.empty(0, m._data.dtype))
    mats = [m if m._data.dtype == dt else m.to(dt) for m in mats]
    total = sum(m.shape[1] for m in mats)
    rows, left = [], 0
    for m in mats:
        r, c = m.shape
        parts = [m]
        if left:
            parts.insert(0, Tensor._wrap(np.zeros((r, left), dtype=dt)))
        if total - left - c:
            parts.append(Tensor._wrap(np.zeros((r, total - left - c), dtype=dt)))
        rows.append(ops.cat(parts, 1) if len(parts) > 1 else m)
        left += c
    return ops.cat(rows, 0)


def combinations(input: Tensor, r: int = 2, with_replacement: bool = False) -> Tensor:
    """All length-``r`` combinations of a 1-D tensor's elements (as ``itertools.combinations``
    or, with replacement, ``combinations_with_replacement``), one per row: shape ``(k, r)``."""
    x = to_tensor(input)
    if x.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(x.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return Tensor._wrap(np.empty(0, dtype=x._data.dtype))
    n = x.shape[0]
    if r == 2:
        rows, cols = np.triu_indices(n, 0 if with_replacement else 1)
        idx = np.stack([rows, cols], axis=1)
    else:
        make = itertools.combinations_with_replacement if with_replacement \
            else itertools.combinations
        idx = np.array(list(make(range(n), r)), dtype=np.int64).reshape(-1, r)
    return x[Tensor._wrap(idx.astype(np.int64, copy=False))]


def vander(x: Tensor, N: int | None = None, increasing: bool = False) -> Tensor:
    """The Vandermonde matrix: column ``j`` is ``x ** (N - 1 - j)`` (``x ** j`` when
    ``increasing``). Integer and bool inputs give int64, as in torch."""
    x = to_tensor(x)
    if x.ndim != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    n = x.shape[0] if N is None else N
    if n < 0:
        raise RuntimeError("N must be non-negative.")
    if x._data.dtype.kind in "biu":
        x = x.to(_dtypes.int64)
    if n == 0:
        return Tensor._wrap(np.empty((x.shape[0], 0), dtype=x._data.dtype))
    ops = _ops()
    # a cumulative product of [1, x, x, ...] (torch's construction: exact at x == 0 and its
    # gradient there too, unlike x ** k)
    ones = Tensor._wrap(np.ones((x.shape[0], 1), dtype=x._data.dtype))
    parts = [ones] + ([x.unsqueeze(1).expand(x.shape[0], n - 1)] if n > 1 else [])
    result = ops.cat(parts, 1).cumprod(1) if n > 1 else ones
    return result if increasing else result.flip(1)


def diagflat(input: Tensor, offset: int = 0) -> Tensor:
    """A 2-D matrix with the flattened input on diagonal ``offset``."""
    return _ops().diag(to_tensor(input).reshape(-1), offset)


def addr(input: Tensor, vec1: Tensor, vec2: Tensor, *, beta=1, alpha=1, out=None) -> Tensor:
    """``beta * input + alpha * outer(vec1, vec2)``; with ``beta == 0`` the input is ignored
    (NaN in it does not propagate), as in torch."""
    if out is not None:
        raise NotImplementedError("addr(out=...) is not supported by chainrule")
    ops = _ops()
    if vec1.ndim != 1 or vec2.ndim != 1:
        raise RuntimeError(f"addr: Expected 1-D argument vec1, but got {vec1.ndim}-D"
                           if vec1.ndim != 1 else
                           f"addr: Expected 1-D argument vec2, but got {vec2.ndim}-D")
    product = ops.outer(vec1, vec2)
    if product._data.dtype.kind in "biu" or input._data.dtype.kind in "biu":
        for name, v in (("alpha", alpha), ("beta", beta)):
            if isinstance(v, float) and input._data.dtype.kind in "biu" and \
                    product._data.dtype.kind in "biu":
                raise RuntimeError(f"For integral input tensors, argument {name} must not be a "
                                   "floating point number.")
    scaled = product if alpha == 1 else product * alpha
    if beta == 0:
        from .pointwise import where

        # a where() that never picks input: its values (NaN too) are dropped and its
        # gradient is zero, as torch's grad * beta
        return where(Tensor._wrap(np.array(False)), input, scaled)
    return (input if beta == 1 else input * beta) + scaled


# -- statistics ---------------------------------------------------------------------------------


def cov(input: Tensor, *, correction: int = 1, fweights: Tensor | None = None,
        aweights: Tensor | None = None) -> Tensor:
    """Covariance of the variables in the rows of ``input`` (observations in columns).

    With weights ``w = fweights * aweights``: ``avg = sum_j w_j x_ij / sum w``,
    ``C = (x - avg) diag(w) (x - avg)^T / (sum w - correction * f)`` where ``f`` is
    ``sum(w * aweights) / sum(w)`` with ``aweights`` and 1 without. A 1-D input is one
    variable: the result is 0-d. Integer inputs give the default float dtype.
    """
    x = to_tensor(input)
    if x.ndim > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got "
                           f"an input with {x.ndim} dimensions")
    if x._data.dtype.kind not in "fc":
        x = x.to(_dtypes.get_default_dtype())
    obs = x.reshape(1, -1) if x.ndim < 2 else x
    n_obs = obs.shape[1]
    w = None
    if fweights is not None:
        if fweights._data.dtype.kind not in "iu":
            raise RuntimeError(f"cov(): expected fweights to have integral dtype but got "
                               f"fweights with {_word(fweights)} dtype")
        if fweights.ndim > 1 or fweights.numel() != n_obs:
            raise RuntimeError(f"cov(): expected fweights to have one dimension and the same "
                               f"number of elements as the observations ({n_obs})")
        if bool((fweights._data < 0).any()):
            raise RuntimeError("cov(): fweights cannot be negative")
        w = fweights
    if aweights is not None:
        if aweights._data.dtype.kind != "f":
            raise RuntimeError(f"cov(): expected aweights to have floating point dtype but got "
                               f"aweights with {_word(aweights)} dtype")
        if aweights.ndim > 1 or aweights.numel() != n_obs:
            raise RuntimeError(f"cov(): expected aweights to have one dimension and the same "
                               f"number of elements as the observations ({n_obs})")
        if bool((aweights._data < 0).any()):
            raise RuntimeError("cov(): aweights cannot be negative")
        w = aweights if w is None else w * aweights
    if w is not None and w._data.dtype != obs._data.dtype:
        w = w.to(obs.dtype)
    if w is None:
        w_sum = float(n_obs)
        avg = obs.mean(1)
        norm = w_sum - correction
    else:
        w_sum_t = w.sum()
        avg = (obs * w).sum(1) / w_sum_t
        if aweights is None:
            norm = w_sum_t - correction
        else:
            norm = w_sum_t - correction * (w * aweights.to(w.dtype)).sum() / w_sum_t
    norm_value = float(norm._data) if isinstance(norm, Tensor) else float(norm)
    if norm_value <= 0:
        warnings.warn("cov(): degrees of freedom is <= 0. Correction should be strictly less "
                      "than the number of observations.", UserWarning, stacklevel=2)
        norm = norm * 0.0 if isinstance(norm, Tensor) else 0.0
    centered = obs - avg.unsqueeze(1)
    weighted = centered if w is None else centered * w
    c = centered.matmul(weighted.t())
    if norm_value <= 0:
        with quiet_fp():
            c = c / norm
    else:
        c = c / norm
    return c.squeeze()


def corrcoef(input: Tensor) -> Tensor:
    """Pearson correlation coefficients of the rows: ``C_ij / sqrt(C_ii C_jj)`` with ``C`` the
    covariance, clipped to [-1, 1]."""
    ops = _ops()
    c = cov(input)
    if c.ndim == 0:
        return c / c
    d = ops.diagonal(c)
    std = d.sqrt()
    c = c / std.unsqueeze(1)
    c = c / std.unsqueeze(0)
    return c.clamp(-1, 1)


def row_stack(tensors, *, out=None) -> Tensor:
    """Alias of ``vstack``."""
    if out is not None:
        raise NotImplementedError("row_stack(out=...) is not supported by chainrule")
    return _ops().vstack(tensors)


def adjoint(input: Tensor) -> Tensor:
    """The conjugate transpose of the last two dims (a view for real tensors)."""
    x = to_tensor(input)
    if x.ndim < 2:
        raise RuntimeError("tensor.adjoint() is only supported on matrices or batches of "
                           f"matrices. Got {x.ndim}-D tensor.")
    return x.transpose(-2, -1)


# -- misc ---------------------------------------------------------------------------------------


def view_as_complex(input: Tensor) -> Tensor:
    """A complex tensor from a real one whose last dim (size 2) holds (real, imag).

    chainrule has no complex autograd: with an input that requires grad (in grad mode) this
    raises NotImplementedError rather than dropping the gradient.
    """
    x = to_tensor(input)
    if x.ndim == 0 or x.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    kinds = {np.dtype(np.float32): np.complex64, np.dtype(np.float64): np.complex128}
    if x._data.dtype not in kinds:
        raise RuntimeError("view_as_complex is only supported for float and double tensors, "
                           f"but got a tensor of scalar type: {_word(x)}")
    from ..autograd.grad_mode import STATE

    if x._rg and STATE.enabled:
        raise NotImplementedError("chainrule: gradients through view_as_complex (complex "
                                  "autograd) are not supported")
    data = np.ascontiguousarray(x._data)
    return Tensor._wrap(data.view(kinds[x._data.dtype]).reshape(x.shape[:-1]))


def unravel_index(indices, shape) -> tuple:
    """The coordinates (a tuple of int64 tensors) of flat ``indices`` in a tensor of ``shape``."""
    idx = to_tensor(indices)
    if idx._data.dtype.kind not in "iu":
        raise TypeError(f"expected 'indices' to be integer dtype, but got {idx.dtype}")
    shape = (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(s) for s in shape)
    if any(s < 0 for s in shape):
        raise ValueError("'shape' cannot have negative values, but got "
                         f"{tuple(shape)}")
    numel = math.prod(shape)
    data = idx._data.astype(np.int64)
    if data.size and (data.min() < -numel or data.max() >= numel):
        raise RuntimeError(f"'indices' must be in range [-{numel}, {numel - 1}]")
    data = np.where(data < 0, data + numel, data)
    coords = np.unravel_index(data, shape) if shape else ()
    return tuple(Tensor._wrap(np.asarray(c, dtype=np.int64)) for c in coords)


def renorm(input: Tensor, p: float, dim: int, maxnorm: float) -> Tensor:
    """Each slice along ``dim`` rescaled so its ``p``-norm is at most ``maxnorm``: slices with
    norm ``> maxnorm`` are multiplied by ``maxnorm / (norm + 1e-7)``, as in torch."""
    x = to_tensor(input)
    if x._data.dtype.kind not in "fc":
        raise RuntimeError(f'"renorm_out" not implemented for \'{_word(x)}\'')
    if p <= 0:
        raise RuntimeError(f"renorm: non-positive-norm not supported (p = {p})")
    if maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm}")
    d = norm_dim(dim, x.ndim)
    others = tuple(i for i in range(x.ndim) if i != d)
    norms = _vector_norm(x, p, others)
    factor = maxnorm / (norms + 1e-7)
    over = Tensor._wrap(norms._data > maxnorm)
    one = Tensor._wrap(np.ones((), dtype=x._data.dtype))
    from .pointwise import where

    return x * where(over, factor, one)


def _vector_norm(x: Tensor, p: float, dims: tuple) -> Tensor:
    from .. import linalg

    return linalg.vector_norm(x, p, dims, keepdim=True)


def cumulative_trapezoid(y: Tensor, x: Tensor | None = None, *, dx=None, dim: int = -1):
    """The running trapezoid-rule integral along ``dim`` (one element shorter than ``y``)."""
    y = to_tensor(y)
    d = norm_dim(dim, y.ndim)
    n = y.shape[d]
    if y._data.dtype.kind not in "fc":
        y = y.to(_dtypes.get_default_dtype())
    if n == 0:
        return y.narrow(d, 0, 0)
    avg = (y.narrow(d, 1, n - 1) + y.narrow(d, 0, n - 1)) * 0.5
    if x is not None:
        x = to_tensor(x)
        xd = d if x.ndim == y.ndim else x.ndim - 1
        m = x.shape[xd]
        spacing = x.narrow(xd, 1, m - 1) - x.narrow(xd, 0, m - 1)
        return (avg * spacing).cumsum(d)
    return (avg * (1.0 if dx is None else dx)).cumsum(d)


def nonzero_static(input: Tensor, *, size: int, fill_value: int = -1) -> Tensor:
    """``nonzero`` padded with ``fill_value`` (or truncated) to exactly ``size`` rows."""
    if size < 0:
        raise RuntimeError(f"nonzero_static: 'size' must be an non-negative integer, got {size}")
    found = np.argwhere(to_tensor(input)._data).astype(np.int64)[:size]
    out = np.full((size, input.ndim), fill_value, dtype=np.int64)
    out[: found.shape[0]] = found
    return Tensor._wrap(out)


def arccosh(input: Tensor, *, out=None) -> Tensor:
    """Alias of ``acosh``."""
    return _ops().acosh(input)


def arcsinh(input: Tensor, *, out=None) -> Tensor:
    """Alias of ``asinh``."""
    return _ops().asinh(input)


def arctanh(input: Tensor, *, out=None) -> Tensor:
    """Alias of ``atanh``."""
    return _ops().atanh(input)
