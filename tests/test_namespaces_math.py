"""torch's math namespaces on chainrule vs torch: linalg, special, fft, distributions, func."""

from __future__ import annotations


import numpy as np
import pytest
import torch

import chainrule

RNG = np.random.default_rng(1234)


from namespace_helpers import _grads_match, _spd  # noqa: E402


# -- linalg -------------------------------------------------------------------------------------


LINALG = [
    ("inv", lambda m, a: m.linalg.inv(a), "spd"),
    ("det", lambda m, a: m.linalg.det(a), "spd"),
    ("slogdet", lambda m, a: m.linalg.slogdet(a).logabsdet, "spd"),
    ("solve", lambda m, a: m.linalg.solve(a, a[..., :2] * 2 + 1), "spd"),
    ("solve_vec", lambda m, a: m.linalg.solve(a, a[..., 0]), "spd"),
    ("cholesky", lambda m, a: m.linalg.cholesky(a), "spd"),
    ("cholesky_upper", lambda m, a: m.linalg.cholesky(a, upper=True), "spd"),
    ("eigh_values", lambda m, a: m.linalg.eigh(a).eigenvalues, "spd"),
    ("eigh_vectors", lambda m, a: m.linalg.eigh(a)[1].abs(), "spd"),
    ("eigvalsh", lambda m, a: m.linalg.eigvalsh(a), "spd"),
    ("svdvals", lambda m, a: m.linalg.svdvals(a), "rect"),
    ("svd_S", lambda m, a: m.linalg.svd(a, full_matrices=False).S, "rect"),
    ("pinv", lambda m, a: m.linalg.pinv(a), "rect"),
    ("norm", lambda m, a: m.linalg.norm(a), "rect"),
    ("norm_dim", lambda m, a: m.linalg.norm(a, dim=-1), "rect"),
    ("vector_norm_1", lambda m, a: m.linalg.vector_norm(a, 1, dim=(1, 2)), "rect"),
    ("vector_norm_3", lambda m, a: m.linalg.vector_norm(a, 3.0), "rect"),
    ("vector_norm_inf", lambda m, a: m.linalg.vector_norm(a, float("inf"), dim=1), "rect"),
    ("matrix_norm_fro", lambda m, a: m.linalg.matrix_norm(a), "rect"),
    ("matrix_norm_nuc", lambda m, a: m.linalg.matrix_norm(a, "nuc"), "rect"),
    ("matrix_norm_1", lambda m, a: m.linalg.matrix_norm(a, 1, keepdim=True), "rect"),
    ("matrix_norm_inf", lambda m, a: m.linalg.matrix_norm(a, float("inf")), "rect"),
    ("matrix_norm_2", lambda m, a: m.linalg.matrix_norm(a, 2), "rect"),
    ("matrix_power", lambda m, a: m.linalg.matrix_power(a, 3), "spd"),
    ("matrix_power_neg", lambda m, a: m.linalg.matrix_power(a, -2), "spd"),
    ("multi_dot", lambda m, a: m.linalg.multi_dot([a[0], a[1].T, a[0]]), "rect"),
    ("solve_triangular", lambda m, a: m.linalg.solve_triangular(
        m.linalg.cholesky(a), a, upper=False), "spd"),
    ("lstsq", lambda m, a: m.linalg.lstsq(a, a[..., :1]).solution, "rect"),
]


@pytest.mark.parametrize("name,fn,kind", LINALG, ids=[c[0] for c in LINALG])
def test_linalg_matches_torch(name, fn, kind):
    a = _spd() if kind == "spd" else RNG.standard_normal((2, 5, 3))
    _grads_match(lambda x: fn(chainrule, x), lambda x: fn(torch, x), [a], rtol=1e-8, atol=1e-9)


