"""chainrule.ops.extra_misc against torch 2.13: window functions, histograms, binomial, the
older linear-algebra spellings (with torch's deprecation warnings), removed functions,
predicates, ``*_copy`` variants and ``as_strided``."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from test_extra_ops import compare, leaf, randn

import chainrule
from chainrule.autograd import gradcheck
from chainrule.ops import extra_misc


@pytest.mark.parametrize("name", ["hann_window", "hamming_window", "blackman_window",
                                  "bartlett_window", "kaiser_window"])
@pytest.mark.parametrize("length", [0, 1, 2, 5, 8])
@pytest.mark.parametrize("periodic", [True, False])
def test_windows(name, length, periodic):
    for dtype in ("float32", "float64"):
        ours = getattr(chainrule, name)(length, periodic, dtype=getattr(chainrule, dtype))
        theirs = getattr(torch, name)(length, periodic, dtype=getattr(torch, dtype))
        assert str(ours.dtype) == str(theirs.dtype) and ours.shape == theirs.shape
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-7)


def test_window_options_and_errors():
    np.testing.assert_allclose(chainrule.hamming_window(5, True, 0.5, 0.3).numpy(),
                               torch.hamming_window(5, True, 0.5, 0.3).numpy(), rtol=1e-6)
    np.testing.assert_allclose(chainrule.kaiser_window(6, False, 5.0).numpy(),
                               torch.kaiser_window(6, False, 5.0).numpy(), rtol=1e-5)
    assert chainrule.hann_window(4).dtype == chainrule.float32
    assert chainrule.hann_window(4, requires_grad=True).requires_grad
    with pytest.raises(RuntimeError, match="floating point dtypes"):
        chainrule.hann_window(4, dtype=chainrule.int64)


def test_histogram():
    x = np.array([1.0, 2, 1, 4, 2.5, 3.9])
    for kwargs in ({}, {"range": (0.0, 2.0)}, {"density": True},
                   {"weight": np.array([1.0, 2, 3, 4, 5, 6])}):
        for bins in (3, np.array([0.0, 1, 3, 5])):
            kw = {k: (chainrule.tensor(v) if isinstance(v, np.ndarray) else v)
                  for k, v in kwargs.items()}
            tkw = {k: (torch.tensor(v) if isinstance(v, np.ndarray) else v)
                   for k, v in kwargs.items()}
            cb = chainrule.tensor(bins) if isinstance(bins, np.ndarray) else bins
            tb = torch.tensor(bins) if isinstance(bins, np.ndarray) else bins
            if "range" in kw and isinstance(bins, np.ndarray):
                with pytest.raises(TypeError):
                    chainrule.histogram(chainrule.tensor(x), cb, **kw)
                continue
            ours = chainrule.histogram(chainrule.tensor(x), cb, **kw)
            theirs = torch.histogram(torch.tensor(x), tb, **tkw)
            for o, t in zip(ours, theirs):
                assert str(o.dtype) == str(t.dtype)
                np.testing.assert_allclose(o.numpy(), t.numpy(), rtol=1e-12)
    for data in (np.array([1.0, 1.0]), np.zeros(0)):
        ours = chainrule.histogram(chainrule.tensor(data), 2)
        theirs = torch.histogram(torch.tensor(data), 2)
        np.testing.assert_allclose(ours.bin_edges.numpy(), theirs.bin_edges.numpy())
        np.testing.assert_allclose(ours.hist.numpy(), theirs.hist.numpy())
    with pytest.raises(NotImplementedError, match="'Long'"):
        chainrule.histogram(chainrule.tensor([1, 2]), 3)
    assert type(chainrule.tensor(x).histogram(2)).__name__ == "histogram"


def test_histogramdd():
    pts = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 0.0], [2.0, 2.0]])
    w = np.array([1.0, 2.0, 4.0, 8.0])
    ours = chainrule.histogramdd(chainrule.tensor(pts), bins=[3, 3], weight=chainrule.tensor(w))
    theirs = torch.histogramdd(torch.tensor(pts), bins=[3, 3], weight=torch.tensor(w))
    np.testing.assert_allclose(ours.hist.numpy(), theirs.hist.numpy())
    for o, t in zip(ours.bin_edges, theirs.bin_edges):
        np.testing.assert_allclose(o.numpy(), t.numpy())
    ours = chainrule.histogramdd(chainrule.tensor(pts), bins=2, range=[0.0, 1.0, 0.0, 1.0],
                                 density=True)
    theirs = torch.histogramdd(torch.tensor(pts), bins=2, range=[0.0, 1.0, 0.0, 1.0],
                               density=True)
    np.testing.assert_allclose(ours.hist.numpy(), theirs.hist.numpy())


def test_binomial():
    count = chainrule.full((1000,), 10.0)
    prob = chainrule.full((1000,), 0.3)
    chainrule.manual_seed(3)
    a = chainrule.binomial(count, prob)
    chainrule.manual_seed(3)
    b = chainrule.binomial(count, prob)
    assert a.dtype == chainrule.float32 and a.tolist() == b.tolist()
    assert 0 <= a.min().item() and a.max().item() <= 10
    assert abs(a.mean().item() - 3.0) < 0.3
    assert chainrule.binomial(chainrule.tensor([5.0]), chainrule.tensor([0.0])).item() == 0


# -- linear algebra spellings -------------------------------------------------------------------


def _spd(n):
    a = randn(n, n)
    return a @ a.T + n * np.eye(n)


def test_qr_and_triangular_solve_warn_like_torch():
    extra_misc._warned.clear()
    a = randn(4, 3)
    with pytest.warns(UserWarning, match="torch.qr is deprecated"):  # linalg.qr: no backward
        compare(chainrule.qr, torch.qr, a, grad=False)
    compare(lambda t: chainrule.qr(t, some=False), lambda t: torch.qr(t, some=False), a,
            grad=False)
    upper = np.triu(randn(3, 3)) + 3 * np.eye(3)
    b = randn(3, 2)
    with pytest.warns(UserWarning, match="triangular_solve is deprecated"):
        compare(chainrule.triangular_solve, torch.triangular_solve, b, upper)
    for kwargs in ({"upper": False}, {"transpose": True}, {"unitriangular": True},
                   {"upper": False, "transpose": True}):
        coeff = upper if kwargs.get("upper", True) else upper.T.copy()
        compare(lambda x, y, kw=kwargs: chainrule.triangular_solve(x, y, **kw),
                lambda x, y, kw=kwargs: torch.triangular_solve(x, y, **kw), b, coeff)


def test_cholesky_solve_inverse_matrix_exp_norms():
    a = _spd(3)
    low = np.linalg.cholesky(a)
    b = randn(3, 2)
    compare(chainrule.cholesky_solve, torch.cholesky_solve, b, low, rtol=1e-9)
    compare(lambda x, u: chainrule.cholesky_solve(x, u, upper=True),
            lambda x, u: torch.cholesky_solve(x, u, upper=True), b, low.T.copy(), rtol=1e-9)
    compare(chainrule.cholesky_inverse, torch.cholesky_inverse, low, rtol=1e-9)
    # torch's factor gradient is the dense formula (as if A = L L^T used all of L): checked
    # against finite differences on the triangle the forward reads
    assert gradcheck(lambda x, f: chainrule.cholesky_solve(x, f.tril()), (leaf(b), leaf(low)))
    compare(lambda u: chainrule.cholesky_inverse(u, upper=True),
            lambda u: torch.cholesky_inverse(u, upper=True), low.T.copy(), rtol=1e-9)
    for m in (randn(3, 3), randn(2, 4, 4) * 3, np.zeros((2, 2)), randn(1, 1)):
        compare(chainrule.matrix_exp, torch.matrix_exp, m, rtol=1e-10, atol=1e-10)
    compare(lambda t: t.matrix_exp(), lambda t: t.matrix_exp(), randn(3, 3), rtol=1e-10)
    assert gradcheck(chainrule.matrix_exp, (leaf(randn(3, 3)),))
    extra_misc._warned.clear()
    with pytest.warns(UserWarning, match="frobenius_norm is deprecated"):
        compare(chainrule.frobenius_norm, torch.frobenius_norm, randn(3, 4), (0, 1))
    compare(chainrule.frobenius_norm, torch.frobenius_norm, randn(3, 4), 1, True)
    with pytest.warns(UserWarning, match="nuclear_norm is deprecated"):
        compare(chainrule.nuclear_norm, torch.nuclear_norm, randn(3, 4), rtol=1e-9)
    compare(chainrule.nuclear_norm, torch.nuclear_norm, randn(2, 3, 4), (1, 2), True,
            rtol=1e-9)
    with pytest.raises(TypeError):
        chainrule.frobenius_norm(chainrule.ones(2, 2))


@pytest.mark.parametrize("name", ["solve", "eig", "symeig", "lstsq", "matrix_rank"])
def test_removed_functions_raise_like_torch(name):
    a = chainrule.eye(2)
    with pytest.raises(RuntimeError, match="deprecated since version 1.9 and is now removed"):
        getattr(chainrule, name)(a, a) if name in ("solve", "lstsq") else \
            getattr(chainrule, name)(a)
    with pytest.raises(RuntimeError, match="deprecated since version 1.9 and is now removed"):
        t = torch.eye(2)
        getattr(torch, name)(t, t) if name in ("solve", "lstsq") else getattr(torch, name)(t)


# -- predicates, copies, strides ----------------------------------------------------------------


def test_predicates_and_conjugation():
    x = chainrule.ones(2, 3)
    t = torch.ones(2, 3)
    for name, args in [("is_same_size", (x, chainrule.ones(3))),
                       ("is_same_size", (x, chainrule.zeros(2, 3))), ("is_signed", (x,)),
                       ("is_conj", (x,)), ("is_neg", (x,)), ("is_inference", (x,))]:
        targs = tuple(torch.tensor(a.numpy()) for a in args)
        assert getattr(chainrule, name)(*args) == getattr(torch, name)(*targs), name
    for dtype in ("uint8", "bool", "int32", "float64"):
        assert chainrule.is_signed(chainrule.zeros(1, dtype=getattr(chainrule, dtype))) == \
            torch.is_signed(torch.zeros(1, dtype=getattr(torch, dtype)))
    assert chainrule.resolve_conj(x) is x and chainrule.resolve_neg(x) is x
    assert chainrule.conj_physical(x) is x and t.is_signed()
    z = chainrule.tensor(np.array([1 + 2j]))
    assert chainrule.conj_physical(z).numpy()[0] == 1 - 2j


def test_copy_variants_are_copies():
    x = randn(2, 3, 4)
    cases = [("permute_copy", ((2, 0, 1),)), ("transpose_copy", (0, 2)), ("diagonal_copy", ()),
             ("select_copy", (1, 2)), ("unsqueeze_copy", (1,)), ("squeeze_copy", ()),
             ("expand_copy", ((3, 2, 3, 4),)), ("view_copy", ((6, 4),)),
             ("narrow_copy", (2, 1, 2)), ("unfold_copy", (2, 2, 1)), ("alias_copy", ()),
             ("detach_copy", ()), ("slice_copy", (2, 1, 4, 2)), ("unbind_copy", (1,)),
             ("split_copy", (2, 2)), ("split_with_sizes_copy", ([1, 3], 2))]
    for name, args in cases:
        compare(lambda t, n=name, a=args: getattr(chainrule, n)(t, *a),
                lambda t, n=name, a=args: getattr(torch, n)(t, *a), x,
                grad=name != "detach_copy")
    src = chainrule.tensor(x)
    out = chainrule.permute_copy(src, (2, 0, 1))
    assert not np.shares_memory(out._data, src._data)
    compare(chainrule.t_copy, torch.t_copy, randn(2, 3))
    c = chainrule.view_as_complex_copy(chainrule.tensor(randn(2, 2)))
    assert c.dtype == chainrule.complex128 and c.shape == (2,)


def test_as_strided_and_empty_permuted():
    x = randn(10)
    for size, stride, offset in [((4, 3), (2, 1), None), ((3, 3), (1, 1), 1), ((2,), (0,), 4),
                                 ((2, 2, 2), (4, 2, 1), 2)]:
        compare(lambda t, s=size, st=stride, o=offset: chainrule.as_strided(t, s, st, o),
                lambda t, s=size, st=stride, o=offset: torch.as_strided(t, s, st, o), x)
    compare(lambda t: t.as_strided((2, 2), (3, 1)), lambda t: t.as_strided((2, 2), (3, 1)),
            randn(2, 3))
    with pytest.raises(RuntimeError, match="storage"):
        chainrule.as_strided(chainrule.ones(4), (3,), (2,))
    with pytest.raises(NotImplementedError, match="contiguous"):
        chainrule.as_strided(chainrule.ones(4, 4).t(), (2,), (1,))
    e = chainrule.empty_permuted((2, 3, 4), (0, 2, 1))
    assert e.shape == (2, 3, 4) and e.dtype == chainrule.float32
    assert e.permute(0, 2, 1).is_contiguous()


# -- gradient, stft ----------------------------------------------------------------------------


@pytest.mark.parametrize("edge_order", [1, 2])
def test_gradient(edge_order):
    f = randn(5, 6)
    coords = np.cumsum(np.abs(randn(6)) + 0.2)
    compare(lambda t: chainrule.gradient(t, edge_order=edge_order),
            lambda t: torch.gradient(t, edge_order=edge_order), f)
    compare(lambda t: chainrule.gradient(t, spacing=0.5, dim=1, edge_order=edge_order),
            lambda t: torch.gradient(t, spacing=0.5, dim=1, edge_order=edge_order), f)
    compare(lambda t: chainrule.gradient(t, spacing=[2.0, 0.5], edge_order=edge_order),
            lambda t: torch.gradient(t, spacing=[2.0, 0.5], edge_order=edge_order), f)
    compare(lambda t: chainrule.gradient(t, spacing=(chainrule.tensor(coords),), dim=-1,
                                         edge_order=edge_order),
            lambda t: torch.gradient(t, spacing=(torch.tensor(coords),), dim=-1,
                                     edge_order=edge_order), f)
    compare(chainrule.gradient, torch.gradient, np.array([1, 4, 9, 16]), grad=False)
    assert chainrule.gradient(chainrule.tensor(3.0)) == ()
    with pytest.raises(RuntimeError, match="at least edge_order\\+1"):
        chainrule.gradient(chainrule.ones(2), edge_order=2)
    with pytest.raises(RuntimeError, match="same length"):
        chainrule.gradient(chainrule.ones(3, 4), spacing=[1.0])


def test_stft():
    x = randn(2, 50)
    cases = [{"n_fft": 16}, {"n_fft": 16, "hop_length": 5, "win_length": 10, "window": "hann"},
             {"n_fft": 16, "center": False, "onesided": False, "normalized": True},
             {"n_fft": 8, "pad_mode": "constant"}, {"n_fft": 12, "hop_length": 3}]
    for kwargs in cases:
        for signal in (x, x[0]):
            kw = dict(kwargs)
            win = kw.pop("window", None)
            n = kw.get("win_length", kw["n_fft"])
            cw = chainrule.hann_window(n, dtype=chainrule.float64) if win else \
                chainrule.ones(n, dtype=chainrule.float64)
            tw = torch.hann_window(n, dtype=torch.float64) if win else \
                torch.ones(n, dtype=torch.float64)
            ours = chainrule.stft(chainrule.tensor(signal), window=cw, return_complex=True, **kw)
            theirs = torch.stft(torch.tensor(signal), window=tw, return_complex=True, **kw)
            assert ours.shape == theirs.shape and str(ours.dtype) == str(theirs.dtype)
            np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-9, atol=1e-12)
    with pytest.warns(UserWarning, match="A window was not provided"):
        out = chainrule.stft(chainrule.tensor(x[0], dtype=chainrule.float32), 16,
                             return_complex=True)
    assert out.dtype == chainrule.complex64 and out.shape == (9, 13)
    with pytest.warns(UserWarning, match="return_complex=False is deprecated"):
        real = chainrule.stft(chainrule.tensor(x[0]), 16, window=chainrule.ones(16),
                              return_complex=False)
    assert real.shape == (9, 13, 2)
    with pytest.raises(RuntimeError, match="return_complex parameter be given"):
        chainrule.stft(chainrule.tensor(x[0]), 16)
    with pytest.raises(NotImplementedError, match="not differentiable"):
        chainrule.stft(leaf(x[0]), 16, window=chainrule.ones(16), return_complex=True)
