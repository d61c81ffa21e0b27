"""Matrix products: matmul (all of torch's 1-D/batched/broadcast cases), mm, bmm, addmm, dot,
outer, einsum, and the fused ``linear`` used by ``nn.Linear``.
"""

from __future__ import annotations

import builtins as _builtins

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Op
from ._common import promote

__all__ = ["matmul", "mm", "bmm", "addmm", "dot", "vdot", "outer", "ger", "einsum", "linear",
           "mv", "baddbmm", "addmv", "inner", "tensordot", "kron", "cross", "addbmm"]


def _shapes_error(x, y) -> RuntimeError:
    xs = "x".join(map(str, np.shape(x)))
    ys = "x".join(map(str, np.shape(y)))
    return RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({xs} and {ys})")


class MatMul(Op):
    """Product of (batched) matrices, ndim >= 2 on both sides; batch dims broadcast."""

    backward_name = "MmBackward0"
    formula = "Z = X @ Y;  dX = dZ @ Y^T;  dY = X^T @ dZ"

    @staticmethod
    def forward(ctx, x, y):
        needs = ctx.needs_input_grad
        if needs:
            ctx.save_for_backward(y if needs[0] else None, x if needs[1] else None)
        try:
            return np.matmul(x, y)
        except ValueError:
            raise _shapes_error(x, y) from None

    @staticmethod
    def backward(ctx, dz):
        y, x = ctx.saved_tensors
        dx = dz @ y.mT if y is not None else None
        dy = x.mT @ dz if x is not None else None
        return dx, dy

    @staticmethod
    def backward_arrays(ctx, dz):
        y, x = ctx.saved_arrays
        dx = dz @ y.swapaxes(-1, -2) if y is not None else None
        dy = x.swapaxes(-1, -2) @ dz if x is not None else None
        return dx, dy



class BMM(MatMul):
    backward_name = "BmmBackward0"


class Dot(Op):
    formula = "z = sum_i x_i y_i;  dx = dz * y;  dy = dz * x"

    @staticmethod
    def forward(ctx, x, y):
        if x.shape != y.shape:
            raise RuntimeError(
                f"inconsistent tensor size, expected tensor [{x.shape[0]}] and src "
                f"[{y.shape[0]}] to have the same "
                f"number of elements, but got {x.shape[0]} and {y.shape[0]} elements respectively"
            )
        ctx.save_for_backward(x, y)
        return np.asarray(np.dot(x, y))

    @staticmethod
    def backward(ctx, dz):
        x, y = ctx.saved_tensors
        return dz * y, dz * x


class Linear(Op):
    """``y = x W^T + b`` in one matrix product; batch dims of ``x`` are flattened."""

    backward_name = "AddmmBackward0"
    formula = "y = x W^T + b;  dx = dy W;  dW = dy^T x;  db = sum_batch dy"

    @staticmethod
    def forward(ctx, x, w, b):
        ctx.save_for_backward(x, w)
        try:
            y = x @ w.T
        except ValueError:
            raise _shapes_error(x.reshape(-1, x.shape[-1]) if x.ndim else x, w.T) from None
        if b is not None:
            y += b
        return y

    @staticmethod
    def backward(ctx, dy):
        x, w = ctx.saved_tensors
        needs = ctx.needs_input_grad
        dx = dy @ w if needs[0] else None
        dw = db = None
        if needs[1] or (len(needs) > 2 and needs[2]):
            dy2 = dy.reshape(-1, dy.shape[-1]) if dy.ndim != 2 else dy
            if needs[1]:
                x2 = x.reshape(-1, x.shape[-1]) if x.ndim != 2 else x
                dw = dy2.mT @ x2 if x.ndim >= 1 and x.ndim != 1 else dy.unsqueeze(-1) * x
            if needs[2]:
                db = dy2.sum(0)
        return dx, dw, db

    @staticmethod
    def backward_arrays(ctx, dy):
        x, w = ctx.saved_arrays
        needs = ctx.needs_input_grad
        dx = dy @ w if needs[0] else None
        dw = db = None
        dy2 = dy.reshape(-1, dy.shape[-1]) if dy.ndim != 2 else dy
        if needs[1]:
            x2 = x.reshape(-1, x.shape[-1]) if x.ndim != 2 else x
            dw = dy2.T @ x2
        if len(needs) > 2 and needs[2]:
            db = np.add.reduce(dy2, 0)  # dy2.sum(0) without ndarray.sum's Python wrapper
        return dx, dw, db



class LinearNoBias(Linear):
    backward_name = "MmBackward0"

    @staticmethod
    def forward(ctx, x, w, b):
        return Linear.forward(ctx, x, w, None)