def test_linalg_float32_rank_and_errors():
    a = _spd().astype(np.float32)
    assert chainrule.linalg.inv(chainrule.tensor(a)).dtype == chainrule.float32
    r = RNG.standard_normal((3, 4, 2)) @ RNG.standard_normal((3, 2, 4))
    np.testing.assert_array_equal(chainrule.linalg.matrix_rank(chainrule.tensor(r)).numpy(),
                                  torch.linalg.matrix_rank(torch.tensor(r)).numpy())
    with pytest.raises(chainrule.linalg.LinAlgError):
        chainrule.linalg.inv(chainrule.zeros(3, 3))
    with pytest.raises(chainrule.linalg.LinAlgError):
        chainrule.linalg.cholesky(-chainrule.eye(3))
    with pytest.raises(RuntimeError, match="square"):
        chainrule.linalg.det(chainrule.ones(2, 3))
    with pytest.raises(RuntimeError, match="floating point"):
        chainrule.linalg.inv(chainrule.ones(2, 2, dtype=chainrule.int64))
    q, r_ = chainrule.linalg.qr(chainrule.tensor(r[0]))
    np.testing.assert_allclose((q @ r_).numpy(), r[0], atol=1e-10)
    x = chainrule.tensor(r[0], requires_grad=True)
    u, s, vh = chainrule.linalg.svd(x)
    with pytest.raises(NotImplementedError, match="svd"):
        u.sum().backward()


def test_linalg_second_order():
    a = _spd(3, ())
    ours = chainrule.tensor(a, requires_grad=True)
    theirs = torch.tensor(a, requires_grad=True)
    (g_ours,) = chainrule.autograd.grad(chainrule.linalg.det(ours), ours, create_graph=True)
    (g_theirs,) = torch.autograd.grad(torch.linalg.det(theirs), theirs, create_graph=True)
    g_ours.pow(2).sum().backward()
    g_theirs.pow(2).sum().backward()
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-8)


# -- special ------------------------------------------------------------------------------------


SPECIAL = [
    ("erf", lambda m, x: m.special.erf(x), "real"),
    ("erfc", lambda m, x: m.special.erfc(x), "small"),
    ("expit", lambda m, x: m.special.expit(x), "real"),
    ("logit", lambda m, x: m.special.logit(x, eps=1e-6), "unit"),
    ("xlogy", lambda m, x: m.special.xlogy(x, x * x + 0.5), "real"),
    ("xlog1py", lambda m, x: m.special.xlog1py(x, x * x), "real"),
    ("gammaln", lambda m, x: m.special.gammaln(x), "positive"),
    ("gammaln_neg", lambda m, x: m.special.gammaln(x - 3.5), "unit"),
    ("digamma", lambda m, x: m.special.digamma(x), "positive"),
    ("psi", lambda m, x: m.special.psi(x - 2.5), "unit"),
    ("polygamma0", lambda m, x: m.special.polygamma(0, x), "positive"),
    ("multigammaln", lambda m, x: m.special.multigammaln(x + 2, 3), "positive"),
    ("entr", lambda m, x: m.special.entr(x), "positive"),
    ("softmax", lambda m, x: m.special.softmax(x, 1), "real"),
    ("log_softmax", lambda m, x: m.special.log_softmax(x, 0), "real"),
    ("logsumexp", lambda m, x: m.special.logsumexp(x, 1), "real"),
    ("ndtr", lambda m, x: m.special.ndtr(x), "real"),
    ("log_ndtr", lambda m, x: m.special.log_ndtr(x * 10), "real"),
    ("ndtri", lambda m, x: m.special.ndtri(x), "unit"),
    ("sinc", lambda m, x: m.special.sinc(x), "real"),
    ("exp2", lambda m, x: m.special.exp2(x), "real"),
    ("expm1", lambda m, x: m.special.expm1(x), "real"),
    ("log1p", lambda m, x: m.special.log1p(x), "positive"),
]


@pytest.mark.parametrize("name,fn,domain", SPECIAL, ids=[c[0] for c in SPECIAL])
def test_special_matches_torch(name, fn, domain):
    x = RNG.standard_normal((3, 5))
    if domain == "positive":
        x = np.abs(x) * 3 + 0.1
    elif domain == "unit":
        x = RNG.uniform(0.05, 0.95, (3, 5))
    elif domain == "small":
        x = x * 0.5
    _grads_match(lambda t: fn(chainrule, t), lambda t: fn(torch, t), [x], rtol=1e-9, atol=1e-10)


