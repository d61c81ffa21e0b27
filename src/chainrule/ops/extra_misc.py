"""More top-level torch functions: the older linear-algebra spellings (``qr``, ``triangular_solve``,
``cholesky_solve``, ``cholesky_inverse``, ``matrix_exp``, ``frobenius_norm``,
``nuclear_norm``), the functions torch removed (``solve``, ``eig``, ``symeig``, ``lstsq``,
``matrix_rank``: they raise torch's message), tensor predicates and the ``*_copy`` variants.
"""

from __future__ import annotations

import math
import warnings
from collections import namedtuple

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Op
from ._common import to_tensor

__all__ = [
    "alias_copy",
    "as_strided",
    "cholesky_inverse",
    "cholesky_solve",
    "conj_physical",
    "detach_copy",
    "diagonal_copy",
    "eig",
    "empty_permuted",
    "expand_copy",
    "frobenius_norm",
    "is_conj",
    "is_inference",
    "is_neg",
    "is_same_size",
    "is_signed",
    "lstsq",
    "matrix_exp",
    "matrix_rank",
    "narrow_copy",
    "nuclear_norm",
    "permute_copy",
    "qr",
    "resolve_conj",
    "resolve_neg",
    "select_copy",
    "slice_copy",
    "solve",
    "split_copy",
    "split_with_sizes_copy",
    "squeeze_copy",
    "symeig",
    "t_copy",
    "transpose_copy",
    "triangular_solve",
    "unbind_copy",
    "unfold_copy",
    "unsqueeze_copy",
    "view_as_complex_copy",
    "view_as_real_copy",
    "view_copy",
]


def _named(name: str, fields: list[str]):
    cls = namedtuple(name, fields)
    cls.__module__ = "torch.return_types"
    cls.__repr__ = lambda self: (  # type: ignore[method-assign]
        f"torch.return_types.{name}(\n"
        + ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self)) + ")")
    return cls


qr_result = _named("qr", ["Q", "R"])
triangular_solve_result = _named("triangular_solve", ["solution", "cloned_coefficient"])

_warned: set = set()


def _warn_once(key: str, message: str) -> None:
    """torch's TORCH_WARN_ONCE: the deprecation note appears once per process."""
    if key not in _warned:
        _warned.add(key)
        warnings.warn(message, UserWarning, stacklevel=3)


# -- linear algebra spellings -------------------------------------------------------------------


def qr(input: Tensor, some: bool = True, *, out=None):
    """The deprecated ``torch.qr``: ``linalg.qr(input, 'reduced' if some else 'complete')``."""
    from .. import linalg

    _warn_once("qr", "torch.qr is deprecated in favor of torch.linalg.qr and will be removed "
               "in a future PyTorch release.\nThe boolean parameter 'some' has been replaced "
               "with a string parameter 'mode'.\nQ, R = torch.qr(A, some)\nshould be replaced "
               "with\nQ, R = torch.linalg.qr(A, 'reduced' if some else 'complete')")
    q, r = linalg.qr(input, "reduced" if some else "complete")
    return qr_result(q, r)


def triangular_solve(b: Tensor, A: Tensor, upper: bool = True, transpose: bool = False,
                     unitriangular: bool = False, *, out=None):
    """The deprecated ``torch.triangular_solve``: solves ``A X = b`` (``A^T X = b`` with
    ``transpose``) for triangular ``A``; returns (solution, a copy of A)."""
    from .. import linalg

    _warn_once("triangular_solve",
               "torch.triangular_solve is deprecated in favor of torch.linalg.solve_triangular"
               "and will be removed in a future PyTorch release.\ntorch.linalg.solve_triangular "
               "has its arguments reversed and does not return a copy of one of the inputs.\n"
               "X = torch.triangular_solve(B, A).solution\nshould be replaced with\n"
               "X = torch.linalg.solve_triangular(A, B).")
    coeff = A.transpose(-2, -1) if transpose else A
    x = linalg.solve_triangular(coeff, b, upper=upper != transpose,
                                unitriangular=unitriangular)
    return triangular_solve_result(x, A.clone())


