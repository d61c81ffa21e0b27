"""Sliding windows: im2col / col2im kernels on raw arrays, and ``unfold`` / ``fold``.

Every windowed layer (convolution, transposed convolution, pooling, ``Unfold``/``Fold``) reads
its input through the geometry of a 2-D sliding window: kernel ``(kH, kW)``, stride, dilation
and (possibly asymmetric) zero padding. The kernels here turn windows into columns with NumPy
stride tricks (one strided copy, no Python loop over pixels or batch items) and scatter columns
back with one vectorized add per kernel offset (``kH * kW`` adds in total).

Two column layouts, both ``(N, C * kH * kW, L)`` with the channel-major order torch uses:

* compact: ``L = oH * oW``, one column per output pixel (``unfold``'s result);
* wide (stride 1 only): the padded image is read as one flat row of ``Hp * Wp`` values, so the
  window at kernel offset ``(i, j)`` is the contiguous slice starting at ``i*dH*Wp + j*dW`` of
  length ``L = (oH - 1) * Wp + oW``. Output rows then have ``Wp`` entries of which the first
  ``oW`` are real; the ``Wp - oW`` extra ones are computed and dropped. Long contiguous rows
  make the copy and the scatter several times faster than the compact layout's short rows.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..._tensor import Tensor
from ...autograd.function import Op

__all__ = ["fold", "unfold"]


class Geometry:
    """One 2-D sliding-window configuration (independent of batch and channel counts).

    Attributes:
        H, W: unpadded input size; Hp, Wp: padded size; oH, oW: number of window positions.
        pads: ``(top, bottom, left, right)`` zero padding.
        wide: whether the wide column layout applies (stride 1); ``R`` is the distance between
            output rows in the column layout (``Wp`` when wide, ``oW`` when compact) and ``L``
            the column count.
    """

    __slots__ = (
        "H",
        "Hp",
        "L",
        "R",
        "W",
        "Wp",
        "dH",
        "dW",
        "kH",
        "kW",
        "oH",
        "oW",
        "pads",
        "sH",
        "sW",
        "wide",
    )

    def __init__(self, H, W, kernel, stride, dilation, pads, wide_ok=True, out=None) -> None:
        self.H, self.W = H, W
        self.kH, self.kW = kernel
        self.sH, self.sW = stride
        self.dH, self.dW = dilation
        self.pads = pads
        self.Hp = H + pads[0] + pads[1]
        self.Wp = W + pads[2] + pads[3]
        self.oH = (self.Hp - self.dH * (self.kH - 1) - 1) // self.sH + 1
        self.oW = (self.Wp - self.dW * (self.kW - 1) - 1) // self.sW + 1
        if out is not None:  # transposed convolution: its input size fixes the window count
            self.oH, self.oW = out
        self.wide = wide_ok and self.sH == 1 and self.sW == 1
        self.R = self.Wp if self.wide else self.oW
        self.L = (self.oH - 1) * self.R + self.oW if self.oH > 0 and self.oW > 0 else 0


@lru_cache(maxsize=512)
def geometry(H, W, kernel, stride, dilation, pads, wide_ok=True, out=None) -> Geometry:
    """The cached :class:`Geometry` for these sizes (index arithmetic is done once per key)."""
    return Geometry(H, W, kernel, stride, dilation, pads, wide_ok, out)


_SCRATCH = threading.local()
_SCRATCH_MAX_BYTES = 1 << 26


def scratch(tag, shape, dtype, zero: bool = False) -> np.ndarray:
    """A reusable per-thread buffer for a temporary that never leaves the calling kernel.

    Fresh multi-megabyte arrays cost page faults on every step (the allocator hands large
    blocks back to the OS); kernels reuse one buffer per ``(tag, shape, dtype)`` instead. The
    contents are whatever the last user of the same key left (zeros when new and ``zero``).
    """
    cache = getattr(_SCRATCH, "buffers", None)
    if cache is None:
        cache = _SCRATCH.buffers = {}
    key = (tag, tuple(shape), np.dtype(dtype))
    buf = cache.get(key)
    if buf is None:
        buf = np.zeros(shape, dtype=dtype) if zero else np.empty(shape, dtype=dtype)
        if buf.nbytes <= _SCRATCH_MAX_BYTES:
            if len(cache) >= 32:  # shapes changed (new batch size ...): drop the old buffers
                cache.clear()
            cache[key] = buf
    return buf


def pad_zeros(x: np.ndarray, pads, value=0) -> np.ndarray:
    """``x`` (..., H, W) with ``(top, bottom, left, right)`` rows/columns of ``value`` added."""
    pt, pb, pl, pr = pads
    if not (pt or pb or pl or pr):
        return x
    *lead, H, W = x.shape
    shape = (*lead, H + pt + pb, W + pl + pr)
    if value == 0:  # calloc'd zeros beat writing the thin border strips
        out = np.zeros(shape, dtype=x.dtype)
        out[..., pt:pt + H, pl:pl + W] = x
        return out
    out = np.empty(shape, dtype=x.dtype)
    # fill only the border: the interior is overwritten just below
    if pt:
        out[..., :pt, :] = value
    if pb:
        out[..., H + pt:, :] = value
    if pl:
        out[..., pt:pt + H, :pl] = value
    if pr:
        out[..., pt:pt + H, W + pl:] = value
    out[..., pt:pt + H, pl:pl + W] = x
    return out


def im2col(x: np.ndarray, g: Geometry) -> np.ndarray:
    """``x`` (N, C, H, W) -> columns (N, C*kH*kW, L) in ``g``'s layout (a fresh array)."""
    N, C = x.shape[:2]
    xp = pad_zeros(x, g.pads)
    it = xp.itemsize
    if g.wide:
        if xp.strides[3] != it or xp.strides[2] != g.Wp * it:
            xp = np.ascontiguousarray(xp)
        sN, sC = xp.strides[:2]
        view = as_strided(xp, (N, C, g.kH, g.kW, g.L),
                          (sN, sC, g.dH * g.Wp * it, g.dW * it, it), writeable=False)
    else:
        sN, sC, sH, sW = xp.strides
        view = as_strided(xp, (N, C, g.kH, g.kW, g.oH, g.oW),
                          (sN, sC, sH * g.dH, sW * g.dW, sH * g.sH, sW * g.sW), writeable=False)
    return view.reshape(N, C * g.kH * g.kW, g.L)