def test_special_conventions_and_fallback_kernels():
    from chainrule.special._gamma import digamma_np, lgamma_np, trigamma_np

    x = np.concatenate([np.linspace(-6.7, -0.05, 40), np.linspace(0.05, 60, 80), [1e4, 0.5]])
    t = torch.tensor(x)
    np.testing.assert_allclose(lgamma_np(x), torch.lgamma(t).numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(digamma_np(x), torch.digamma(t).numpy(), rtol=1e-11, atol=1e-11)
    scipy_special = pytest.importorskip("scipy.special")  # torch's trigamma is less exact
    np.testing.assert_allclose(trigamma_np(x), scipy_special.polygamma(1, x), rtol=1e-11)
    assert np.isinf(lgamma_np(np.array([0.0, -2.0]))).all()
    # torch's gradient conventions at x == 0 for xlogy
    a = chainrule.tensor([0.0, 0.0, 1.0], requires_grad=True)
    b = chainrule.tensor([-1.0, 2.0, 3.0], requires_grad=True)
    chainrule.special.xlogy(a, b).sum().backward()
    ta = torch.tensor([0.0, 0.0, 1.0], requires_grad=True)
    tb = torch.tensor([-1.0, 2.0, 3.0], requires_grad=True)
    torch.special.xlogy(ta, tb).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), ta.grad.numpy())
    np.testing.assert_allclose(b.grad.numpy(), tb.grad.numpy())
    edge = [-1.0, 0.0, 0.5]
    np.testing.assert_array_equal(chainrule.special.entr(chainrule.tensor(edge)).numpy(),
                                  torch.special.entr(torch.tensor(edge)).numpy())
    ints = chainrule.special.xlogy(chainrule.tensor([0, 1, 2]), 3.0)
    assert str(ints.dtype) == str(torch.special.xlogy(torch.tensor([0, 1, 2]), 3.0).dtype)


# -- fft ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["fft", "ifft", "rfft", "fft2", "ifft2", "rfft2", "fftn",
                                  "rfftn", "ihfft"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fft_matches_torch(name, dtype):
    x = RNG.standard_normal((4, 6)).astype(dtype)
    ours = getattr(chainrule.fft, name)(chainrule.tensor(x))
    theirs = getattr(torch.fft, name)(torch.tensor(x)).resolve_conj()
    assert str(ours.dtype) == str(theirs.dtype)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-4, atol=1e-5)


def test_fft_inverse_helpers_and_grad_guard():
    x = RNG.standard_normal((3, 8))
    spec = torch.fft.rfft(torch.tensor(x)).numpy()
    for norm in ("backward", "ortho", "forward"):
        np.testing.assert_allclose(
            chainrule.fft.irfft(chainrule.tensor(spec), norm=norm).numpy(),
            torch.fft.irfft(torch.tensor(spec), norm=norm).numpy(), atol=1e-12)
    for fn in ("fftfreq", "rfftfreq"):
        np.testing.assert_allclose(getattr(chainrule.fft, fn)(7).numpy(),
                                   getattr(torch.fft, fn)(7).numpy())
    np.testing.assert_array_equal(chainrule.fft.fftshift(chainrule.arange(7)).numpy(),
                                  torch.fft.fftshift(torch.arange(7)).numpy())
    with pytest.raises(NotImplementedError, match="not differentiable"):
        chainrule.fft.rfft(chainrule.ones(4, requires_grad=True))


# -- distributions ------------------------------------------------------------------------------