class CholeskySolve(Op):
    formula = ("A = L L^T (U^T U with upper);  X = A^-1 B;  dB = A^-1 dX;  "
               "dL = -(dB X^T + X dB^T) L  (upper: -U (dB X^T + X dB^T))")

    @staticmethod
    def forward(ctx, b, factor, upper):
        ctx.upper = upper
        # torch reads only the factor's triangle
        lower = np.swapaxes(np.triu(factor), -1, -2) if upper else np.tril(factor)
        y = np.linalg.solve(lower, b)
        x = np.linalg.solve(np.swapaxes(lower, -1, -2), y)
        ctx.save_for_backward(factor, x)
        return x

    @staticmethod
    def backward(ctx, dx):
        factor, x = ctx.saved_tensors
        db = CholeskySolve.apply(dx, factor, ctx.upper)
        dfactor = None
        if ctx.needs_input_grad[1]:
            common = db.matmul(x.mT) + x.matmul(db.mT)
            dfactor = -(factor.matmul(common) if ctx.upper else common.matmul(factor))
        return db, dfactor, None


def cholesky_solve(B: Tensor, L: Tensor, upper: bool = False, *, out=None) -> Tensor:
    """Solves ``A X = B`` given the Cholesky factor of ``A`` (``A = L L^T``, or ``U^T U`` with
    ``upper``), by two triangular solves. The factor's gradient is torch's dense formula
    ``-(dB X^T + X dB^T) L``."""
    if out is not None:
        raise NotImplementedError("cholesky_solve(out=...) is not supported by chainrule")
    b, factor = to_tensor(B), to_tensor(L)
    if b.ndim < 2 or factor.ndim < 2:
        raise RuntimeError("b should have at least 2 dimensions, but has "
                           f"{b.ndim} dimensions instead" if b.ndim < 2 else
                           "u should have at least 2 dimensions, but has "
                           f"{factor.ndim} dimensions instead")
    if b._data.dtype != factor._data.dtype:
        raise RuntimeError(f"Expected b and A to have the same dtype, but found b of type "
                           f"{b.dtype} and A of type {factor.dtype} instead.")
    return CholeskySolve.apply(b, factor, bool(upper))


def cholesky_inverse(L: Tensor, upper: bool = False, *, out=None) -> Tensor:
    """``(L L^T)^-1`` (``(U^T U)^-1`` with ``upper``) from a Cholesky factor."""
    n = L.shape[-1]
    eye = Tensor._wrap(np.broadcast_to(np.eye(n, dtype=L._data.dtype), L.shape).copy())
    return cholesky_solve(eye, L, upper)


def matrix_exp(A: Tensor) -> Tensor:
    """The matrix exponential ``sum_k A^k / k!`` by scaling and squaring: ``A / 2^s`` has norm
    <= 1/2, an 18-term Taylor polynomial (Paterson-Stockmeyer form) approximates its
    exponential to double precision, then ``s`` squarings undo the scaling. Built from
    ``matmul``, so its gradient (and higher ones) follow."""
    x = to_tensor(A)
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise RuntimeError("linalg.matrix_exp: A must be batches of square matrices, but they "
                           f"are {x.shape[-2] if x.ndim >= 2 else 1} by {x.shape[-1]} matrices")
    if x._data.dtype.kind not in "fc":
        raise RuntimeError("linalg.matrix_exp: Expected a floating point or complex tensor as "
                           f"input. Got {x.dtype}")
    n = x.shape[-1]
    norm = float(np.abs(x._data).sum(-2).max()) if x._data.size else 0.0  # the 1-norm
    s = max(0, math.ceil(math.log2(norm)) + 1) if norm > 0 else 0
    scaled = x / float(2 ** s) if s else x
    eye = Tensor._wrap(np.broadcast_to(np.eye(n, dtype=x._data.dtype), x.shape).copy())
    terms = 18 if x._data.dtype == np.float64 else 10
    # Horner: I + A/1 (I + A/2 (I + A/3 (...)))
    result = eye
    for k in range(terms, 0, -1):
        result = eye + scaled.matmul(result) / float(k)
    for _ in range(s):
        result = result.matmul(result)
    return result


