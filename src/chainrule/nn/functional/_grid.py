"""Sampling grids: ``affine_grid`` and ``grid_sample`` (the spatial transformer's two steps).

``affine_grid(theta, size)`` maps a regular grid of normalized output coordinates in [-1, 1]
through the 2x3 affine matrices ``theta``; ``grid_sample(input, grid)`` reads ``input`` at those
normalized ``(x, y)`` positions with bilinear or nearest interpolation. Both are compositions
of chainrule ops (matrix products, gathers, clamps), so the gradients with respect to
``theta``, ``grid`` and ``input`` are the chain rule through them: the input gradient scatters
each output gradient to the four neighbouring pixels with the bilinear weights, the grid
gradient is the difference of neighbouring values times the weights' slopes (zero where a
coordinate is clipped, as torch's ``clip_coordinates_set_grad``).
"""

from __future__ import annotations

import numpy as np

from ... import ops
from ..._tensor import Tensor

__all__ = ["affine_grid", "grid_sample"]


def _base_coords(steps: int, align_corners: bool, dtype) -> np.ndarray:
    """torch's ``linspace_from_neg_one``: pixel centres (corners with ``align_corners``)."""
    from ..._creation import _torch_linspace  # noqa: PLC0415

    if steps <= 1:
        return np.zeros(max(steps, 0), dtype=dtype)
    values = _torch_linspace(-1.0, 1.0, steps, dtype)
    if not align_corners:
        values = (values * dtype.type(steps - 1) / dtype.type(steps)).astype(dtype)
    return values


def affine_grid(theta: Tensor, size, align_corners: bool | None = None) -> Tensor:
    """``(N, 2, 3)`` affine matrices and an output ``size`` ``(N, C, H, W)`` -> the sampling grid
    ``(N, H, W, 2)``: ``grid[n, i, j] = theta[n] @ (x_j, y_i, 1)`` with ``x, y`` in [-1, 1]."""
    if align_corners is None:
        align_corners = False
    size = tuple(int(s) for s in size)
    if len(size) != 4:
        raise NotImplementedError("affine_grid: only 4-D sizes (N, C, H, W) are supported by "
                                  "chainrule")
    if theta.ndim != 3 or tuple(theta.shape[1:]) != (2, 3):
        raise ValueError(f"Expected a batch of 2D affine matrices of shape Nx2x3 for size "
                         f"{list(size)}. Got {list(theta.shape)}.")
    if theta.shape[0] != size[0]:
        raise ValueError(f"Expected theta to have the same batch size as size ({size[0]}), got "
                         f"{theta.shape[0]}")
    n, _, h, w = size
    if align_corners and min(h, w) == 1:
        import warnings  # noqa: PLC0415

        warnings.warn(
            "Since version 1.3.0, affine_grid behavior has changed for unit-size grids when "
            "align_corners=True. This is not an intended use case of affine_grid. See the "
            "documentation of affine_grid for details.",
            stacklevel=2,
        )
    dtype = theta._data.dtype
    base = np.empty((h, w, 3), dtype=dtype)
    base[..., 0] = _base_coords(w, align_corners, dtype)[None, :]
    base[..., 1] = _base_coords(h, align_corners, dtype)[:, None]
    base[..., 2] = 1
    base_t = Tensor._wrap(np.ascontiguousarray(np.broadcast_to(base.reshape(1, h * w, 3),
                                                               (n, h * w, 3))))
    return ops.bmm(base_t, theta.transpose(1, 2)).reshape(n, h, w, 2)


# The coordinate arithmetic follows torch's vectorized CPU kernel (GridSamplerKernel.cpp), so
# positions that land on pixel centres round the same way (they decide the neighbours).


def _unnormalize(coord: Tensor, size: int, align_corners: bool) -> Tensor:
    dtype = coord._data.dtype.type
    if align_corners:
        return (coord + 1) * dtype(dtype(size - 1) / 2)
    return (coord + 1) * dtype(dtype(size) / 2) - 0.5


def _reflect(coord: Tensor, size: int, align_corners: bool) -> Tensor:
    """Folds ``coord`` back into the image: ``min(extra, 2 span - extra)`` with ``extra`` the
    distance from the low edge modulo twice the span."""
    if size <= (1 if align_corners else 0):
        return coord * 0
    dtype = coord._data.dtype.type
    low = dtype(0) if align_corners else dtype(-0.5)
    twice_span = dtype(size - 1) * 2 if align_corners else dtype(size) * 2
    dist = (coord - low).abs()
    flips = (dist / twice_span).detach().trunc()
    extra = dist - flips * twice_span
    return ops.minimum(extra, twice_span - extra) + low


