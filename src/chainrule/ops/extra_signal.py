"""Signals and samples: window functions, ``torch.gradient`` (central differences, NumPy's
formulas, differentiable in the values), ``torch.stft`` (forward only: chainrule has no
complex autograd), ``histogram``/``histogramdd`` and ``binomial``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from .. import _dtypes
from .._tensor import Tensor
from ._common import norm_dim, to_tensor
from .extra_misc import _named

__all__ = [
    "bartlett_window",
    "binomial",
    "blackman_window",
    "gradient",
    "hamming_window",
    "hann_window",
    "histogram",
    "histogramdd",
    "kaiser_window",
    "stft",
]

histogram_result = _named("histogram", ["hist", "bin_edges"])
histogramdd_result = _named("histogramdd", ["hist", "bin_edges"])


def _slice(x: Tensor, d: int, start, stop) -> Tensor:
    return x[(slice(None),) * d + (slice(start, stop),)]


def _coeff(values: np.ndarray, d: int, ndim: int, dt) -> Tensor:
    """Per-position coefficients along dim ``d``, shaped to broadcast against the input."""
    shape = [1] * ndim
    shape[d] = values.shape[0]
    return Tensor._wrap(values.astype(dt).reshape(shape))


def _gradient_along(f: Tensor, d: int, h, edge_order: int) -> Tensor:
    from .rearrange import cat

    n = f.shape[d]
    dt = f._data.dtype
    f0, f1, f2 = (_slice(f, d, i, i + 1) for i in range(3))
    fl3, fl2, fl1 = _slice(f, d, n - 3, n - 2), _slice(f, d, n - 2, n - 1), _slice(f, d, n - 1, n)
    if not isinstance(h, np.ndarray):  # uniform spacing
        inner = (_slice(f, d, 2, None) - _slice(f, d, None, -2)) / (2.0 * h)
        if edge_order == 1:
            first, last = (f1 - f0) / h, (fl1 - fl2) / h
        else:
            first = (f0 * -1.5 + f1 * 2.0 - f2 * 0.5) / h
            last = (fl3 * 0.5 - fl2 * 2.0 + fl1 * 1.5) / h
        return cat([first, inner, last], d)
    dx = np.diff(h.astype(np.float64))
    dx1, dx2 = dx[:-1], dx[1:]
    a = -dx2 / (dx1 * (dx1 + dx2))
    b = (dx2 - dx1) / (dx1 * dx2)
    c = dx1 / (dx2 * (dx1 + dx2))
    nd = f.ndim
    inner = (_slice(f, d, None, -2) * _coeff(a, d, nd, dt)
             + _slice(f, d, 1, -1) * _coeff(b, d, nd, dt)
             + _slice(f, d, 2, None) * _coeff(c, d, nd, dt))
    if edge_order == 1:
        first = (f1 - f0) / float(dx[0])
        last = (fl1 - fl2) / float(dx[-1])
    else:
        p, q = dx[0], dx[1]
        first = (f0 * float(-(2.0 * p + q) / (p * (p + q))) + f1 * float((p + q) / (p * q))
                 + f2 * float(-p / (q * (p + q))))
        p, q = dx[-2], dx[-1]
        last = (fl3 * float(q / (p * (p + q))) + fl2 * float(-(q + p) / (p * q))
                + fl1 * float((2.0 * q + p) / (q * (p + q))))
    return cat([first, inner, last], d)


def gradient(input: Tensor, *, spacing=1, dim=None, edge_order: int = 1) -> tuple:
    """The derivative of sampled values along each of ``dim`` (all dims by default), one tensor
    per dim: central differences inside, one-sided differences of order ``edge_order`` (1 or
    2) at the ends. ``spacing`` is a step (scalar, or one per dim) or the sample coordinates
    (one 1-D tensor per dim; taken as constants). Integer inputs give the default float."""
    x = to_tensor(input)
    if x._data.dtype.kind not in "fc":
        x = x.to(_dtypes.get_default_dtype())
    if edge_order not in (1, 2):
        raise RuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    if x.ndim == 0:
        return ()
    dims = list(range(x.ndim)) if dim is None else \
        [norm_dim(dim, x.ndim)] if isinstance(dim, (int, np.integer)) else \
        [norm_dim(d, x.ndim) for d in dim]
    if isinstance(spacing, (list, tuple)):
        if len(spacing) != len(dims):
            raise RuntimeError(f"torch.gradient expected spacing to be unspecified, a scalar or "
                               f"it's spacing and dim arguments to have the same length, but "
                               f"got a spacing argument of length {len(spacing)} and a dim "
                               f"argument of length {len(dims)}.")
        steps = [s._data if isinstance(s, Tensor) and s.ndim == 1 else
                 (float(s.item()) if isinstance(s, Tensor) else float(s)) for s in spacing]
    else:
        step = float(spacing.item()) if isinstance(spacing, Tensor) else float(spacing)
        steps = [step] * len(dims)
    out = []
    for d, h in zip(dims, steps):
        if x.shape[d] < edge_order + 1:
            raise RuntimeError("torch.gradient expected each dimension size to be at least "
                               "edge_order+1")
        if isinstance(h, np.ndarray) and h.shape[0] != x.shape[d]:
            raise RuntimeError(f"torch.gradient expected each tensor to be on the same device "
                               f"and of size {x.shape[d]} along dim {d}, got {h.shape[0]}")
        out.append(_gradient_along(x, d, h, edge_order))
    return tuple(out)


def stft(input: Tensor, n_fft: int, hop_length: int | None = None,
         win_length: int | None = None, window: Tensor | None = None, center: bool = True,
         pad_mode: str = "reflect", normalized: bool = False, onesided: bool | None = None,
         return_complex: bool | None = None, align_to_window: bool | None = None) -> Tensor:
    """The short-time Fourier transform of a 1-D signal or a batch ``(B, L)``: frames of
    ``n_fft`` samples every ``hop_length`` (default ``n_fft // 4``), times ``window``
    (centered, zero-padded to ``n_fft``), FFT of each. Shape ``(B?, freqs, frames)`` with
    ``n_fft // 2 + 1`` frequencies when ``onesided``. ``center`` pads ``n_fft // 2`` on both
    sides with ``pad_mode``. Forward only: chainrule has no complex autograd.
    """
    x = to_tensor(input)
    if return_complex is None:
        raise RuntimeError("stft requires the return_complex parameter be given for real "
                           "inputs, and will further require that return_complex=True in a "
                           "future PyTorch release.")
    if x._rg or (window is not None and window._rg):
        from ..autograd.grad_mode import STATE

        if STATE.enabled:
            raise NotImplementedError("chainrule: torch.stft is not differentiable in chainrule "
                                      "(no complex autograd); call it under torch.no_grad()")
    if x.ndim not in (1, 2):
        raise RuntimeError(f"stft: expected a 1D or 2D tensor, but got {x.ndim}D")
    hop = n_fft // 4 if hop_length is None else int(hop_length)
    win = n_fft if win_length is None else int(win_length)
    if not 0 < win <= n_fft:
        raise RuntimeError(f"stft: expected 0 < win_length <= n_fft, but got win_length={win}")
    if hop <= 0:
        raise RuntimeError(f"stft: expected hop_length > 0, but got hop_length={hop}")
    data = x._data if x._data.dtype.kind in "fc" else \
        x._data.astype(_dtypes.to_numpy_dtype(_dtypes.get_default_dtype()))
    signal = data.reshape(1, -1) if data.ndim == 1 else data
    if center:
        pad = n_fft // 2
        if pad_mode == "reflect" and pad >= signal.shape[-1]:
            raise RuntimeError(f"Argument #4: Padding size should be less than the "
                               f"corresponding input dimension, but got: padding ({pad}, {pad})"
                               f" at dimension 2 of input [{signal.shape[0]}, 1, "
                               f"{signal.shape[-1]}]")
        modes = {"reflect": "reflect", "constant": "constant", "replicate": "edge",
                 "circular": "wrap"}
        if pad_mode not in modes:
            raise NotImplementedError(f"stft: pad_mode {pad_mode!r} is not supported")
        signal = np.pad(signal, ((0, 0), (pad, pad)), mode=modes[pad_mode])
    length = signal.shape[-1]
    if n_fft > length:
        raise RuntimeError(f"stft: expected 0 < n_fft <= {length}, but got n_fft={n_fft}")
    if window is None:
        warnings.warn("A window was not provided. A rectangular window will be applied,which "
                      "is known to cause spectral leakage. Other windows such as "
                      "torch.hann_window or torch.hamming_window are recommended to reduce "
                      "spectral leakage.To suppress this warning and use a rectangular window, "
                      "explicitly set `window=torch.ones(n_fft, device=<device>)`.",
                      UserWarning, stacklevel=2)
        w = np.ones(win, dtype=signal.dtype)
    else:
        w = window._data
        if w.shape != (win,):
            raise RuntimeError(f"stft: expected a 1D window tensor of size equal to "
                               f"win_length={win}, but got window with size {list(w.shape)}")
    full = np.zeros(n_fft, dtype=np.result_type(signal.dtype, w.dtype))
    left = (n_fft - win) // 2
    full[left:left + win] = w
    n_frames = 1 + (length - n_fft) // hop
    frames = np.lib.stride_tricks.sliding_window_view(signal, n_fft, axis=-1)[:, ::hop]
    frames = frames[:, :n_frames] * full
    complex_input = signal.dtype.kind == "c" or full.dtype.kind == "c"
    one = not complex_input if onesided is None else bool(onesided)
    spec = np.fft.rfft(frames, axis=-1) if one else np.fft.fft(frames, axis=-1)
    if normalized:
        spec = spec / np.sqrt(n_fft)
    ctype = np.complex64 if full.dtype in (np.float32, np.complex64) else np.complex128
    spec = np.swapaxes(spec, -1, -2).astype(ctype)
    if data.ndim == 1:
        spec = spec[0]
    if not return_complex:
        warnings.warn("stft with return_complex=False is deprecated. In a future pytorch "
                      "release, stft will return complex tensors for all inputs, and "
                      "return_complex=False will raise an error.\nNote: you can still call "
                      "torch.view_as_real on the complex output to recover the old return "
                      "format.", UserWarning, stacklevel=2)
        return Tensor._wrap(np.stack([spec.real, spec.imag], axis=-1))
    return Tensor._wrap(np.ascontiguousarray(spec))


# -- windows ------------------------------------------------------------------------------------


def _window(name: str, length: int, periodic: bool, dtype, fn) -> Tensor:
    """``fn(n, N)`` on ``n = 0..N-1`` with ``N = length + 1`` when ``periodic`` (dropping the
    last point), evaluated in float64 and cast to ``dtype`` (default float)."""
    dt = _dtypes.get_default_dtype() if dtype is None else dtype
    np_dt = _dtypes.to_numpy_dtype(dt)
    if np_dt.kind != "f":
        raise RuntimeError(f"{name} expects floating point dtypes, got: {dt}")
    if length < 0:
        raise RuntimeError(f"{name} requires non-negative window_length, got "
                           f"window_length={length}")
    if length <= 1:
        return Tensor._wrap(np.ones(length, dtype=np_dt))
    total = length + 1 if periodic else length
    n = np.arange(total, dtype=np.float64)
    return Tensor._wrap(fn(n, total)[:length].astype(np_dt))


def hann_window(window_length: int, periodic: bool = True, *, dtype=None, layout=None,
                device=None, requires_grad: bool = False) -> Tensor:
    """``0.5 - 0.5 cos(2 pi n / (N - 1))``; ``periodic`` computes it for ``N + 1`` points and
    drops the last (the form spectral analysis wants)."""
    out = _window("hann_window", window_length, periodic, dtype,
                  lambda n, m: 0.5 - 0.5 * np.cos(2 * math.pi * n / (m - 1)))
    return out.requires_grad_(requires_grad) if requires_grad else out


def hamming_window(window_length: int, periodic: bool = True, alpha: float = 0.54,
                   beta: float = 0.46, *, dtype=None, layout=None, device=None,
                   requires_grad: bool = False) -> Tensor:
    """``alpha - beta cos(2 pi n / (N - 1))``."""
    out = _window("hamming_window", window_length, periodic, dtype,
                  lambda n, m: alpha - beta * np.cos(2 * math.pi * n / (m - 1)))
    return out.requires_grad_(requires_grad) if requires_grad else out


def blackman_window(window_length: int, periodic: bool = True, *, dtype=None, layout=None,
                    device=None, requires_grad: bool = False) -> Tensor:
    """``0.42 - 0.5 cos(2 pi n / (N - 1)) + 0.08 cos(4 pi n / (N - 1))``."""
    out = _window("blackman_window", window_length, periodic, dtype,
                  lambda n, m: 0.42 - 0.5 * np.cos(2 * math.pi * n / (m - 1))
                  + 0.08 * np.cos(4 * math.pi * n / (m - 1)))
    return out.requires_grad_(requires_grad) if requires_grad else out


def bartlett_window(window_length: int, periodic: bool = True, *, dtype=None, layout=None,
                    device=None, requires_grad: bool = False) -> Tensor:
    """The triangular window ``1 - |2 n / (N - 1) - 1|``."""
    out = _window("bartlett_window", window_length, periodic, dtype,
                  lambda n, m: 1 - np.abs(2 * n / (m - 1) - 1))
    return out.requires_grad_(requires_grad) if requires_grad else out


def kaiser_window(window_length: int, periodic: bool = True, beta: float = 12.0, *, dtype=None,
                  layout=None, device=None, requires_grad: bool = False) -> Tensor:
    """``I0(beta sqrt(1 - (2 n / (N - 1) - 1)^2)) / I0(beta)``."""
    out = _window("kaiser_window", window_length, periodic, dtype,
                  lambda n, m: np.i0(beta * np.sqrt(np.clip(
                      1 - (2 * n / (m - 1) - 1) ** 2, 0, None))) / np.i0(beta))
    return out.requires_grad_(requires_grad) if requires_grad else out


# -- histograms, sampling -----------------------------------------------------------------------


def _float_input(x: Tensor, name: str) -> np.ndarray:
    if x._data.dtype.kind != "f":
        from .extra_pointwise import _word

        raise NotImplementedError(f'"{name}" not implemented for \'{_word(x._data)}\'')
    return x._data


def histogram(input: Tensor, bins=100, *, range=None, weight=None,
              density: bool = False, out=None):
    """(hist, bin_edges): counts (or summed ``weight``) in ``bins`` equal bins over ``range``
    (default: min to max of the input) or between the edges of a 1-D ``bins`` tensor; the
    last bin includes its right edge. ``density`` normalizes to unit area."""
    if out is not None:
        raise NotImplementedError("histogram(out=...) is not supported by chainrule")
    if isinstance(bins, Tensor) and range is not None:
        raise TypeError("histogram() received an invalid combination of arguments: range= "
                        "goes with an int bins, not a tensor of edges")
    data = _float_input(to_tensor(input), "histogramdd")
    dt = data.dtype
    edges = bins._data.astype(dt) if isinstance(bins, Tensor) else _edges(data.reshape(-1),
                                                                          int(bins), range, dt)
    w = None if weight is None else to_tensor(weight)._data.reshape(-1)
    hist, _ = np.histogram(data.reshape(-1), bins=edges.astype(np.float64), weights=w,
                           density=density)
    return histogram_result(Tensor._wrap(hist.astype(dt)), Tensor._wrap(np.asarray(edges)))


def _edges(values: np.ndarray, bins: int, range_, dt) -> np.ndarray:
    if bins <= 0:
        raise RuntimeError(f"torch.histogramdd(): bins must be > 0, but got {bins} for "
                           "dimension 0")
    if range_ is not None:
        lo, hi = float(range_[0]), float(range_[1])
    elif values.size:
        lo, hi = float(values.min()), float(values.max())
    else:  # torch's range for an empty input
        lo, hi = 0.0, 1.0
    if lo > hi:
        raise RuntimeError(f"torch.histogramdd(): for dimension 0, the lower edge {lo} must "
                           f"be <= the upper edge {hi}")
    if lo == hi:  # torch widens an empty range by half a unit on each side
        lo, hi = lo - 0.5, hi + 0.5
    # torch's edges: linspace in the input's dtype
    return np.linspace(np.asarray(lo, dt), np.asarray(hi, dt), bins + 1, dtype=dt)


def histogramdd(input: Tensor, bins=10, *, range=None, weight=None,
                density: bool = False):
    """(hist, bin_edges) of the rows of an ``(N, D)`` input in D dims (``bins``: an int, a list
    of ints, or a list of 1-D edge tensors)."""
    x = to_tensor(input)
    data = _float_input(x, "histogramdd")
    dt = data.dtype
    points = data.reshape(-1, data.shape[-1]) if data.ndim else data.reshape(1, 1)
    d = points.shape[1]
    if isinstance(bins, (int, np.integer)):
        bins = [int(bins)] * d
    edges = []
    for k, b in enumerate(bins):
        if isinstance(b, Tensor):
            edges.append(b._data.astype(dt))
        else:
            rng = None if range is None else (range[2 * k], range[2 * k + 1])
            edges.append(_edges(points[:, k], int(b), rng, dt))
    w = None if weight is None else to_tensor(weight)._data.reshape(-1)
    hist, _ = np.histogramdd(points, bins=[e.astype(np.float64) for e in edges], weights=w,
                             density=density)
    return histogramdd_result(Tensor._wrap(hist.astype(dt)),
                              tuple(Tensor._wrap(np.asarray(e)) for e in edges))


def binomial(count: Tensor, prob: Tensor, generator=None) -> Tensor:
    """Draws from Binomial(count, prob) elementwise, with chainrule's generator (the streams
    differ from torch's); the result has ``count``'s dtype."""
    from .._random import _rng

    c, p = to_tensor(count), to_tensor(prob)
    if c._data.dtype.kind != "f" or p._data.dtype.kind != "f":
        raise NotImplementedError("binomial: count and prob must be floating tensors (as "
                                  "torch's CPU kernel)")
    draws = _rng(generator).binomial(c._data.astype(np.int64), np.clip(p._data, 0, 1))
    return Tensor._wrap(np.asarray(draws).astype(c._data.dtype))