def frobenius_norm(input: Tensor, dim, keepdim: bool = False, *, out=None) -> Tensor:
    """The deprecated ``torch.frobenius_norm``: ``linalg.vector_norm(input, 2, dim, keepdim)``."""
    from .. import linalg

    _warn_once("frobenius_norm",
               "at::frobenius_norm is deprecated and it is just left for JIT compatibility. It "
               "will be removed in a future PyTorch release. Please use `linalg.vector_norm(A, "
               "2., dim, keepdim)` instead")
    return linalg.vector_norm(input, 2, dim, keepdim)


def nuclear_norm(input: Tensor, dim=None, keepdim: bool = False, *, out=None) -> Tensor:
    """The deprecated ``torch.nuclear_norm``: the sum of singular values."""
    from .. import linalg

    _warn_once("nuclear_norm",
               "at::nuclear_norm is deprecated and it is just left for JIT compatibility. It "
               "will be removed in a future PyTorch release. Please use `linalg.matrix_norm(A, "
               "'nuc', dim, keepdim)` instead")
    if isinstance(dim, bool):  # torch.nuclear_norm(A, keepdim) positional form
        dim, keepdim = None, dim
    return linalg.matrix_norm(input, "nuc", (-2, -1) if dim is None else tuple(dim), keepdim)


def _removed(name: str, replacement: str):
    def fn(*args, **kwargs):
        raise RuntimeError(f"This function was deprecated since version 1.9 and is now removed. "
                           f"Please use the `{replacement}` function instead.")

    fn.__name__ = name
    fn.__doc__ = f"Removed from torch (since 1.9): use ``{replacement}``; raises, as torch does."
    return fn


solve = _removed("solve", "torch.linalg.solve")
eig = _removed("eig", "torch.linalg.eig")
symeig = _removed("symeig", "torch.linalg.eigh")
lstsq = _removed("lstsq", "torch.linalg.lstsq")
matrix_rank = _removed("matrix_rank", "torch.linalg.matrix_rank")


# -- predicates, conjugation --------------------------------------------------------------------


def is_same_size(input: Tensor, other: Tensor) -> bool:
    return tuple(input.shape) == tuple(other.shape)


def is_signed(input: Tensor) -> bool:
    """True for every dtype but unsigned integers and bool."""
    return input._data.dtype.kind not in "ub"


def is_conj(input: Tensor) -> bool:
    """chainrule never has lazy conjugate views: always False."""
    return False


def is_neg(input: Tensor) -> bool:
    """chainrule never has lazy negative views: always False."""
    return False


def is_inference(input: Tensor) -> bool:
    """True for tensors made under ``inference_mode`` (chainrule marks them when it can)."""
    return bool(getattr(input, "_inference", False))


def resolve_conj(input: Tensor) -> Tensor:
    return input


def resolve_neg(input: Tensor) -> Tensor:
    return input


def conj_physical(input: Tensor, *, out=None) -> Tensor:
    """The complex conjugate (the input itself for real tensors)."""
    if input._data.dtype.kind != "c":
        return input
    if input._rg:
        raise NotImplementedError("chainrule: gradients through conj_physical are not supported")
    return Tensor._wrap(np.conj(input._data))


