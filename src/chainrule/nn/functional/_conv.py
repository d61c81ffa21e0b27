"""Convolutions: ``conv1d``, ``conv2d``, ``conv_transpose1d``, ``conv_transpose2d``.

Three primitive ops, each other's derivatives, so that any order of derivative stays inside
this trio (``create_graph=True`` works to any depth):

* ``Conv2dOp(x, w, b)``: ``y = W_g @ im2col(x) + b`` per group, one batched matrix product;
* ``ConvInput(dy, w, b)``: ``x = col2im(W_g^T @ dy) + b``: conv's input gradient, which is
  also the transposed convolution's forward;
* ``ConvWeight(x, dy)``: ``dW_g = sum_n dy_g @ im2col(x)_g^T``: conv's weight gradient.

Shapes follow torch: input ``(N, C, H, W)``, weight ``(O, C/groups, kH, kW)``; transposed
weight ``(C_in, C_out/groups, kH, kW)``. 1-D convolutions run as 2-D ones with height 1.
"""

from __future__ import annotations

import numpy as np

from ..._tensor import Tensor
from ...autograd.function import Op
from ._fold import col2im, geometry, im2col, image_to_rows, rows_to_image, scratch

__all__ = ["conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d"]

# im2col columns are kept for the weight gradient unless they are this large (then recomputed)
_SAVE_COLS_MAX_BYTES = 1 << 28


