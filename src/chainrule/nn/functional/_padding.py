"""``pad``: constant, reflect, replicate and circular padding of the trailing dims.

``pad`` lists ``(left, right)`` amounts from the last dim backwards, as torch does; negative
amounts crop. Constant padding is one op whose backward is constant padding with the amounts
negated (a crop of the gradient). The other modes are index maps along each padded axis
(output position ``o`` in ``[-left, n + right)`` reads input ``idx(o)``):

* reflect:   ``idx(o) = |o|`` reflected at both ends without repeating the edge;
* replicate: ``idx(o) = clip(o, 0, n - 1)``;
* circular:  ``idx(o) = o mod n``.

Their backward sums the gradient of every output position into the input it read: the
interior is one slice copy, each border one vectorized add (no ``np.add.at``).
"""

from __future__ import annotations

import numpy as np

from ..._tensor import Tensor
from ...autograd.function import Op

__all__ = ["pad"]


class ConstantPad(Op):
    backward_name = "ConstantPadNdBackward0"
    formula = "y = x surrounded by `value` (negative amounts crop);  dx = crop(dy) (pad negated)"

    @staticmethod
    def forward(ctx, x, spec, value):
        # spec: ((axis, left, right), ...)
        ctx.spec = spec
        shape = list(x.shape)
        src = [slice(None)] * x.ndim
        dst = [slice(None)] * x.ndim
        for axis, left, right in spec:
            n = x.shape[axis]
            size = n + left + right
            if size < 0:
                raise RuntimeError(
                    f"The input size {n}, plus negative padding {left} and {right} resulted in "
                    f"a negative output size, which is invalid. Check dimension {axis} of your "
                    "input."
                )
            shape[axis] = size
            src[axis] = slice(max(0, -left), n - max(0, -right))
            dst[axis] = slice(max(0, left), size - max(0, right))
        out = np.empty(shape, dtype=x.dtype)
        for axis, left, right in spec:
            pre = (slice(None),) * axis
            if left > 0:
                out[pre + (slice(0, left),)] = value
            if right > 0:
                out[pre + (slice(shape[axis] - right, None),)] = value
        out[tuple(dst)] = x[tuple(src)]
        return out

    @staticmethod
    def backward(ctx, dy):
        spec = tuple((axis, -left, -right) for axis, left, right in ctx.spec)
        return ConstantPad.apply(dy, spec, 0), None, None


def _index_map(mode: str, n: int, left: int, right: int) -> np.ndarray:
    o = np.arange(-left, n + right)
    if mode == "reflect":
        o = np.abs(o)
        return np.where(o > n - 1, 2 * (n - 1) - o, o)
    if mode == "replicate":
        return np.clip(o, 0, n - 1)
    # circular: torch crops first (negative amounts), then wraps within what is left
    start = max(0, -left)
    kept = n - start - max(0, -right)
    return start + np.arange(-max(left, 0), kept + max(right, 0)) % kept


def _gather(x: np.ndarray, spec, mode: str) -> np.ndarray:
    for axis, left, right in spec:
        x = np.take(x, _index_map(mode, x.shape[axis], left, right), axis=axis)
    return x


def _scatter(dy: np.ndarray, spec, mode: str, in_shape) -> np.ndarray:
    """The adjoint of :func:`_gather`: each output position's gradient goes to its source."""
    for axis, left, right in reversed(spec):
        n = in_shape[axis]
        pre = (slice(None),) * axis
        a, b = max(0, -left), min(n, n + right)  # input range read by the interior
        if a == 0 and b == n:
            dx = dy[pre + (slice(left, left + n),)].copy()
        else:
            shape = list(dy.shape)
            shape[axis] = n
            dx = np.zeros(shape, dtype=dy.dtype)
            if b > a:
                dx[pre + (slice(a, b),)] = dy[pre + (slice(a + left, b + left),)]
        idx = _index_map(mode, n, left, right)
        sides = []
        if left > 0:
            sides.append((slice(0, left), idx[:left]))
        if right > 0:
            sides.append((slice(left + n, None), idx[left + n:]))
        for part, targets in sides:
            g = dy[pre + (part,)]
            if mode == "replicate":  # every position of a side reads the same edge
                dx[pre + (slice(targets[0], targets[0] + 1),)] += g.sum(axis, keepdims=True)
            else:  # reflect / circular: the sources of one side are distinct
                dx[pre + (targets,)] += g
        dy = dx
    return dy