def empty_permuted(size, physical_layout, *, dtype=None, layout=None, device=None,
                   requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """An uninitialized tensor of ``size`` whose memory is laid out in ``physical_layout``
    order (dims listed from outermost to innermost)."""
    from .._creation import empty

    size = tuple(int(s) for s in size)
    order = tuple(int(d) for d in physical_layout)
    if sorted(order) != list(range(len(size))):
        raise RuntimeError(f"Dimension out of range or repeated in physical_layout {order}")
    phys = empty(*[size[d] for d in order], dtype=dtype, device=device)
    out = phys.permute(*np.argsort(order).tolist())
    return out.requires_grad_(requires_grad) if requires_grad else out


# -- *_copy variants: the view op, then a copy --------------------------------------------------


def _copy_of(method: str):
    def fn(input: Tensor, *args, out=None, **kwargs):
        if out is not None:
            raise NotImplementedError(f"{method}_copy(out=...) is not supported by chainrule")
        result = getattr(input, method)(*args, **kwargs)
        if isinstance(result, (tuple, list)):
            return tuple(r.clone() for r in result)
        return result.clone()

    fn.__name__ = f"{method}_copy"
    fn.__doc__ = f"``input.{method}(...)`` as a new tensor (not a view)."
    return fn


def _alias(input: Tensor) -> Tensor:
    return input.view(input.shape)


alias_copy = lambda input, *, out=None: _alias(input).clone()  # noqa: E731
detach_copy = _copy_of("detach")
diagonal_copy = _copy_of("diagonal")
expand_copy = _copy_of("expand")
permute_copy = _copy_of("permute")
select_copy = _copy_of("select")
split_copy = _copy_of("split")
split_with_sizes_copy = _copy_of("split")
squeeze_copy = _copy_of("squeeze")
t_copy = _copy_of("t")
transpose_copy = _copy_of("transpose")
unbind_copy = _copy_of("unbind")
unfold_copy = _copy_of("unfold")
unsqueeze_copy = _copy_of("unsqueeze")
view_copy = _copy_of("view")
narrow_copy = _copy_of("narrow")


def slice_copy(input: Tensor, dim: int = 0, start=None, end=None, step: int = 1, *,
               out=None) -> Tensor:
    """``input[..., start:end:step]`` along ``dim``, as a new tensor."""
    from ._common import norm_dim

    d = norm_dim(dim, input.ndim)
    return input[(slice(None),) * d + (slice(start, end, step),)].clone()


def view_as_real_copy(input: Tensor, *, out=None) -> Tensor:
    from .. import view_as_real

    return view_as_real(input).clone()


def view_as_complex_copy(input: Tensor, *, out=None) -> Tensor:
    from .extra_shape import view_as_complex

    return view_as_complex(input).clone()


def as_strided(input: Tensor, size, stride, storage_offset: int | None = None) -> Tensor:
    """A tensor of ``size`` reading the input's elements at ``offset + sum_k i_k stride[k]``.

    chainrule reads positions in the input's row-major order, which is its storage when the
    input is contiguous and owns its data (a view of another tensor raises
    NotImplementedError, as its storage is the base's). Overlapping windows are fine: the
    result is a gather, so the gradient adds up where windows overlap, as in torch.
    """
    x = to_tensor(input)
    if x._base is not None or not x._data.flags.c_contiguous:
        raise NotImplementedError("chainrule: as_strided supports contiguous tensors that are "
                                  "not views of another tensor (call .contiguous() / .clone())")
    size = tuple(int(s) for s in size)
    stride = tuple(int(s) for s in stride)
    if len(size) != len(stride):
        raise RuntimeError(f"mismatch in length of strides and shape (got {len(stride)} strides "
                           f"for {len(size)} dims)")
    offset = 0 if storage_offset is None else int(storage_offset)
    flat_index = np.full(size, offset, dtype=np.int64)
    for k, (n, st) in enumerate(zip(size, stride)):
        shape = [1] * len(size)
        shape[k] = n
        flat_index = flat_index + (np.arange(n, dtype=np.int64) * st).reshape(shape)
    numel = x._data.size
    if flat_index.size and (flat_index.max() >= numel or flat_index.min() < 0):
        raise RuntimeError(f"setStorage: sizes {list(size)}, strides {list(stride)}, storage "
                           f"offset {offset} require a storage larger than the input's {numel} "
                           "elements")
    return x.reshape(-1)[Tensor._wrap(flat_index)]