def col2im(cols: np.ndarray, g: Geometry, C: int) -> np.ndarray:
    """The adjoint of :func:`im2col`: sums columns (N, C*kH*kW, L) back into (N, C, H, W)."""
    N = cols.shape[0]
    cols = cols.reshape(N, C, g.kH, g.kW, g.L)
    if g.wide:
        L, Wp = g.L, g.Wp
        flat = np.empty((N, C, g.Hp * g.Wp), dtype=cols.dtype)
        flat[:, :, :L] = cols[:, :, 0, 0]  # offset (0, 0) starts the sum: no zero pass under it
        flat[:, :, L:] = 0
        for ki in range(g.kH):
            for kj in range(g.kW):
                if ki or kj:
                    off = ki * g.dH * Wp + kj * g.dW
                    flat[:, :, off:off + L] += cols[:, :, ki, kj]
        xp = flat.reshape(N, C, g.Hp, g.Wp)
    else:
        xp = np.zeros((N, C, g.Hp, g.Wp), dtype=cols.dtype)
        hs, ws = g.sH * (g.oH - 1) + 1, g.sW * (g.oW - 1) + 1
        cols = cols.reshape(N, C, g.kH, g.kW, g.oH, g.oW)
        for ki in range(g.kH):
            for kj in range(g.kW):
                i, j = ki * g.dH, kj * g.dW
                xp[:, :, i:i + hs:g.sH, j:j + ws:g.sW] += cols[:, :, ki, kj]
    pt, _, pl, _ = g.pads
    if xp.shape[2:] != (g.H, g.W):
        xp = xp[:, :, pt:pt + g.H, pl:pl + g.W]
    return xp


def rows_to_image(y: np.ndarray, g: Geometry) -> np.ndarray:
    """Column-layout output (N, O, L) -> image (N, O, oH, oW) (a view, no copy)."""
    N, O = y.shape[:2]
    if not g.wide:
        return y.reshape(N, O, g.oH, g.oW)
    it = y.itemsize
    return as_strided(y, (N, O, g.oH, g.oW), (y.strides[0], y.strides[1], g.R * it, it))


def image_to_rows(dy: np.ndarray, g: Geometry) -> np.ndarray:
    """Image (N, O, oH, oW) -> column layout (N, O, L); the wide layout's extra entries are 0.

    The result may live in a scratch buffer: use it before the next call, never keep it.
    """
    N, O = dy.shape[:2]
    if not g.wide:
        return dy.reshape(N, O, g.L)
    # keyed by the row layout too: only this function writes such a buffer, always the same
    # entries, so the extra entries keep the zeros they were created with
    rows = scratch(("rows", g.R, g.oW), (N, O, g.oH * g.R), dy.dtype, zero=True)
    rows.reshape(N, O, g.oH, g.R)[..., : g.oW] = dy
    return rows[..., : g.L]


# -- unfold / fold -------------------------------------------------------------------------------


def _pair(v, name: str, fn: str) -> tuple[int, int]:
    if isinstance(v, (int, np.integer)):
        return (int(v), int(v))
    v = tuple(int(a) for a in v)
    if len(v) == 1:
        return (v[0], v[0])
    if len(v) != 2:
        raise RuntimeError(f"{fn}(): {name} must be an int or a pair of ints, got {v}")
    return v