_NAMES = {"reflect": "ReflectionPad", "replicate": "ReplicationPad", "circular": "CircularPad"}


class IndexPad(Op):
    formula = "y[o] = x[idx(o)] along each padded axis;  dx[i] = sum_{o: idx(o) = i} dy[o]"

    @staticmethod
    def forward(ctx, x, spec, mode):
        ctx.spec, ctx.mode, ctx.shape = spec, mode, x.shape
        return _gather(x, spec, mode)

    @staticmethod
    def backward(ctx, dy):
        return IndexPadAdjoint.apply(dy, ctx.spec, ctx.mode, ctx.shape), None, None


class IndexPadAdjoint(Op):
    formula = "dx[i] = sum_{o: idx(o) = i} dy[o];  d(dy)[o] = d(dx)[idx(o)]"

    @staticmethod
    def forward(ctx, dy, spec, mode, in_shape):
        ctx.spec, ctx.mode = spec, mode
        return _scatter(dy, spec, mode, in_shape)

    @staticmethod
    def backward(ctx, ddx):
        return IndexPad.apply(ddx, ctx.spec, ctx.mode), None, None, None


# torch names the node after the mode and the number of padded dims
_CLASSES = {
    (mode, nd): type(f"{_NAMES[mode]}{nd}D", (IndexPad,),
                     {"backward_name": f"{_NAMES[mode]}{nd}DBackward0"})
    for mode in _NAMES for nd in (1, 2, 3)
}


def pad(input: Tensor, pad, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pads the trailing dims of ``input``, as ``torch.nn.functional.pad``.

    Args:
        pad: ``(left_last, right_last, left_2nd_last, right_2nd_last, ...)``; negative
            amounts crop.
        mode: ``'constant'`` (any number of dims, fills ``value``, default 0), ``'reflect'``
            (mirror without repeating the edge; amounts < size), ``'replicate'`` (repeat the
            edge) or ``'circular'`` (wrap around; amounts <= size). The last three pad 1, 2 or
            3 trailing dims of a 2-5 D input, as torch allows.

    Shape: each padded dim grows from ``n`` to ``n + left + right``.
    """
    pad = [int(p) for p in pad]
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    ndim = input.ndim
    if len(pad) // 2 > ndim:
        raise RuntimeError(
            "Padding length should be less than or equal to two times the input dimension but "
            f"got padding length {len(pad)} and input of dimension {ndim}"
        )
    spec = tuple((ndim - 1 - i, pad[2 * i], pad[2 * i + 1]) for i in range(len(pad) // 2))
    if mode == "constant":
        v = 0 if value is None else value
        if input._data.dtype.kind in "iub" and isinstance(v, float) and v != int(v):
            raise RuntimeError(f"value cannot be converted to type {input.dtype} without overflow")
        return ConstantPad.apply(input, spec, v)
    if mode not in _NAMES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    nd = len(pad) // 2
    if nd not in (1, 2, 3) or ndim not in (nd + 1, nd + 2):
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {ndim}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)"
        )
    for k, (axis, left, right) in enumerate(spec):
        n = input.shape[axis]
        if mode == "reflect" and (left >= n or right >= n):
            raise RuntimeError(
                f"Argument #{4 + 2 * k}: Padding size should be less than the corresponding "
                f"input dimension, but got: padding ({left}, {right}) at dimension {axis} of "
                f"input {list(input.shape)}"
            )
        kept = n - max(0, -left) - max(0, -right)
        if mode == "circular" and (left > kept or right > kept):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        if mode == "replicate" and n == 0:
            raise RuntimeError(f"Expected input's dimension {axis} to be non-zero to pad.")
        if n + left + right < 0:
            raise RuntimeError(
                f"input tensor is too small for padding ({left}, {right}) at dimension {axis}"
            )
    return _CLASSES[(mode, nd)].apply(input, spec, mode)