# torch's node names for other input ranks (its kernel reshapes around addmm / mm)
class LinearView(Linear):
    backward_name = "ViewBackward0"


class LinearNoBiasView(LinearNoBias):
    backward_name = "UnsafeViewBackward0"


class LinearNoBiasVector(LinearNoBias):
    backward_name = "SqueezeBackward4"


class Einsum(Op):
    formula = ("y = einsum(spec, x1, x2, ...);  dx_i = einsum(out, x_j (j != i) -> subscripts "
               "of x_i)   (repeated subscripts of x_i get identity factors, subscripts only x_i "
               "has get ones)")

    @staticmethod
    def forward(ctx, spec, *xs):
        ctx.spec = spec
        ctx.save_for_backward(*xs)
        return np.asarray(np.einsum(spec, *xs, optimize=_optimize(xs)))

    @staticmethod
    def backward(ctx, dy):
        xs = ctx.saved_tensors
        ins, out = ctx.spec.split("->")
        subs = ins.split(",")
        grads: list = [None]
        for i, (sub, x) in enumerate(zip(subs, xs)):
            if not ctx.needs_input_grad[i + 1]:
                grads.append(None)
                continue
            grads.append(_einsum_grad(dy, out, sub, x.shape, [
                (s, t) for j, (s, t) in enumerate(zip(subs, xs)) if j != i]))
        return tuple(grads)


def _optimize(xs) -> bool:
    # a contraction path (BLAS through tensordot) pays off for 3+ operands or big ones
    return len(xs) > 2 or sum(x.size for x in xs) > 4096


def _einsum_grad(dy: Tensor, out: str, sub: str, shape, others) -> Tensor:
    """The gradient of one einsum operand with subscripts ``sub`` (explicit letters only)."""
    used = set(out) | set(sub) | {c for s, _ in others for c in s}
    fresh = iter(c for c in _LETTERS if c not in used)
    dtype = dy._data.dtype
    target, extra_subs, extra_ops = [], [], []
    first: dict = {}
    for k, c in enumerate(sub):
        if c in first:  # a repeated subscript (a diagonal): a new letter tied by an identity
            new = next(fresh)
            target.append(new)
            extra_subs.append(c + new)
            extra_ops.append(Tensor._wrap(np.eye(shape[k], dtype=dtype)))
        else:
            first[c] = k
            target.append(c)
    available = set(out) | {c for s, _ in others for c in s}
    for c, k in first.items():
        if c not in available:  # summed in this operand alone: the gradient is constant in c
            extra_subs.append(c)
            extra_ops.append(Tensor._wrap(np.ones(shape[k], dtype=dtype)))
    lhs = ",".join([out] + [s for s, _ in others] + extra_subs)
    return Einsum.apply(f"{lhs}->{''.join(target)}", dy, *[t for _, t in others], *extra_ops)


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _matmul_core(a: Tensor, b: Tensor) -> Tensor:
    return MatMul.apply(a, b)


def matmul(input: Tensor, other: Tensor, *, out=None) -> Tensor:
    """torch.matmul: dot (1-D, 1-D), matrix-vector, vector-matrix, and batched matrix products
    with broadcast batch dims."""
    a, b, _ = promote(input, other)
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and "
            f"{b.ndim}D"
        )
    if a.ndim == 1 and b.ndim == 1:
        result = Dot.apply(a, b)
    elif a.ndim == 1:
        if a.shape[0] != b.shape[-2]:
            raise _shapes_error((1, a.shape[0]), b.shape[-2:])
        result = _matmul_core(a.unsqueeze(0), b).squeeze(-2)
    elif b.ndim == 1:
        if b.shape[0] != a.shape[-1]:
            raise RuntimeError(
                f"size mismatch, got input ({a.shape[-2]}), mat ({a.shape[-2]}x{a.shape[-1]}), "
                f"vec ({b.shape[0]})"
            )
        result = _matmul_core(a, b.unsqueeze(-1)).squeeze(-1)
    else:
        result = _matmul_core(a, b)
    if out is not None:
        out.copy_(result)
        return out
    return result


def mm(input: Tensor, mat2: Tensor, *, out=None) -> Tensor:
    """Matrix product of two 2-D tensors: (n, m) x (m, p) -> (n, p)."""
    if input.ndim != 2 or mat2.ndim != 2:
        raise RuntimeError(
            f"self must be a matrix (got {input.ndim}-D and {mat2.ndim}-D operands)"
        )
    return matmul(input, mat2, out=out)


