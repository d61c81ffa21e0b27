"""``torch.linalg``: norms, inverses, solves and decompositions of (batches of) matrices.

Differentiable as torch is for ``inv``, ``det``, ``slogdet``, ``solve``, ``cholesky``,
``eigh``/``eigvalsh``, ``svdvals``, ``pinv`` and the norms; ``svd`` differentiates through its
singular values only, and ``qr`` has no backward (both raise NotImplementedError naming it).
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from .._tensor import Tensor
from ..ops._common import to_tensor
from ._norms import matrix_norm, norm, vector_norm
from ._ops import (
    Cholesky,
    Det,
    Eigh,
    EigvalsH,
    Inv,
    LinAlgError,
    Pinv,
    Qr,
    SlogDet,
    Solve,
    Svd,
    SvdVals,
)

__all__ = [
    "LinAlgError",
    "cholesky",
    "cholesky_ex",
    "cond",
    "cross",
    "det",
    "diagonal",
    "eig",
    "eigh",
    "eigvals",
    "eigvalsh",
    "inv",
    "inv_ex",
    "lstsq",
    "matmul",
    "matrix_norm",
    "matrix_power",
    "matrix_rank",
    "multi_dot",
    "norm",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "solve_ex",
    "solve_triangular",
    "svd",
    "svdvals",
    "tensorinv",
    "vecdot",
    "vector_norm",
]

_SlogDet = namedtuple("slogdet", ["sign", "logabsdet"])
_Eigh = namedtuple("eigh", ["eigenvalues", "eigenvectors"])
_Svd = namedtuple("svd", ["U", "S", "Vh"])
_Qr = namedtuple("qr", ["Q", "R"])
_InvEx = namedtuple("inv_ex", ["inverse", "info"])
_CholEx = namedtuple("cholesky_ex", ["L", "info"])
_SolveEx = namedtuple("solve_ex", ["result", "info"])
_Lstsq = namedtuple("lstsq", ["solution", "residuals", "rank", "singular_values"])

_TYPE_NAMES = {"i": "Long", "u": "Byte", "b": "Bool"}


def _square(name: str, a) -> Tensor:
    a = to_tensor(a)
    if a._data.dtype.kind not in "fc":
        kind = "Int" if a._data.dtype == np.int32 else _TYPE_NAMES.get(a._data.dtype.kind, "")
        raise RuntimeError(
            f"linalg.{name}: Expected a floating point or complex tensor as input. Got {kind}"
        )
    if a.ndim < 2:
        raise RuntimeError(
            f"linalg.{name}: The input tensor A must have at least 2 dimensions."
        )
    if a.shape[-1] != a.shape[-2]:
        raise RuntimeError(
            f"linalg.{name}: A must be batches of square matrices, but they are "
            f"{a.shape[-2]} by {a.shape[-1]} matrices"
        )
    return a


def _matrix(name: str, a) -> Tensor:
    a = to_tensor(a)
    if a._data.dtype.kind not in "fc":
        raise RuntimeError(
            f"linalg.{name}: Expected a floating point or complex tensor as input. Got "
            f"{_TYPE_NAMES.get(a._data.dtype.kind, a.dtype)}"
        )
    if a.ndim < 2:
        raise RuntimeError(f"linalg.{name}: The input tensor A must have at least 2 dimensions.")
    return a


def inv(A: Tensor, *, out=None) -> Tensor:
    """A^-1 for (a batch of) invertible square matrices; LinAlgError if singular."""
    return Inv.apply(_square("inv", A))


def inv_ex(A: Tensor, *, check_errors: bool = False, out=None):
    return _InvEx(inv(A), _zeros_info(A))


def _zeros_info(a) -> Tensor:
    return Tensor._wrap(np.zeros(tuple(a.shape[:-2]), dtype=np.int32))


def det(A: Tensor, *, out=None) -> Tensor:
    """det(A) over the last two dims; d det/dA = det(A) A^-T."""
    return Det.apply(_square("det", A))


def slogdet(A: Tensor, *, out=None):
    """(sign, log|det A|): stable for determinants that would under/overflow."""
    sign, logabs = SlogDet.apply(_square("slogdet", A))
    return _SlogDet(sign, logabs)


def solve(A: Tensor, B: Tensor, *, left: bool = True, out=None) -> Tensor:
    """X with A X = B (``left=False``: X A = B). B may be a vector or a batch of matrices."""
    A = _square("solve", A)
    B = to_tensor(B)
    if not left:
        return solve(A.transpose(-2, -1), B.transpose(-2, -1)).transpose(-2, -1)
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1]))
    if vector:
        return Solve.apply(A, B.unsqueeze(-1)).squeeze(-1)
    batch = np.broadcast_shapes(tuple(A.shape[:-2]), tuple(B.shape[:-2]))
    if tuple(A.shape[:-2]) != batch:
        A = A.expand(*batch, *A.shape[-2:])
    if tuple(B.shape[:-2]) != batch:
        B = B.expand(*batch, *B.shape[-2:])
    return Solve.apply(A, B)


def solve_ex(A: Tensor, B: Tensor, *, left: bool = True, check_errors: bool = False, out=None):
    return _SolveEx(solve(A, B, left=left), _zeros_info(A))


def solve_triangular(A: Tensor, B: Tensor, *, upper: bool, left: bool = True,
                     unitriangular: bool = False, out=None) -> Tensor:
    """Solves with the upper or lower triangle of A (the other triangle is ignored)."""
    A = _square("solve_triangular", A)
    tri = A.triu() if upper else A.tril()
    if unitriangular:
        n = A.shape[-1]
        eye = Tensor._wrap(np.eye(n, dtype=A._data.dtype))
        tri = tri - tri * eye + eye
    return solve(tri, B, left=left)


def cholesky(A: Tensor, *, upper: bool = False, out=None) -> Tensor:
    """Lower-triangular L with A = L L^T (A symmetric positive-definite)."""
    low = Cholesky.apply(_square("cholesky", A))
    return low.transpose(-2, -1) if upper else low


def cholesky_ex(A: Tensor, *, upper: bool = False, check_errors: bool = False, out=None):
    return _CholEx(cholesky(A, upper=upper), _zeros_info(A))


def eigh(A: Tensor, UPLO: str = "L", *, out=None):
    """Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix."""
    w, v = Eigh.apply(_square("eigh", A), UPLO)
    return _Eigh(w, v)


def eigvalsh(A: Tensor, UPLO: str = "L", *, out=None) -> Tensor:
    return EigvalsH.apply(_square("eigvalsh", A), UPLO)


def svd(A: Tensor, full_matrices: bool = True, *, driver=None, out=None):
    """A = U diag(S) Vh; backward only through S (see module docstring)."""
    u, s, vh = Svd.apply(_matrix("svd", A), full_matrices)
    return _Svd(u, s, vh)


def svdvals(A: Tensor, *, driver=None, out=None) -> Tensor:
    """Singular values, descending; d s_i / dA = u_i v_i^T."""
    return SvdVals.apply(_matrix("svdvals", A))


def qr(A: Tensor, mode: str = "reduced", *, out=None):
    """A = Q R with orthonormal Q and upper-triangular R (no backward in chainrule)."""
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of "
                           "'reduced' (default), 'r', or 'complete'")
    q, r = Qr.apply(_matrix("qr", A), "complete" if mode == "complete" else "reduced")
    if mode == "r":
        q = Tensor._wrap(np.zeros((0,), dtype=q._data.dtype))
    return _Qr(q, r)


def pinv(A: Tensor, *, atol=None, rtol=None, hermitian: bool = False, out=None) -> Tensor:
    """Moore-Penrose pseudo-inverse (via SVD; singular values below rtol*max are dropped)."""
    A = _matrix("pinv", A)
    if atol is not None:
        raise NotImplementedError("chainrule: linalg.pinv(atol=...) is not supported; use rtol")
    if rtol is None:
        rtol = max(A.shape[-2:]) * float(np.finfo(A._data.dtype).eps)
    return Pinv.apply(A, float(rtol), hermitian)


def matrix_rank(A: Tensor, *, atol=None, rtol=None, hermitian: bool = False, tol=None,
                out=None) -> Tensor:
    """The number of singular values above the tolerance (int64, not differentiable)."""
    A = _matrix("matrix_rank", A)
    s = np.linalg.svd(A._data, compute_uv=False)
    smax = s.max(axis=-1, keepdims=True) if s.shape[-1] else np.zeros(s.shape[:-1] + (1,))
    if tol is not None:
        threshold = np.full_like(smax, float(tol))
    else:
        if rtol is None:
            rtol = 0.0 if atol is not None and atol > 0 else (
                max(A.shape[-2:]) * float(np.finfo(A._data.dtype).eps))
        threshold = np.maximum(float(atol or 0.0), float(rtol) * smax)
    return Tensor._wrap((s > threshold).sum(axis=-1).astype(np.int64))


def matrix_power(A: Tensor, n: int) -> Tensor:
    """A^n by repeated squaring (n < 0 uses the inverse; n = 0 gives the identity)."""
    A = _square("matrix_power", A)
    if n == 0:
        eye = np.broadcast_to(np.eye(A.shape[-1], dtype=A._data.dtype), tuple(A.shape)).copy()
        return Tensor._wrap(eye)
    base = inv(A) if n < 0 else A
    n = abs(n)
    result = None
    while n:
        if n & 1:
            result = base if result is None else result @ base
        n >>= 1
        if n:
            base = base @ base
    return result


def multi_dot(tensors, *, out=None) -> Tensor:
    """A @ B @ C ... (first/last may be vectors)."""
    if len(tensors) < 2:
        raise RuntimeError("multi_dot(): expected at least 2 tensors but got "
                           f"{len(tensors)}")
    result = tensors[0]
    for t in tensors[1:]:
        result = result @ t
    return result


def cross(input: Tensor, other: Tensor, *, dim: int = -1, out=None) -> Tensor:
    from .. import ops

    return ops.cross(input, other, dim=dim)


def vecdot(x: Tensor, y: Tensor, *, dim: int = -1, out=None) -> Tensor:
    return (x * y).sum(dim)


def diagonal(A: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    return A.diagonal(offset, dim1, dim2)


def matmul(input: Tensor, other: Tensor, *, out=None) -> Tensor:
    return input @ other


def lstsq(A: Tensor, B: Tensor, rcond=None, *, driver=None):
    """Least-squares solution X = A^+ B (differentiable through ``pinv``)."""
    A = _matrix("lstsq", A)
    B = to_tensor(B)
    vector = B.ndim == A.ndim - 1
    solution = pinv(A) @ (B.unsqueeze(-1) if vector else B)
    if vector:
        solution = solution.squeeze(-1)
    empty = Tensor._wrap(np.zeros((0,), dtype=A._data.dtype))
    rank = matrix_rank(A)
    return _Lstsq(solution, empty, rank, empty)


def cond(A: Tensor, p=None, *, out=None) -> Tensor:
    """Condition number: s_max / s_min for p in (None, 2); else norm(A, p) * norm(A^-1, p)."""
    if p in (None, 2):
        s = svdvals(A)
        return s[..., 0] / s[..., -1]
    if p == -2:
        s = svdvals(A)
        return s[..., -1] / s[..., 0]
    return matrix_norm(A, p) * matrix_norm(inv(A), p)


def tensorinv(A: Tensor, ind: int = 2, *, out=None) -> Tensor:
    shape = tuple(A.shape)
    rows = int(np.prod(shape[:ind]))
    return inv(A.reshape(rows, -1)).reshape(*shape[ind:], *shape[:ind])


def eig(A: Tensor, *, out=None):
    raise NotImplementedError(
        "chainrule: torch.linalg.eig (complex eigen-decomposition of general matrices) is not "
        "implemented; use linalg.eigh for symmetric matrices"
    )


def eigvals(A: Tensor, *, out=None):
    raise NotImplementedError(
        "chainrule: torch.linalg.eigvals is not implemented; use linalg.eigvalsh for "
        "symmetric matrices"
    )
