"""Top-level torch names that are spellings of functions living elsewhere in chainrule.

``torch.det``/``inverse``/``cholesky``/``svd``... are the older top-level forms of
``torch.linalg``; ``torch.lgamma``/``digamma``/``xlogy``... of ``torch.special``; plus the
constants (``torch.inf``, ``torch.pi``), ``finfo``/``iinfo``, and small composites
(``atan2``, ``hypot``, ``logaddexp``, ``diff``, ``cartesian_prod``, ``rot90``) built from
differentiable ops. ``chainrule.__getattr__`` serves these names lazily.
"""

from __future__ import annotations

import math
from collections import namedtuple

import numpy as np

from . import _dtypes
from ._tensor import Tensor
from .ops._common import to_tensor

__all__ = [
    "inf", "nan", "pi", "e", "finfo", "iinfo", "det", "logdet", "slogdet", "inverse",
    "cholesky", "svd", "pinverse", "matrix_power", "lgamma", "digamma", "polygamma",
    "mvlgamma", "xlogy", "sinc", "i0", "atan2", "arctan2", "hypot", "logaddexp", "logaddexp2",
    "deg2rad", "rad2deg", "diff", "cartesian_prod", "rot90", "real", "imag", "conj",
    "view_as_real", "angle", "positive", "atleast_3d", "argwhere", "trapezoid", "trapz",
]

inf = math.inf
nan = math.nan
pi = math.pi
e = math.e


class finfo:  # noqa: N801 - torch's name
    """Machine limits of a floating dtype (``torch.finfo(torch.float32).eps``)."""

    def __init__(self, type=None) -> None:  # noqa: A002
        dt = _dtypes.get_default_dtype() if type is None else type
        info = np.finfo(_dtypes.to_numpy_dtype(dt))
        self.dtype = str(dt).replace("torch.", "")
        self.bits = int(info.bits)
        self.eps = float(info.eps)
        self.max = float(info.max)
        self.min = float(info.min)
        self.tiny = self.smallest_normal = float(info.smallest_normal)
        self.resolution = 10.0 ** -int(info.precision)  # torch reports it exactly

    def __repr__(self) -> str:
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
                f"eps={self.eps:g}, smallest_normal={self.smallest_normal:g}, "
                f"tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:  # noqa: N801
    """Limits of an integer dtype (``torch.iinfo(torch.int64).max``)."""

    def __init__(self, type) -> None:  # noqa: A002
        info = np.iinfo(_dtypes.to_numpy_dtype(type))
        self.dtype = str(type).replace("torch.", "")
        self.bits = int(info.bits)
        self.max = int(info.max)
        self.min = int(info.min)

    def __repr__(self) -> str:
        return f"iinfo(min={float(self.min):g}, max={float(self.max):g}, dtype={self.dtype})"


# -- linear algebra (torch.linalg's older top-level names) --------------------------------


def det(input: Tensor) -> Tensor:
    from . import linalg  # noqa: PLC0415

    return linalg.det(input)


def logdet(input: Tensor) -> Tensor:
    """log det(A): nan for a negative determinant, -inf for zero (as torch)."""
    from . import linalg  # noqa: PLC0415

    sign, logabs = linalg.slogdet(input)
    return logabs + (sign < 0).to(logabs.dtype) * math.nan if bool((sign < 0).any()) \
        else logabs + (sign == 0).to(logabs.dtype) * -math.inf if bool((sign == 0).any()) \
        else logabs


def slogdet(input: Tensor):
    from . import linalg  # noqa: PLC0415

    return linalg.slogdet(input)


def inverse(input: Tensor, *, out=None) -> Tensor:
    from . import linalg  # noqa: PLC0415

    return linalg.inv(input)


def cholesky(input: Tensor, upper: bool = False, *, out=None) -> Tensor:
    from . import linalg  # noqa: PLC0415

    return linalg.cholesky(input, upper=upper)


_SvdOld = namedtuple("svd", ["U", "S", "V"])