def _dist_cases():
    loc, scale = RNG.standard_normal(3), RNG.random(3) + 0.5
    cov = _spd(3, ())
    return [
        ("normal", lambda D, a, b: D.Normal(a, b), [loc, scale], RNG.standard_normal((2, 3)),
         ("log_prob", "entropy", "mean", "stddev", "variance", "cdf")),
        ("bernoulli_probs", lambda D, p: D.Bernoulli(probs=p), [RNG.random(4)],
         np.array([0.0, 1, 1, 0]), ("log_prob", "entropy", "mean", "variance")),
        ("bernoulli_logits", lambda D, p: D.Bernoulli(logits=p), [RNG.standard_normal(4)],
         np.array([0.0, 1, 1, 0]), ("log_prob", "entropy", "mean")),
        ("categorical_logits", lambda D, p: D.Categorical(logits=p),
         [RNG.standard_normal((2, 5))], np.array([[1, 4], [0, 2], [3, 3]]),
         ("log_prob", "entropy", "probs")),
        ("categorical_probs", lambda D, p: D.Categorical(probs=p), [RNG.random((2, 5))],
         np.array([1, 4]), ("log_prob", "entropy", "logits")),
        ("onehot", lambda D, p: D.OneHotCategorical(logits=p), [RNG.standard_normal((2, 3))],
         np.eye(3)[[0, 2]], ("log_prob", "entropy", "mean")),
        ("uniform", lambda D, a, b: D.Uniform(a, b), [np.zeros(3), np.full(3, 2.0)],
         np.array([0.5, 1.0, 1.9]), ("log_prob", "entropy", "mean", "stddev")),
        ("exponential", lambda D, r: D.Exponential(r), [RNG.random(3) + 0.5],
         np.array([0.5, 1.0, 1.9]), ("log_prob", "entropy", "mean", "variance")),
        ("laplace", lambda D, a, b: D.Laplace(a, b), [loc, scale], np.array([0.5, 1.0, 1.9]),
         ("log_prob", "entropy", "variance")),
        ("mvn_cov", lambda D, m, c: D.MultivariateNormal(m, covariance_matrix=c), [loc, cov],
         RNG.standard_normal((4, 3)), ("log_prob", "entropy", "variance")),
        ("mvn_tril", lambda D, m, c: D.MultivariateNormal(m, scale_tril=c),
         [loc, np.linalg.cholesky(cov)], RNG.standard_normal((4, 3)), ("log_prob", "entropy")),
        ("independent", lambda D, a, b: D.Independent(D.Normal(a, b), 1), [loc, scale],
         RNG.standard_normal((2, 3)), ("log_prob", "entropy")),
    ]


@pytest.mark.parametrize("case", range(12))
def test_distributions_match_torch(case):
    name, build, params, value, attrs = _dist_cases()[case]
    for attr in attrs:
        def call(lib, *ps, attr=attr):
            d = build(lib.distributions, *ps)
            if attr in ("log_prob", "cdf"):
                return getattr(d, attr)(lib.tensor(value))
            if attr == "entropy":
                return d.entropy()
            return getattr(d, attr)

        _grads_match(lambda *p: call(chainrule, *p), lambda *p: call(torch, *p), params,
                     rtol=1e-9, atol=1e-10)


def test_kl_divergence_matches_torch():
    loc, scale = RNG.standard_normal(3), RNG.random(3) + 0.5
    cases = [
        (lambda D, a, b, c, d: D.kl_divergence(D.Normal(a, b), D.Normal(c, d)),
         [loc, scale, loc[::-1].copy(), scale[::-1].copy()]),
        (lambda D, a, b: D.kl_divergence(D.Categorical(logits=a), D.Categorical(logits=b)),
         [RNG.standard_normal((2, 4)), RNG.standard_normal((2, 4))]),
        (lambda D, a, b: D.kl_divergence(D.Bernoulli(logits=a), D.Bernoulli(logits=b)),
         [RNG.standard_normal(4), RNG.standard_normal(4)]),
        (lambda D, a, b, c, d: D.kl_divergence(D.MultivariateNormal(a, b),
                                               D.MultivariateNormal(c, d)),
         [loc, _spd(3, ()), loc * 2, _spd(3, ())]),
    ]
    for fn, params in cases:
        _grads_match(lambda *p: fn(chainrule.distributions, *p),
                     lambda *p: fn(torch.distributions, *p), params)


