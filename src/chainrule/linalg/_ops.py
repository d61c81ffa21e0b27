"""Differentiable matrix primitives on batches of matrices (``(..., n, n)``).

Each op computes with ``numpy.linalg`` (batched, in the input's dtype) and writes its
backward with chainrule ops, so second derivatives work where the formula allows. Notation:
``A^-T`` is the inverse transposed; ``g`` prefixes the upstream gradient of an output.
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Op

__all__ = [
    "Cholesky",
    "Det",
    "Eigh",
    "EigvalsH",
    "Inv",
    "LinAlgError",
    "Pinv",
    "Qr",
    "SlogDet",
    "Solve",
    "Svd",
    "SvdVals",
]


class LinAlgError(RuntimeError):
    """A singular or non-positive-definite input (torch.linalg.LinAlgError)."""


def _mT(t):
    return t.transpose(-2, -1)


def _singular(name: str, err: Exception):
    raise LinAlgError(
        f"linalg.{name}: The diagonal element is zero, the {name} could not be completed "
        f"because the input matrix is singular. ({err})"
    ) from None


class Inv(Op):
    backward_name = "LinalgInvExBackward0"
    formula = "Y = A^-1;  gA = -Y^T gY Y^T"

    @staticmethod
    def forward(ctx, a):
        try:
            y = np.linalg.inv(a)
        except np.linalg.LinAlgError as err:
            _singular("inv", err)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        (y,) = ctx.saved_tensors
        yt = _mT(y)
        return -(yt @ gy @ yt)


class Det(Op):
    backward_name = "LinalgDetBackward0"
    formula = "d = det(A);  gA = gd * d * A^-T"

    @staticmethod
    def forward(ctx, a):
        d = np.linalg.det(a).astype(a.dtype, copy=False)
        ctx.save_for_backward(a, d)
        return d

    @staticmethod
    def backward(ctx, gd):
        a, d = ctx.saved_tensors
        return (gd * d).unsqueeze(-1).unsqueeze(-1) * _mT(inv(a))


class SlogDet(Op):
    backward_name = "LinalgSlogdetBackward0"
    formula = "(s, l) = (sign det A, log|det A|);  gA = gl * A^-T"

    @staticmethod
    def forward(ctx, a):
        sign, logabs = np.linalg.slogdet(a)
        ctx.save_for_backward(a)
        return sign.astype(a.dtype, copy=False), logabs.astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, gsign, glogabs):
        (a,) = ctx.saved_tensors
        return glogabs.unsqueeze(-1).unsqueeze(-1) * _mT(inv(a))


class Solve(Op):
    backward_name = "LinalgSolveExBackward0"
    formula = "X = A^-1 B;  gB = A^-T gX;  gA = -gB X^T"

    @staticmethod
    def forward(ctx, a, b):
        try:
            x = np.linalg.solve(a, b)
        except np.linalg.LinAlgError as err:
            _singular("solve", err)
        ctx.save_for_backward(a, x)
        return x

    @staticmethod
    def backward(ctx, gx):
        a, x = ctx.saved_tensors
        gb = solve(_mT(a), gx)
        ga = -(gb @ _mT(x)) if ctx.needs_input_grad[0] else None
        return ga, gb


class Cholesky(Op):
    backward_name = "LinalgCholeskyExBackward0"
    formula = ("A = L L^T;  S = L^-T phi(L^T gL) L^-1 (phi: lower triangle, halved diagonal);"
               "  gA = (S + S^T) / 2")

    @staticmethod
    def forward(ctx, a):
        try:
            low = np.linalg.cholesky(a)
        except np.linalg.LinAlgError:
            raise LinAlgError(
                "linalg.cholesky: The factorization could not be completed because the input "
                "is not positive-definite."
            ) from None
        ctx.save_for_backward(low)
        return low

    @staticmethod
    def backward(ctx, gl):
        (low,) = ctx.saved_tensors
        gl = gl.tril()
        p = _mT(low) @ gl
        p = p.tril() - 0.5 * p.diagonal(dim1=-2, dim2=-1).diag_embed()
        s = solve(_mT(low), solve(_mT(low), _mT(p)).transpose(-2, -1))
        s = _mT(s)
        return 0.5 * (s + _mT(s))


class Eigh(Op):
    backward_name = "LinalgEighBackward0"
    formula = ("A = V diag(w) V^T;  gA = V (diag(gw) + F * (V^T gV - (V^T gV)^T) / 2) V^T,"
               "  F_ij = 1 / (w_j - w_i)")

    @staticmethod
    def forward(ctx, a, uplo):
        w, v = np.linalg.eigh(a, UPLO=uplo)
        ctx.save_for_backward(w, v)
        return w, v

    @staticmethod
    def backward(ctx, gw, gv):
        w, v = ctx.saved_tensors
        inner = gw.diag_embed()
        if gv._data.any():
            diff = w.unsqueeze(-2) - w.unsqueeze(-1)  # [i, j] = w_j - w_i
            eye = np.eye(diff.shape[-1], dtype=bool)
            f = 1.0 / diff.masked_fill(_const(eye), 1.0)
            f = f.masked_fill(_const(eye), 0.0)
            vtgv = _mT(v) @ gv
            inner = inner + f * (vtgv - _mT(vtgv)) * 0.5
        return v @ inner @ _mT(v), None


class EigvalsH(Op):
    backward_name = "LinalgEighBackward0"
    formula = "w = eigvals(A);  gA = V diag(gw) V^T"

    @staticmethod
    def forward(ctx, a, uplo):
        w, v = np.linalg.eigh(a, UPLO=uplo)
        ctx.save_for_backward(v)
        return w

    @staticmethod
    def backward(ctx, gw):
        (v,) = ctx.saved_tensors
        return (v * gw.unsqueeze(-2)) @ _mT(v), None


class SvdVals(Op):
    backward_name = "LinalgSvdBackward0"
    formula = "s = singular values of A = U diag(s) Vh;  gA = U diag(gs) Vh"

    @staticmethod
    def forward(ctx, a):
        u, s, vh = np.linalg.svd(a, full_matrices=False)
        ctx.save_for_backward(u, vh)
        return s

    @staticmethod
    def backward(ctx, gs):
        u, vh = ctx.saved_tensors
        return (u * gs.unsqueeze(-2)) @ vh


class Svd(Op):
    backward_name = "LinalgSvdBackward0"
    formula = "A = U diag(S) Vh;  gA = U diag(gS) Vh (when only S is used)"

    @staticmethod
    def forward(ctx, a, full_matrices):
        u, s, vh = np.linalg.svd(a, full_matrices=full_matrices)
        k = s.shape[-1]
        ctx.save_for_backward(u[..., :k], vh[..., :k, :])
        return u, s, vh

    @staticmethod
    def backward(ctx, gu, gs, gvh):
        if gu._data.any() or gvh._data.any():
            raise NotImplementedError(
                "chainrule: the backward of torch.linalg.svd through U or Vh is not "
                "implemented (only through the singular values S; use linalg.svdvals)"
            )
        u, vh = ctx.saved_tensors
        return (u * gs.unsqueeze(-2)) @ vh, None


class Qr(Op):
    backward_name = "LinalgQrBackward0"
    formula = "A = Q R (Householder QR)"

    @staticmethod
    def forward(ctx, a, mode):
        q, r = np.linalg.qr(a, mode=mode)
        return q.astype(a.dtype, copy=False), r.astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, gq, gr):
        raise NotImplementedError(
            "chainrule: the backward of torch.linalg.qr is not implemented"
        )


class Pinv(Op):
    backward_name = "LinalgPinvBackward0"
    formula = ("P = A^+;  gA = -P^T gP P^T + (I - A P) gP^T P P^T + P^T P gP^T (I - P A)"
               "  (valid where the rank is constant)")

    @staticmethod
    def forward(ctx, a, rtol, hermitian):
        p = np.linalg.pinv(a, rcond=rtol, hermitian=hermitian).astype(a.dtype, copy=False)
        ctx.save_for_backward(a, p)
        return p

    @staticmethod
    def backward(ctx, gp):
        a, p = ctx.saved_tensors
        pt, gpt = _mT(p), _mT(gp)
        ap = a @ p
        pa = p @ a
        i_m = _const(np.eye(ap.shape[-1], dtype=ap._data.dtype))
        i_n = _const(np.eye(pa.shape[-1], dtype=pa._data.dtype))
        ga = -(pt @ gp @ pt) + (i_m - ap) @ gpt @ p @ pt + pt @ p @ gpt @ (i_n - pa)
        return ga, None, None


def _const(array):
    from .._tensor import Tensor

    return Tensor._wrap(array)


def inv(a):
    return Inv.apply(a)


def solve(a, b):
    return Solve.apply(a, b)