def svd(input: Tensor, some: bool = True, compute_uv: bool = True, *, out=None):
    """The deprecated ``torch.svd``: returns V (not Vh); ``some=False`` gives full U and V."""
    from . import linalg  # noqa: PLC0415

    u, s, vh = linalg.svd(input, full_matrices=not some)
    return _SvdOld(u, s, vh.transpose(-2, -1))


def pinverse(input: Tensor, rcond: float = 1e-15) -> Tensor:
    from . import linalg  # noqa: PLC0415

    return linalg.pinv(input, rtol=rcond)


def matrix_power(input: Tensor, n: int) -> Tensor:
    from . import linalg  # noqa: PLC0415

    return linalg.matrix_power(input, n)


# -- special functions ------------------------------------------------------------------------


def lgamma(input: Tensor, *, out=None) -> Tensor:
    from . import special  # noqa: PLC0415

    return special.gammaln(input)


def digamma(input: Tensor, *, out=None) -> Tensor:
    from . import special  # noqa: PLC0415

    return special.digamma(input)


def polygamma(n: int, input: Tensor, *, out=None) -> Tensor:
    from . import special  # noqa: PLC0415

    return special.polygamma(n, input)


def mvlgamma(input: Tensor, p: int) -> Tensor:
    from . import special  # noqa: PLC0415

    return special.multigammaln(input, p)


def xlogy(input, other, *, out=None) -> Tensor:
    from . import special  # noqa: PLC0415

    return special.xlogy(input, other)


def sinc(input: Tensor, *, out=None) -> Tensor:
    from . import special  # noqa: PLC0415

    return special.sinc(input)


def i0(input: Tensor, *, out=None) -> Tensor:
    from . import special  # noqa: PLC0415

    return special.i0(input)


# -- small composites -------------------------------------------------------------------------


def atan2(input: Tensor, other: Tensor, *, out=None) -> Tensor:
    """The angle of (other, input) in (-pi, pi]; gradients x/(x^2+y^2), -y/(x^2+y^2).

    Built as atan(y/x) corrected by +-pi in the left half-plane; at x == 0 it uses
    sign(y) pi/2 (gradients there follow the composite, finite away from the origin).
    """
    from . import ops  # noqa: PLC0415

    y, x = to_tensor(input), to_tensor(other)
    if y._data.dtype.kind not in "fc":
        y = y.to(_dtypes.get_default_dtype())
    if x._data.dtype.kind not in "fc":
        x = x.to(_dtypes.get_default_dtype())
    dt = _dtypes.promote_types(y.dtype, x.dtype)
    y, x = y.to(dt), x.to(dt)
    zero_x = x == 0
    base = ops.atan(y / ops.where(zero_x, 1.0, x))
    left = (x < 0).to(dt)
    # constants built in the input's dtype (a Python-scalar where() would round pi to float32)
    shift = left * ((y >= 0).to(dt) - (y < 0).to(dt)) * math.pi
    axis = ((y > 0).to(dt) - (y < 0).to(dt)) * (math.pi / 2)
    # on the y axis the value is +-pi/2 and d/dx = -1/y (the x/y form of the same angle)
    on_axis = axis - x / ops.where(y == 0, 1.0, y)
    return ops.where(zero_x, on_axis, base + shift)


arctan2 = atan2


def hypot(input: Tensor, other: Tensor, *, out=None) -> Tensor:
    """sqrt(x^2 + y^2)."""
    return (input * input + other * other).sqrt()


def logaddexp(input: Tensor, other: Tensor, *, out=None) -> Tensor:
    """log(exp(a) + exp(b)) without overflow: max(a, b) + log1p(exp(-|a - b|))."""
    from . import ops  # noqa: PLC0415

    a, b = to_tensor(input), to_tensor(other)
    return ops.maximum(a, b) + ops.log1p(ops.exp(-(a - b).abs()))


def logaddexp2(input: Tensor, other: Tensor, *, out=None) -> Tensor:
    """log2(2^a + 2^b)."""
    ln2 = math.log(2.0)
    return logaddexp(input * ln2, other * ln2) / ln2


def deg2rad(input: Tensor) -> Tensor:
    return input * (math.pi / 180.0)


