"""``torch.fft``: discrete Fourier transforms on NumPy's ``numpy.fft``.

Results have torch's dtypes (float32 input -> complex64, float64 -> complex128) and ``norm``
modes ("backward", "ortho", "forward"). The transforms are not differentiable in chainrule:
calling one on a tensor that requires grad (with grad mode on) raises NotImplementedError
rather than silently cutting the gradient.
"""

from __future__ import annotations

import numpy as np

from . import _dtypes
from ._tensor import Tensor
from .autograd.grad_mode import STATE as _GRAD
from .ops._common import to_tensor

__all__ = [
    "fft",
    "fft2",
    "fftfreq",
    "fftn",
    "fftshift",
    "hfft",
    "ifft",
    "ifft2",
    "ifftn",
    "ifftshift",
    "ihfft",
    "irfft",
    "irfft2",
    "irfftn",
    "rfft",
    "rfft2",
    "rfftfreq",
    "rfftn",
]

_COMPLEX = {np.dtype(np.float32): np.complex64, np.dtype(np.float64): np.complex128,
            np.dtype(np.float16): np.complex64, np.dtype(np.complex64): np.complex64,
            np.dtype(np.complex128): np.complex128}
_REAL = {np.dtype(np.complex64): np.float32, np.dtype(np.complex128): np.float64,
         np.dtype(np.float32): np.float32, np.dtype(np.float64): np.float64}


def _input(name: str, x) -> np.ndarray:
    x = to_tensor(x)
    if x.requires_grad and _GRAD.enabled:
        raise NotImplementedError(
            f"chainrule: torch.fft.{name} is not differentiable in chainrule; call it on "
            "x.detach() or under torch.no_grad()"
        )
    data = x._data
    if data.dtype.kind in "biu":
        data = data.astype(_dtypes.get_default_dtype().np)
    return data


def _wrap(out: np.ndarray, dtype) -> Tensor:
    return Tensor._wrap(np.ascontiguousarray(out.astype(dtype, copy=False)))


def _c2c(np_fn, name):
    def transform(input: Tensor, n=None, dim: int = -1, norm: str | None = None, *,
                  out=None) -> Tensor:
        data = _input(name, input)
        return _wrap(np_fn(data, n=n, axis=dim, norm=norm), _COMPLEX[data.dtype])

    transform.__name__ = name
    transform.__doc__ = f"``numpy.fft.{np_fn.__name__}`` with torch's dtypes (see module)."
    return transform


def _c2c_n(np_fn, name, default_dims):
    def transform(input: Tensor, s=None, dim=default_dims, norm: str | None = None, *,
                  out=None) -> Tensor:
        data = _input(name, input)
        axes = None if dim is None else tuple(dim)
        return _wrap(np_fn(data, s=s, axes=axes, norm=norm), _COMPLEX[data.dtype])

    transform.__name__ = name
    return transform


fft = _c2c(np.fft.fft, "fft")
ifft = _c2c(np.fft.ifft, "ifft")
fft2 = _c2c_n(np.fft.fft2, "fft2", (-2, -1))
ifft2 = _c2c_n(np.fft.ifft2, "ifft2", (-2, -1))
fftn = _c2c_n(np.fft.fftn, "fftn", None)
ifftn = _c2c_n(np.fft.ifftn, "ifftn", None)


def rfft(input: Tensor, n=None, dim: int = -1, norm: str | None = None, *, out=None) -> Tensor:
    """The non-negative-frequency half of the FFT of a real signal."""
    data = _input("rfft", input)
    if data.dtype.kind == "c":
        raise RuntimeError("rfft expects a real input tensor, but got ComplexFloat")
    return _wrap(np.fft.rfft(data, n=n, axis=dim, norm=norm), _COMPLEX[data.dtype])


def irfft(input: Tensor, n=None, dim: int = -1, norm: str | None = None, *, out=None) -> Tensor:
    """Inverse of ``rfft``: a real signal of length ``n`` (default 2 * (m - 1))."""
    data = _input("irfft", input)
    return _wrap(np.fft.irfft(data, n=n, axis=dim, norm=norm), _REAL[data.dtype])


def rfft2(input: Tensor, s=None, dim=(-2, -1), norm=None, *, out=None) -> Tensor:
    data = _input("rfft2", input)
    return _wrap(np.fft.rfft2(data, s=s, axes=tuple(dim), norm=norm), _COMPLEX[data.dtype])


def irfft2(input: Tensor, s=None, dim=(-2, -1), norm=None, *, out=None) -> Tensor:
    data = _input("irfft2", input)
    return _wrap(np.fft.irfft2(data, s=s, axes=tuple(dim), norm=norm), _REAL[data.dtype])


def rfftn(input: Tensor, s=None, dim=None, norm=None, *, out=None) -> Tensor:
    data = _input("rfftn", input)
    axes = None if dim is None else tuple(dim)
    return _wrap(np.fft.rfftn(data, s=s, axes=axes, norm=norm), _COMPLEX[data.dtype])


def irfftn(input: Tensor, s=None, dim=None, norm=None, *, out=None) -> Tensor:
    data = _input("irfftn", input)
    axes = None if dim is None else tuple(dim)
    return _wrap(np.fft.irfftn(data, s=s, axes=axes, norm=norm), _REAL[data.dtype])


def hfft(input: Tensor, n=None, dim: int = -1, norm=None, *, out=None) -> Tensor:
    data = _input("hfft", input)
    return _wrap(np.fft.hfft(data, n=n, axis=dim, norm=norm), _REAL[data.dtype])


def ihfft(input: Tensor, n=None, dim: int = -1, norm=None, *, out=None) -> Tensor:
    data = _input("ihfft", input)
    return _wrap(np.fft.ihfft(data, n=n, axis=dim, norm=norm), _COMPLEX[data.dtype])


def fftfreq(n: int, d: float = 1.0, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    np_dtype = _dtypes.to_numpy_dtype(dtype) if dtype is not None else \
        _dtypes.get_default_dtype().np
    return Tensor._wrap(np.fft.fftfreq(n, d).astype(np_dtype))


def rfftfreq(n: int, d: float = 1.0, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    np_dtype = _dtypes.to_numpy_dtype(dtype) if dtype is not None else \
        _dtypes.get_default_dtype().np
    return Tensor._wrap(np.fft.rfftfreq(n, d).astype(np_dtype))


def fftshift(input: Tensor, dim=None) -> Tensor:
    """Moves the zero frequency to the center (a roll; differentiable)."""
    x = to_tensor(input)
    dims = tuple(range(x.ndim)) if dim is None else ((dim,) if isinstance(dim, int) else dim)
    return x.roll([x.shape[d] // 2 for d in dims], list(dims))


def ifftshift(input: Tensor, dim=None) -> Tensor:
    x = to_tensor(input)
    dims = tuple(range(x.ndim)) if dim is None else ((dim,) if isinstance(dim, int) else dim)
    return x.roll([-(x.shape[d] // 2) for d in dims], list(dims))