def _forward_mm(w: np.ndarray, cols: np.ndarray, groups: int) -> np.ndarray:
    """(O, C/g, kH, kW) weight times (N, C*kH*kW, L) columns -> (N, O, L)."""
    O = w.shape[0]
    N, K, L = cols.shape
    if groups == 1:
        return np.matmul(w.reshape(O, K), cols)
    y = np.matmul(w.reshape(groups, O // groups, K // groups),
                  cols.reshape(N, groups, K // groups, L))
    return y.reshape(N, O, L)


def _input_mm(w: np.ndarray, rows: np.ndarray, groups: int) -> np.ndarray:
    """Weight^T times (N, O, L) output rows -> (N, C*kH*kW, L) columns."""
    O = w.shape[0]
    K = w[0].size * groups
    N, _, L = rows.shape
    out = scratch("cols", (N, K, L), np.result_type(w, rows))  # consumed by col2im at once
    if groups == 1:
        return np.matmul(w.reshape(O, K).T, rows, out=out)
    wt = w.reshape(groups, O // groups, K // groups).transpose(0, 2, 1)
    np.matmul(wt, rows.reshape(N, groups, O // groups, L), out=out.reshape(N, groups, -1, L))
    return out


def _weight_mm(rows: np.ndarray, cols: np.ndarray, groups: int, wshape) -> np.ndarray:
    """sum over the batch of (N, O, L) rows times (N, C*kH*kW, L)^T columns -> weight shape."""
    N, O, L = rows.shape
    K = cols.shape[1]
    if groups == 1:
        if N == 1:
            return (rows[0] @ cols[0].T).reshape(wshape)
        return np.matmul(rows, cols.transpose(0, 2, 1)).sum(0).reshape(wshape)
    r = rows.reshape(N, groups, O // groups, L)
    c = cols.reshape(N, groups, K // groups, L).transpose(0, 1, 3, 2)
    return np.matmul(r, c).sum(0).reshape(wshape)


class Conv2dOp(Op):
    backward_name = "ConvolutionBackward0"
    formula = (
        "y = W @ im2col(x) + b (per group);  dx = col2im(W^T @ dy) (conv_transpose of dy);  "
        "dW = sum_n dy @ im2col(x)^T;  db = sum_{n,h,w} dy"
    )

    @staticmethod
    def forward(ctx, x, w, b, g, groups):
        cols = im2col(x, g)
        y = _forward_mm(w, cols, groups)
        if b is not None:
            y += b[:, None]
        needs = ctx.needs_input_grad
        if needs:
            ctx.g, ctx.groups, ctx.C = g, groups, x.shape[1]
            keep = needs[1] and cols.nbytes <= _SAVE_COLS_MAX_BYTES
            ctx.save_for_backward(x if needs[1] else None, w if needs[0] else None,
                                  cols if keep else None)
        return rows_to_image(y, g)

    @staticmethod
    def backward(ctx, dy):
        x, w, cols = ctx.saved_tensors
        needs = ctx.needs_input_grad
        g, groups = ctx.g, ctx.groups
        dx = dw = db = None
        # both gradients read dy in the column layout: build it once
        rows = image_to_rows(dy._data, g) if needs[0] and needs[1] else None
        if needs[0]:
            dx = ConvInput.apply(dy, w, None, g, groups, ctx.C, rows=rows)
        if needs[1]:
            hint = cols._data if cols is not None else None
            dw = ConvWeight.apply(x, dy, g, groups, cols=hint, rows=rows)
        if len(needs) > 2 and needs[2]:
            db = dy.sum((0, 2, 3))
        return dx, dw, db, None, None


class ConvInput(Op):
    backward_name = "ConvolutionBackward0"
    formula = (
        "x = col2im(W^T @ dy) + b (per group; conv_transpose2d);  d(dy) = conv2d(dx, W);  "
        "dW = sum_n dy @ im2col(dx)^T;  db = sum_{n,h,w} dx"
    )

    @staticmethod
    def forward(ctx, dy, w, b, g, groups, C, rows=None):
        if rows is None:
            rows = image_to_rows(dy, g)
        x = col2im(_input_mm(w, rows, groups), g, C)
        if b is not None:
            x += b[:, None, None]
        needs = ctx.needs_input_grad
        if needs:
            ctx.g, ctx.groups = g, groups
            ctx.save_for_backward(dy if needs[1] else None, w if needs[0] else None)
        return x

    @staticmethod
    def backward(ctx, dx):
        dy, w = ctx.saved_tensors
        needs = ctx.needs_input_grad
        g, groups = ctx.g, ctx.groups
        d_dy = d_w = d_b = None
        if needs[0]:
            d_dy = Conv2dOp.apply(dx, w, None, g, groups)
        if needs[1]:
            d_w = ConvWeight.apply(dx, dy, g, groups)
        if len(needs) > 2 and needs[2]:
            d_b = dx.sum((0, 2, 3))
        return d_dy, d_w, d_b, None, None, None


class ConvWeight(Op):
    backward_name = "ConvolutionBackwardBackward0"
    formula = (
        "gW = sum_n dy @ im2col(x)^T (per group);  dx = conv_transpose2d(dy, d_gW);  "
        "d(dy) = conv2d(x, d_gW)"
    )

    @staticmethod
    def forward(ctx, x, dy, g, groups, cols=None, rows=None):
        if cols is None:
            cols = im2col(x, g)
        if rows is None:
            rows = image_to_rows(dy, g)
        C = x.shape[1]
        wshape = (dy.shape[1], C // groups, g.kH, g.kW)
        gw = _weight_mm(rows, cols, groups, wshape)
        needs = ctx.needs_input_grad
        if needs:
            ctx.g, ctx.groups, ctx.C = g, groups, C
            ctx.save_for_backward(x if needs[1] else None, dy if needs[0] else None)
        return gw

    @staticmethod
    def backward(ctx, d_gw):
        x, dy = ctx.saved_tensors
        needs = ctx.needs_input_grad
        g, groups = ctx.g, ctx.groups
        dx = ddy = None
        if needs[0]:
            dx = ConvInput.apply(dy, d_gw, None, g, groups, ctx.C)
        if needs[1]:
            ddy = Conv2dOp.apply(x, d_gw, None, g, groups)
        return dx, ddy, None, None


# -- argument handling -----------------------------------------------------------------------


def _tuple(v, n: int, name: str) -> tuple:
    if isinstance(v, (int, np.integer)):
        return (int(v),) * n
    v = tuple(int(a) for a in v)
    if len(v) == 1:
        return v * n
    if len(v) != n:
        raise RuntimeError(
            f"expected {name} to be a single integer value or a list of {n} values to match the "
            f"convolution dimensions, but got {name}={list(v)}"
        )
    return v


def _type_word(t: Tensor) -> str:
    return t.type()


def _check_types(x: Tensor, w: Tensor, b: Tensor | None) -> None:
    if x._data.dtype != w._data.dtype:
        raise RuntimeError(
            f"Input type ({_type_word(x)}) and weight type ({_type_word(w)}) should be the same"
        )
    if b is not None and b._data.dtype != x._data.dtype:
        raise RuntimeError(
            f"Input type ({x.dtype}) and bias type ({b.dtype}) should be the same".replace(
                "torch.", "")
        )


def _check_common(stride, padding_ints, dilation, groups) -> None:
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError("dilation should be greater than zero")
    if padding_ints is not None and any(p < 0 for p in padding_ints):
        raise RuntimeError("negative padding is not supported")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")


def _pads(padding, kernel, stride, dilation) -> tuple[int, int, int, int]:
    """``(top, bottom, left, right)`` for int/tuple/'valid'/'same' padding (2-D)."""
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0, 0, 0)
        if padding != "same":
            raise RuntimeError(f"Invalid padding string: '{padding}'")
        if any(s != 1 for s in stride):
            raise RuntimeError("padding='same' is not supported for strided convolutions")
        out = []
        for k, d in zip(kernel, dilation):
            total = d * (k - 1)
            # torch puts the odd extra padding at the end (bottom / right)
            out += [total // 2, total - total // 2]
        return tuple(out)
    return (padding[0], padding[0], padding[1], padding[1])


def _conv_nd(input, weight, bias, stride, padding, dilation, groups, nd: int) -> Tensor:
    name = f"conv{nd}d"
    if not isinstance(input, Tensor) or not isinstance(weight, Tensor):
        raise TypeError(f"{name}() expects Tensor input and weight")
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(
            f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {name}, but got "
            f"input of size: {list(input.shape)}"
        )
    if weight.ndim != nd + 2:
        raise RuntimeError(
            f"weight should have at least three dimensions, got {weight.ndim}" if weight.ndim < 3
            else f"Expected {nd + 2}-dimensional weight for {nd + 2}-dimensional input "
                 f"{list(input.shape)}, but got {weight.ndim}-dimensional weight of size "
                 f"{list(weight.shape)} instead"
        )
    _check_types(input, weight, bias)
    groups = int(groups)
    stride = _tuple(stride, nd, "stride")
    dilation = _tuple(dilation, nd, "dilation")
    pad_ints = None if isinstance(padding, str) else _tuple(padding, nd, "padding")
    _check_common(stride, pad_ints, dilation, groups)
    batched = input.ndim == nd + 2
    x = input if batched else input.unsqueeze(0)
    O = weight.shape[0]
    C = x.shape[1]
    if O % groups:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, "
            f"but got weight of size [{list(weight.shape)}] instead"
        )
    if weight.shape[1] * groups != C:
        raise RuntimeError(
            f"Given groups={groups}, weight of size {list(weight.shape)}, expected input"
            f"{list(x.shape)} to have {weight.shape[1] * groups} channels, but got {C} channels "
            "instead"
        )
    if bias is not None and tuple(bias.shape) != (O,):
        raise RuntimeError(
            f"Given weight of size {list(weight.shape)}, expected bias to be 1-dimensional with "
            f"{O} elements, but got bias of size {list(bias.shape)} instead"
        )
    kernel = tuple(weight.shape[2:])
    w = weight
    if nd == 1:
        x = x.unsqueeze(2)
        w = weight.unsqueeze(2)
        kernel, stride, dilation = (1,) + kernel, (1,) + stride, (1,) + dilation
        pad_ints = None if pad_ints is None else (0,) + pad_ints
    pads = _pads(padding if pad_ints is None else pad_ints, kernel, stride, dilation)
    H, W = x.shape[2:]
    g = geometry(H, W, kernel, stride, dilation, pads)
    if g.oH < 1 or g.oW < 1:
        hp, wp = g.Hp, g.Wp
        kh, kw = dilation[0] * (kernel[0] - 1) + 1, dilation[1] * (kernel[1] - 1) + 1
        sizes = f"({wp})" if nd == 1 else f"({hp} x {wp})"
        ks = f"({kw})" if nd == 1 else f"({kh} x {kw})"
        raise RuntimeError(
            f"Calculated padded input size per channel: {sizes}. Kernel size: {ks}. Kernel size "
            "can't be greater than actual input size"
        )
    out = Conv2dOp.apply(x, w, bias, g, groups)
    if nd == 1:
        out = out.squeeze(2)
    return out if batched else out.squeeze(0)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
           dilation=1, groups: int = 1) -> Tensor:
    """2-D cross-correlation, as ``torch.nn.functional.conv2d``.

    ``y[n, o, i, j] = b[o] + sum_{c, p, q} W[o, c, p, q] * x_pad[n, g(o)*C/G + c,
    i*sH + p*dH, j*sW + q*dW]`` where ``g(o)`` is the group of output channel ``o``.

    Shape: input ``(N, C, H, W)`` or ``(C, H, W)``; weight ``(O, C/groups, kH, kW)``; bias
    ``(O,)``; output ``(N, O, oH, oW)`` with ``oH = (H + pT + pB - dH (kH - 1) - 1) // sH + 1``.
    ``padding`` is an int, a pair, ``'valid'`` (0) or ``'same'`` (output size = input size,
    stride 1; an odd total puts the extra row/column at the bottom/right, as torch does).
    """
    return _conv_nd(input, weight, bias, stride, padding, dilation, groups, 2)


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
           dilation=1, groups: int = 1) -> Tensor:
    """1-D cross-correlation, as ``torch.nn.functional.conv1d``: input ``(N, C, L)`` or
    ``(C, L)``, weight ``(O, C/groups, k)``, output ``(N, O, oL)``; runs as ``conv2d`` with
    height 1."""
    return _conv_nd(input, weight, bias, stride, padding, dilation, groups, 1)


def _conv_transpose_nd(input, weight, bias, stride, padding, output_padding, groups, dilation,
                       nd: int) -> Tensor:
    name = f"conv_transpose{nd}d"
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(
            f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {name}, but got "
            f"input of size: {list(input.shape)}"
        )
    if weight.ndim != nd + 2:
        raise RuntimeError(
            f"Expected {nd + 2}-dimensional weight for {name}, but got {weight.ndim}-dimensional "
            f"weight of size {list(weight.shape)} instead"
        )
    if isinstance(padding, str):
        raise TypeError(f"{name}(): argument 'padding' must be a tuple of ints, not str")
    _check_types(input, weight, bias)
    groups = int(groups)
    stride = _tuple(stride, nd, "stride")
    dilation = _tuple(dilation, nd, "dilation")
    padding = _tuple(padding, nd, "padding")
    output_padding = _tuple(output_padding, nd, "output_padding")
    _check_common(stride, padding, dilation, groups)
    for op, s, d in zip(output_padding, stride, dilation):
        if op < 0 or (op >= s and op >= d):
            hw = ("height", "width") if nd == 2 else ("width",)
            parts = [f"output_padding_{n}: {v}" for n, v in zip(hw, output_padding)]
            parts += [f"stride_{n}: {v}" for n, v in zip(hw, stride)]
            parts += [f"dilation_{n}: {v}" for n, v in zip(hw, dilation)]
            raise RuntimeError(
                "output padding must be smaller than either stride or dilation, but got "
                + " ".join(parts)
            )
    batched = input.ndim == nd + 2
    x = input if batched else input.unsqueeze(0)
    Cin = weight.shape[0]
    if Cin % groups:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, "
            f"but got weight of size [{list(weight.shape)}] instead"
        )
    if x.shape[1] != Cin:
        raise RuntimeError(
            f"Given transposed=1, weight of size {list(weight.shape)}, expected input"
            f"{list(x.shape)} to have {Cin} channels, but got {x.shape[1]} channels instead"
        )
    Cout = weight.shape[1] * groups
    if bias is not None and tuple(bias.shape) != (Cout,):
        raise RuntimeError(
            f"Given transposed=1, weight of size {list(weight.shape)}, expected bias to be "
            f"1-dimensional with {Cout} elements, but got bias of size {list(bias.shape)} instead"
        )
    kernel = tuple(weight.shape[2:])
    w = weight
    if nd == 1:
        x = x.unsqueeze(2)
        w = weight.unsqueeze(2)
        kernel, stride, dilation = (1,) + kernel, (1,) + stride, (1,) + dilation
        padding, output_padding = (0,) + padding, (0,) + output_padding
    H, W = x.shape[2:]
    out_hw = [
        (n - 1) * s - 2 * p + d * (k - 1) + op + 1
        for n, s, p, d, k, op in zip((H, W), stride, padding, dilation, kernel, output_padding)
    ]
    if out_hw[0] < 1 or out_hw[1] < 1:
        shown = out_hw[1:] if nd == 1 else out_hw
        raise RuntimeError(
            f"Given input size per channel: ({' x '.join(map(str, x.shape[2 + (nd == 1):]))}). "
            f"Calculated output size per channel: ({' x '.join(map(str, shown))}). Output size "
            "is too small"
        )
    pads = (padding[0], padding[0], padding[1], padding[1])
    g = geometry(out_hw[0], out_hw[1], kernel, stride, dilation, pads, True, (H, W))
    out = ConvInput.apply(x, w, bias, g, groups, Cout)
    if nd == 1:
        out = out.squeeze(2)
    return out if batched else out.squeeze(0)


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1,
                     padding=0, output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """2-D transposed convolution, as ``torch.nn.functional.conv_transpose2d``: the gradient
    of ``conv2d`` with respect to its input (each input pixel scatters ``W`` into the output).

    Shape: input ``(N, C_in, H, W)`` or unbatched; weight ``(C_in, C_out/groups, kH, kW)``;
    output ``(N, C_out, oH, oW)`` with
    ``oH = (H - 1) sH - 2 pH + dH (kH - 1) + output_padding_H + 1``.
    """
    return _conv_transpose_nd(input, weight, bias, stride, padding, output_padding, groups,
                              dilation, 2)


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1,
                     padding=0, output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """1-D transposed convolution, as ``torch.nn.functional.conv_transpose1d``: input
    ``(N, C_in, L)``, weight ``(C_in, C_out/groups, k)``; runs as the 2-D one with height 1."""
    return _conv_transpose_nd(input, weight, bias, stride, padding, output_padding, groups,
                              dilation, 1)