class Unfold(Op):
    backward_name = "Im2ColBackward0"
    formula = "cols[n, (c,i,j), l] = x_pad[n, c, oh*s + i*d, ow*s + j*d];  dx = fold(dcols)"

    @staticmethod
    def forward(ctx, x, g):
        ctx.g, ctx.C = g, x.shape[1]
        return im2col(x, g)

    @staticmethod
    def backward(ctx, dcols):
        return Fold.apply(dcols, ctx.g, ctx.C), None


class Fold(Op):
    backward_name = "Col2ImBackward0"
    formula = "y = sum of columns into their windows (col2im);  dcols = unfold(dy)"

    @staticmethod
    def forward(ctx, cols, g, C):
        ctx.g = g
        out = col2im(cols, g, C)
        return np.ascontiguousarray(out)

    @staticmethod
    def backward(ctx, dy):
        return Unfold.apply(dy, ctx.g), None, None


def unfold(input: Tensor, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Extracts sliding local blocks (im2col), as ``torch.nn.functional.unfold``.

    Shape: input ``(N, C, H, W)`` or ``(C, H, W)`` -> ``(N, C*kH*kW, L)`` with
    ``L = oH * oW`` and ``oH = (H + 2 pH - dH (kH - 1) - 1) // sH + 1``; column
    ``(c, i, j)`` of block ``l`` holds ``x[c, oh*sH - pH + i*dH, ow*sW - pW + j*dW]``.
    """
    k = _pair(kernel_size, "kernel_size", "unfold")
    d = _pair(dilation, "dilation", "unfold")
    p = _pair(padding, "padding", "unfold")
    s = _pair(stride, "stride", "unfold")
    if input.ndim not in (3, 4):
        raise RuntimeError(
            "Expected 3D or 4D (batch mode) tensor for input with possibly 0 batch size and "
            f"non-zero dimensions for input, but got: {list(input.shape)}"
        )
    batched = input.ndim == 4
    x = input if batched else input.unsqueeze(0)
    H, W = x.shape[2:]
    g = geometry(H, W, k, s, d, (p[0], p[0], p[1], p[1]), False)
    if g.oH < 1 or g.oW < 1:
        raise RuntimeError(
            f"Given input with spatial size ({H}, {W}), kernel_size=({k[0]}, {k[1]}), "
            f"dilation=({d[0]}, {d[1]}), padding=({p[0]}, {p[1]}), calculated shape of the "
            f"array of sliding blocks as ({g.oH}, {g.oW}), but its components must be at "
            "least one."
        )
    out = Unfold.apply(x, g)
    return out if batched else out.squeeze(0)


def fold(input: Tensor, output_size, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Combines sliding local blocks into a tensor by summing overlaps (col2im), as
    ``torch.nn.functional.fold``: the adjoint of :func:`unfold`.

    Shape: input ``(N, C*kH*kW, L)`` or ``(C*kH*kW, L)`` -> ``(N, C, H, W)`` with
    ``(H, W) = output_size``; ``L`` must equal the number of blocks ``oH * oW``.
    """
    o = _pair(output_size, "output_size", "fold")
    k = _pair(kernel_size, "kernel_size", "fold")
    d = _pair(dilation, "dilation", "fold")
    p = _pair(padding, "padding", "fold")
    s = _pair(stride, "stride", "fold")
    if input.ndim not in (2, 3):
        raise RuntimeError(
            "Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and "
            f"non-zero dimensions for input, but got: {list(input.shape)}"
        )
    batched = input.ndim == 3
    x = input if batched else input.unsqueeze(0)
    kk = k[0] * k[1]
    if x.shape[1] % kk:
        raise RuntimeError(
            "Expected size of input's dimension 1 to be divisible by the product of "
            f"kernel_size, but got input.size(1)={x.shape[1]} and kernel_size=({k[0]}, {k[1]})"
        )
    g = geometry(o[0], o[1], k, s, d, (p[0], p[0], p[1], p[1]), False)
    if x.shape[2] != g.oH * g.oW:
        raise RuntimeError(
            f"Given output_size=({o[0]}, {o[1]}), kernel_size=({k[0]}, {k[1]}), "
            f"dilation=({d[0]}, {d[1]}), padding=({p[0]}, {p[1]}), stride=({s[0]}, {s[1]}), "
            f"expected size of input's dimension 2 to match the calculated number of sliding "
            f"blocks {g.oH} * {g.oW} = {g.oH * g.oW}, but got input.size(2)={x.shape[2]}."
        )
    out = Fold.apply(x, g, x.shape[1] // kk)
    return out if batched else out.squeeze(0)