def rad2deg(input: Tensor) -> Tensor:
    return input * (180.0 / math.pi)


def diff(input: Tensor, n: int = 1, dim: int = -1, prepend=None, append=None) -> Tensor:
    """n-th forward difference along ``dim`` (x[i+1] - x[i])."""
    from . import ops  # noqa: PLC0415

    x = input
    parts = [t for t in (prepend, x, append) if t is not None]
    if len(parts) > 1:
        x = ops.cat(parts, dim)
    for _ in range(n):
        length = x.shape[dim]
        x = x.narrow(dim, 1, length - 1) - x.narrow(dim, 0, length - 1)
    return x


def cartesian_prod(*tensors: Tensor) -> Tensor:
    """All combinations of the 1-D inputs, one per row."""
    from . import ops  # noqa: PLC0415

    if len(tensors) == 1:
        return tensors[0]
    grids = ops.meshgrid(*tensors, indexing="ij")
    return ops.stack([g.reshape(-1) for g in grids], dim=1)


def rot90(input: Tensor, k: int = 1, dims=(0, 1)) -> Tensor:
    """Rotates by 90 degrees k times from dims[0] toward dims[1]."""
    d0, d1 = dims
    k %= 4
    if k == 1:
        return input.flip(d1).transpose(d0, d1)
    if k == 2:
        return input.flip(d0).flip(d1)
    if k == 3:
        return input.transpose(d0, d1).flip(d1)
    return input


def real(input: Tensor) -> Tensor:
    if input._data.dtype.kind != "c":
        return input
    if input.requires_grad:
        raise NotImplementedError("chainrule: gradients through torch.real are not supported")
    return Tensor._wrap(input._data.real)


def imag(input: Tensor) -> Tensor:
    if input._data.dtype.kind != "c":
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    if input.requires_grad:
        raise NotImplementedError("chainrule: gradients through torch.imag are not supported")
    return Tensor._wrap(input._data.imag)


def conj(input: Tensor) -> Tensor:
    if input._data.dtype.kind != "c":
        return input
    if input.requires_grad:
        raise NotImplementedError("chainrule: gradients through torch.conj are not supported")
    return Tensor._wrap(np.conj(input._data))


def view_as_real(input: Tensor) -> Tensor:
    if input._data.dtype.kind != "c":
        raise RuntimeError("view_as_real is only supported for complex tensors")
    return Tensor._wrap(np.stack([input._data.real, input._data.imag], axis=-1))


def angle(input: Tensor) -> Tensor:
    if input._data.dtype.kind == "c":
        return Tensor._wrap(np.angle(input._data).astype(input._data.real.dtype))
    x = input if input._data.dtype.kind == "f" else input.to(_dtypes.get_default_dtype())
    from . import ops  # noqa: PLC0415

    return ops.where(x < 0, math.pi, 0.0).to(x.dtype) + x * 0


def positive(input: Tensor) -> Tensor:
    return input


def atleast_3d(*tensors):
    from . import ops  # noqa: PLC0415

    out = []
    for t in (tensors[0] if len(tensors) == 1 and isinstance(tensors[0], (list, tuple))
              else tensors):
        t = ops.atleast_2d(t)
        out.append(t.unsqueeze(-1) if t.ndim == 2 else t)
    return out[0] if len(out) == 1 else tuple(out)


def argwhere(input: Tensor) -> Tensor:
    return Tensor._wrap(np.argwhere(input._data).astype(np.int64))


def trapezoid(y: Tensor, x=None, *, dx=None, dim: int = -1) -> Tensor:
    """The trapezoid rule along ``dim`` (spacing ``dx`` or sample points ``x``)."""
    n = y.shape[dim]
    avg = (y.narrow(dim, 1, n - 1) + y.narrow(dim, 0, n - 1)) * 0.5
    if x is not None:
        return (avg * diff(x, dim=dim if x.ndim == y.ndim else -1)).sum(dim)
    return avg.sum(dim) * (1.0 if dx is None else dx)


trapz = trapezoid