def test_distribution_sampling_and_validation():
    D = chainrule.distributions
    chainrule.manual_seed(0)
    loc = chainrule.tensor([1.0, -2.0], requires_grad=True)
    normal = D.Normal(loc, chainrule.tensor([0.5, 2.0]))
    s = normal.rsample((20000,))
    assert s.shape == (20000, 2) and s.requires_grad
    np.testing.assert_allclose(s.mean(0).detach().numpy(), [1.0, -2.0], atol=0.05)
    np.testing.assert_allclose(s.std(0).detach().numpy(), [0.5, 2.0], rtol=0.03)
    s.sum().backward()
    np.testing.assert_allclose(loc.grad.numpy(), [20000.0, 20000.0])
    assert not normal.sample((3,)).requires_grad
    counts = np.bincount(D.Categorical(probs=chainrule.tensor([0.1, 0.2, 0.7])).sample(
        (20000,)).numpy(), minlength=3) / 20000
    np.testing.assert_allclose(counts, [0.1, 0.2, 0.7], atol=0.02)
    b = D.Bernoulli(probs=chainrule.tensor([0.3])).sample((10000,))
    assert b.dtype == chainrule.float32 and abs(b.mean().item() - 0.3) < 0.03
    oh = D.OneHotCategorical(probs=chainrule.tensor([0.5, 0.5])).sample((4,))
    np.testing.assert_array_equal(oh.sum(-1).numpy(), np.ones(4))
    u = D.Uniform(0.0, 2.0).rsample((1000,))
    assert float(u.min()) >= 0 and float(u.max()) < 2
    mvn = D.MultivariateNormal(chainrule.zeros(2), chainrule.tensor([[1.0, 0.5], [0.5, 1.0]]))
    assert mvn.sample((5,)).shape == (5, 2)
    with pytest.raises(ValueError, match="GreaterThan"):
        D.Normal(0.0, -1.0)
    with pytest.raises(ValueError, match="support"):
        D.Bernoulli(probs=chainrule.tensor([0.5])).log_prob(chainrule.tensor([0.3]))
    with pytest.raises(NotImplementedError, match="KL"):
        D.kl_divergence(D.Normal(0.0, 1.0), D.Uniform(0.0, 1.0))
    assert repr(D.Normal(0.0, 1.0)) == repr(torch.distributions.Normal(0.0, 1.0))


# -- func ---------------------------------------------------------------------------------------


def test_func_transforms_match_torch():
    x = RNG.standard_normal(4)

    def f(lib, t):
        return (t.sin() * t).sum()

    g_ours = chainrule.func.grad(lambda t: f(chainrule, t))(chainrule.tensor(x))
    g_theirs = torch.func.grad(lambda t: f(torch, t))(torch.tensor(x))
    np.testing.assert_allclose(g_ours.detach().numpy(), g_theirs.numpy(), rtol=1e-12)
    gg_ours = chainrule.func.grad(lambda t: chainrule.func.grad(
        lambda u: f(chainrule, u))(t).sum())(chainrule.tensor(x))
    gg_theirs = torch.func.grad(lambda t: torch.func.grad(
        lambda u: f(torch, u))(t).sum())(torch.tensor(x))
    np.testing.assert_allclose(gg_ours.detach().numpy(), gg_theirs.numpy(), rtol=1e-12)
    j_ours = chainrule.func.jacrev(lambda t: t.exp() * t[0])(chainrule.tensor(x))
    j_theirs = torch.func.jacrev(lambda t: t.exp() * t[0])(torch.tensor(x))
    np.testing.assert_allclose(j_ours.detach().numpy(), j_theirs.numpy(), rtol=1e-12)
    h_ours = chainrule.func.hessian(lambda t: (t ** 3).sum())(chainrule.tensor(x))
    h_theirs = torch.func.hessian(lambda t: (t ** 3).sum())(torch.tensor(x))
    np.testing.assert_allclose(h_ours.detach().numpy(), h_theirs.numpy(), rtol=1e-12)
    m = RNG.standard_normal((5, 3))
    v_ours = chainrule.func.vmap(lambda r: r.dot(r))(chainrule.tensor(m))
    v_theirs = torch.func.vmap(lambda r: r.dot(r))(torch.tensor(m))
    np.testing.assert_allclose(v_ours.numpy(), v_theirs.numpy(), rtol=1e-12)


def test_functional_call():
    nn = chainrule.nn
    if not hasattr(nn, "Linear"):
        pytest.skip("chainrule.nn not built yet")
    model = nn.Linear(3, 2)
    w = chainrule.ones(2, 3, requires_grad=True)
    b = chainrule.zeros(2)
    out = chainrule.func.functional_call(model, {"weight": w, "bias": b}, (chainrule.ones(1, 3),))
    np.testing.assert_allclose(out.detach().numpy(), [[3.0, 3.0]])
    out.sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), np.ones((2, 3)))
    assert model.weight is not w  # restored