def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    """Batched matrix product: (b, n, m) x (b, m, p) -> (b, n, p) (no broadcasting)."""
    if input.ndim != 3 or mat2.ndim != 3:
        raise RuntimeError(
            f"batch1 must be a 3D tensor (got {input.ndim}-D and {mat2.ndim}-D operands)"
        )
    if input.shape[0] != mat2.shape[0]:
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{input.shape[0]}, {input.shape[2]}] but got: [{mat2.shape[0]}, {mat2.shape[1]}]."
        )
    a, b, _ = promote(input, mat2)
    return BMM.apply(a, b)


def _scale(t: Tensor, factor, ref: Tensor) -> Tensor:
    if factor == 1:
        return t
    if isinstance(factor, float) and ref._data.dtype.kind in "iub":
        factor = int(factor)  # torch truncates scalars for integral products
    return t * factor


def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """``beta * input + alpha * (mat1 @ mat2)``; ``input`` broadcasts to the product."""
    return _scale(input, beta, mat1) + _scale(mm(mat1, mat2), alpha, mat1)


def addmv(input: Tensor, mat: Tensor, vec: Tensor, *, beta=1, alpha=1) -> Tensor:
    """``beta * input + alpha * (mat @ vec)``."""
    return _scale(input, beta, mat) + _scale(mv(mat, vec), alpha, mat)


def baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """``beta * input + alpha * bmm(batch1, batch2)``."""
    return _scale(input, beta, batch1) + _scale(bmm(batch1, batch2), alpha, batch1)


def addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """``beta * input + alpha * sum_b batch1[b] @ batch2[b]``."""
    return _scale(input, beta, batch1) + _scale(bmm(batch1, batch2).sum(0), alpha, batch1)


def mv(input: Tensor, vec: Tensor) -> Tensor:
    """Matrix-vector product: (n, m) x (m,) -> (n,)."""
    if input.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(
            f"vector + matrix @ vector expected, got {input.ndim}, {vec.ndim}"
        )
    return matmul(input, vec)


def dot(input: Tensor, other: Tensor) -> Tensor:
    """``sum_i x_i y_i`` of two 1-D tensors of one dtype."""
    if input.ndim != 1 or other.ndim != 1:
        raise RuntimeError(
            f"1D tensors expected, but got {input.ndim}D and {other.ndim}D tensors"
        )
    if input._data.dtype != other._data.dtype:
        raise RuntimeError(
            f"dot : expected both vectors to have same dtype, but found {input.dtype} and "
            f"{other.dtype}"
        )
    return Dot.apply(input, other)


vdot = dot


def inner(input: Tensor, other: Tensor) -> Tensor:
    """Sum over the last dims: shape ``input.shape[:-1] + other.shape[:-1]`` (a product with
    a 0-d operand is elementwise)."""
    if input.ndim == 0 or other.ndim == 0:
        return input * other
    if input.ndim == 1 and other.ndim == 1:
        return dot(input, other)
    if input.shape[-1] != other.shape[-1]:
        raise RuntimeError(
            f"inner() the last dimension must match on both input tensors but got shapes "
            f"{list(input.shape)} and {list(other.shape)}"
        )
    a = input.reshape(-1, input.shape[-1])
    b = other.reshape(-1, other.shape[-1])
    return matmul(a, b.t()).reshape(tuple(input.shape[:-1]) + tuple(other.shape[:-1]))


def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """``out[i, j] = x[i] * y[j]``: (n,) x (m,) -> (n, m)."""
    return input.reshape(-1, 1) * vec2.reshape(1, -1)


ger = outer