def _source_index(coord: Tensor, size: int, padding_mode: str, align_corners: bool) -> Tensor:
    x = _unnormalize(coord, size, align_corners)
    if padding_mode == "border":
        x = x.clamp(0, size - 1)
    elif padding_mode == "reflection":
        x = _reflect(x, size, align_corners).clamp(0, size - 1)
    return x


def _gather(flat: Tensor, ix: np.ndarray, iy: np.ndarray, h: int, w: int) -> Tensor:
    """``input[n, :, iy, ix]`` for integer pixel positions, zero outside the image:
    ``(N, C, H*W)`` and ``(N, P)`` indices -> ``(N, C, P)``."""
    inside = (ix >= 0) & (ix < w) & (iy >= 0) & (iy < h)
    index = np.where(inside, iy * w + ix, 0).astype(np.int64)
    n, c = flat.shape[:2]
    idx = Tensor._wrap(np.ascontiguousarray(np.broadcast_to(index[:, None, :],
                                                             (n, c, index.shape[1]))))
    values = flat.gather(2, idx)
    if inside.all():
        return values
    return values * Tensor._wrap(inside[:, None, :].astype(flat._data.dtype))


def grid_sample(input: Tensor, grid: Tensor, mode: str = "bilinear",
                padding_mode: str = "zeros", align_corners: bool | None = None) -> Tensor:
    """Samples ``input`` ``(N, C, H, W)`` at the normalized positions ``grid`` ``(N, Ho, Wo, 2)``
    (``grid[..., 0]`` is x along W, ``grid[..., 1]`` is y along H, -1 and 1 the image edges)
    -> ``(N, C, Ho, Wo)``.

    ``mode``: ``'bilinear'`` (the four neighbours weighted by distance) or ``'nearest'``
    (rounding half to even, as torch); ``padding_mode``: ``'zeros'``, ``'border'`` (clamp to
    the edge) or ``'reflection'``; ``align_corners`` puts -1 and 1 at the corner pixels'
    centres instead of the image's outer edges."""
    if align_corners is None:
        align_corners = False
    if mode not in ("bilinear", "nearest"):
        raise NotImplementedError(f"grid_sample(mode={mode!r}) is not supported by chainrule "
                                  "(bilinear and nearest are)")
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError(f"nn.functional.grid_sample(): expected padding_mode to be 'zeros', "
                         f"'border', or 'reflection', but got: '{padding_mode}'")
    if input.ndim != 4:
        raise NotImplementedError("grid_sample: only 4-D input (N, C, H, W) is supported by "
                                  "chainrule")
    if grid.ndim != 4 or grid.shape[-1] != 2 or grid.shape[0] != input.shape[0]:
        raise RuntimeError(f"grid_sampler(): expected grid to have size 2 in last dimension and "
                           f"the input's batch size, but got grid with sizes "
                           f"{list(grid.shape)}")
    n, c, h, w = input.shape
    ho, wo = grid.shape[1:3]
    flat = input.reshape(n, c, h * w)
    gx = _source_index(grid[..., 0].reshape(n, ho * wo), w, padding_mode, align_corners)
    gy = _source_index(grid[..., 1].reshape(n, ho * wo), h, padding_mode, align_corners)
    if mode == "nearest":
        ix = np.rint(gx._data).astype(np.int64)
        iy = np.rint(gy._data).astype(np.int64)
        return _gather(flat, ix, iy, h, w).reshape(n, c, ho, wo)
    x0 = np.floor(gx._data).astype(np.int64)
    y0 = np.floor(gy._data).astype(np.int64)
    dx = gx - Tensor._wrap(x0.astype(gx._data.dtype))  # distance to the west neighbour
    dy = gy - Tensor._wrap(y0.astype(gy._data.dtype))
    dx, dy = dx.unsqueeze(1), dy.unsqueeze(1)
    out = (_gather(flat, x0, y0, h, w) * ((1 - dx) * (1 - dy))
           + _gather(flat, x0 + 1, y0, h, w) * (dx * (1 - dy))
           + _gather(flat, x0, y0 + 1, h, w) * ((1 - dx) * dy)
           + _gather(flat, x0 + 1, y0 + 1, h, w) * (dx * dy))
    return out.reshape(n, c, ho, wo)