def einsum(equation: str, *operands) -> Tensor:
    """Einstein summation, e.g. ``einsum('bij,bjk->bik', a, b)``.

    Implicit output (no ``->``: the subscripts that appear once, sorted, after any ``...``),
    ellipses and size-1 broadcasting follow torch. The op itself sees explicit letters only.
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    spec = equation.replace(" ", "")
    lhs, arrow, rhs = spec.partition("->")
    subs = lhs.split(",")
    ops = list(operands)
    if len(subs) != len(ops):
        raise RuntimeError(
            "einsum(): more operands were provided than specified in the equation"
            if len(ops) > len(subs) else
            "einsum(): fewer operands were provided than specified in the equation"
        )
    if any(o._data.dtype != ops[0]._data.dtype for o in ops):
        target = np.result_type(*(o._data.dtype for o in ops))
        ops = [o if o._data.dtype == target else o.to(_dt(target)) for o in ops]
    # expand each '...' into explicit letters, right-aligned as broadcasting aligns dims
    letters = set(spec) - set(".,->")
    fresh = [c for c in _LETTERS if c not in letters]
    n_ell = 0
    for sub, o in zip(subs, ops):
        if "..." in sub:
            n_ell = _builtins.max(n_ell, o.ndim - (len(sub) - 3))
    ell = "".join(fresh[:n_ell])
    explicit = []
    for sub, o in zip(subs, ops):
        if "..." in sub:
            k = o.ndim - (len(sub) - 3)
            sub = sub.replace("...", ell[n_ell - k:] if k else "")
        if len(sub) != o.ndim:
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({len(sub)}) does not match "
                f"the number of dimensions ({o.ndim}) for operand {len(explicit)}"
                f"{'' if '...' in spec else ' and no ellipsis was given'}"
            )
        explicit.append(sub)
    if arrow:
        out = rhs.replace("...", ell)
    else:
        counts: dict = {}
        for c in "".join(explicit):
            counts[c] = counts.get(c, 0) + 1
        out = ell + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in ell))
    # size-1 dims broadcast against the same letter elsewhere (torch semantics)
    sizes: dict = {}
    for sub, o in zip(explicit, ops):
        for c, n in zip(sub, o.shape):
            if n != 1 and sizes.get(c, 1) not in (1, n):
                raise RuntimeError(
                    f"einsum(): operands do not broadcast with remapped shapes (subscript '{c}' "
                    f"has sizes {sizes[c]} and {n}; equation '{equation}', operand shapes "
                    f"{[list(o.shape) for o in ops]})"
                )
            if n != 1 or c not in sizes:
                sizes[c] = n
    for k, (sub, o) in enumerate(zip(explicit, ops)):
        target = tuple(sizes[c] for c in sub)
        if target != tuple(o.shape):
            ops[k] = o.expand(target)
    return Einsum.apply(f"{','.join(explicit)}->{out}", *ops)


def _dt(np_dtype):
    from .._dtypes import from_numpy_dtype  # noqa: PLC0415

    return from_numpy_dtype(np.dtype(np_dtype))


def _scalar_word(np_dtype) -> str:
    """torch's scalar-type word in messages: Float, Double, Long ..."""
    return {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
            "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "bool": "Bool"}.get(np.dtype(np_dtype).name, str(np_dtype))


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``y = x W^T + b`` as one fused node (``torch.nn.functional.linear``).

    Shapes: input ``(*, in)``, weight ``(out, in)``, bias ``(out,)`` -> output ``(*, out)``.
    Gradients: ``dx = dy W``, ``dW = dy^T x``, ``db = sum over batch of dy``.
    """
    x, w = input._data, weight._data
    if x.dtype != w.dtype:
        raise RuntimeError(
            f"mat1 and mat2 must have the same dtype, but got {_scalar_word(x.dtype)} and "
            f"{_scalar_word(w.dtype)}"
        )
    if not x.ndim or x.shape[-1] != w.shape[-1]:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied "
            f"({'x'.join(map(str, (int(np.prod(input.shape[:-1])), input.shape[-1])))} and "
            f"{weight.shape[1]}x{weight.shape[0]})"
        )
    if bias is None:
        op = LinearNoBias if x.ndim == 2 else LinearNoBiasVector if x.ndim == 1 else \
            LinearNoBiasView
        return op.apply(input, weight, None)
    return (Linear if x.ndim == 2 else LinearView).apply(input, weight, bias)


def tensordot(a: Tensor, b: Tensor, dims=2) -> Tensor:
    """Contracts ``dims`` (a count of trailing/leading dims, or two lists) of ``a`` and ``b``."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    if isinstance(dims, int):
        da = list(range(a.ndim - dims, a.ndim))
        db = list(range(dims))
    else:
        da, db = [list(d) if not isinstance(d, int) else [d] for d in dims]
    sa = list(letters[: a.ndim])
    sb = list(letters[a.ndim: a.ndim + b.ndim])
    for i, j in zip(da, db):
        sb[j] = sa[i]
    out = [c for k, c in enumerate(sa) if k not in da] + [c for k, c in enumerate(sb)
                                                          if k not in db]
    return einsum(f"{''.join(sa)},{''.join(sb)}->{''.join(out)}", a, b)


def kron(input: Tensor, other: Tensor) -> Tensor:
    """The Kronecker product of two 1-D or 2-D tensors."""
    a = input.reshape(input.shape[0], 1, input.shape[1], 1) if input.ndim == 2 else None
    if a is None:
        return (input.reshape(-1, 1) * other.reshape(1, -1)).reshape(-1)
    b = other.reshape(1, other.shape[0], 1, other.shape[1])
    return (a * b).reshape(input.shape[0] * other.shape[0], input.shape[1] * other.shape[1])


def cross(input: Tensor, other: Tensor, dim: int = -1) -> Tensor:
    """The 3-D cross product along ``dim`` (which must have size 3)."""
    a0, a1, a2 = input.unbind(dim)
    b0, b1, b2 = other.unbind(dim)
    from .rearrange import stack  # noqa: PLC0415

    return stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], dim)
