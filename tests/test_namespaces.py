"""The torch namespaces programs touch: behaviour and values against torch 2.13.

Numeric namespaces (linalg, special, distributions, fft, func) compare forward values and
gradients with a random upstream gradient in float64; the others check what scripts rely on
(flags settable, pass-through wrappers, clear errors naming the missing feature).
"""

from __future__ import annotations

import sys

import numpy as np
import pytest
import torch

import chainrule

RNG = np.random.default_rng(1234)


def _grads_match(f_ours, f_torch, arrays, rtol=1e-9, atol=1e-11):
    """Forward and backward (random upstream gradient) agree in float64."""
    ours = [chainrule.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    out_ours, out_theirs = f_ours(*ours), f_torch(*theirs)
    assert tuple(out_ours.shape) == tuple(out_theirs.shape)
    assert str(out_ours.dtype) == str(out_theirs.dtype)
    np.testing.assert_allclose(out_ours.detach().numpy(), out_theirs.detach().numpy(),
                               rtol=rtol, atol=atol)
    upstream = RNG.standard_normal(tuple(out_theirs.shape))
    (out_ours * chainrule.tensor(upstream)).sum().backward()
    (out_theirs * torch.tensor(upstream)).sum().backward()
    for a, b in zip(ours, theirs):
        if b.grad is None:
            assert a.grad is None or not a.grad.numpy().any()
            continue
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=rtol * 100, atol=atol * 100)


def _spd(n=4, batch=(2,)):
    a = RNG.standard_normal(batch + (n, n))
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


# -- version ------------------------------------------------------------------------------------


def test_version_compares_like_torch():
    v = chainrule.__version__
    assert isinstance(v, str) and str(v) == "2.13.0"
    assert v >= "2.0" and v >= "1.13.1" and v < "2.14" and v > "2.9" and v > "2.13.0rc1"
    assert v >= (2, 0) and v < (3,)
    assert v == "2.13.0" and v == "2.13" and v != "2.12"
    assert v.split(".")[0] == "2"
    assert chainrule.version.__version__ == v and chainrule.version.cuda is None


# -- amp ----------------------------------------------------------------------------------------


def test_autocast_is_a_noop_context_and_decorator():
    x = chainrule.ones(2, 3)
    with chainrule.autocast(device_type="cpu", dtype=chainrule.bfloat16):
        assert (x @ x.T).dtype == chainrule.float32
    with chainrule.amp.autocast("cuda"):
        assert chainrule.amp.is_autocast_enabled("cuda")
    assert not chainrule.amp.is_autocast_enabled("cuda")
    with chainrule.cuda.amp.autocast():
        pass
    from chainrule.cuda.amp import autocast

    @autocast()
    def f(a):
        return a * 2

    assert f(x).sum().item() == 12.0
    with pytest.raises(RuntimeError, match="unsupported autocast device_type"):
        chainrule.autocast(device_type="tpu")


def test_gradscaler_disabled_without_cuda():
    with pytest.warns(UserWarning, match="CUDA is not available"):
        scaler = chainrule.amp.GradScaler()
    with pytest.warns(UserWarning):
        torch_scaler = torch.amp.GradScaler("cuda")
    assert scaler.is_enabled() == torch_scaler.is_enabled() is False
    loss = chainrule.tensor(2.0)
    assert scaler.scale(loss) is loss
    assert scaler.state_dict() == torch_scaler.state_dict() == {}
    assert scaler.get_scale() == torch_scaler.get_scale() == 1.0

    class Opt:
        steps = 0

        def step(self):
            Opt.steps += 1
            return "stepped"

    assert scaler.step(Opt()) == "stepped" and Opt.steps == 1
    scaler.update()
    off = chainrule.amp.GradScaler("cpu", enabled=False)
    assert off.scale(loss) is loss and off.state_dict() == {}


def test_gradscaler_cpu_matches_torch_step_for_step():
    if not hasattr(chainrule, "optim") or not hasattr(chainrule.optim, "SGD"):
        pytest.skip("chainrule.optim not built yet")
    w0 = RNG.standard_normal(3).astype(np.float32)
    ours = chainrule.tensor(w0, requires_grad=True)
    theirs = torch.tensor(w0, requires_grad=True)
    opt_ours = chainrule.optim.SGD([ours], lr=0.1)
    opt_theirs = torch.optim.SGD([theirs], lr=0.1)
    kw = dict(init_scale=2.0**20, growth_interval=2)
    s_ours, s_theirs = chainrule.amp.GradScaler("cpu", **kw), torch.amp.GradScaler("cpu", **kw)
    for step in range(7):
        for w, opt, scaler, lib in ((ours, opt_ours, s_ours, chainrule),
                                    (theirs, opt_theirs, s_theirs, torch)):
            opt.zero_grad()
            factor = float("inf") if step == 3 else 1.0  # one overflowing step is skipped
            loss = (w * w).sum() * factor if step == 3 else (w * w * w).sum()
            scaler.scale(loss).backward()
            if step == 5:
                scaler.unscale_(opt)
            scaler.step(opt)
            scaler.update()
        np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-6)
        assert s_ours.get_scale() == s_theirs.get_scale()
        assert s_ours.state_dict() == s_theirs.state_dict()
    with pytest.raises(RuntimeError, match="unscale_"):
        s_ours.scale(ours.sum()).backward()
        s_ours.unscale_(opt_ours)
        s_ours.unscale_(opt_ours)


# -- backends, distributed, accelerator ---------------------------------------------------------


def test_backend_flags_are_settable():
    from chainrule.backends import cudnn

    assert cudnn.is_available() is False and cudnn.enabled is True
    cudnn.benchmark = True
    chainrule.backends.cudnn.deterministic = True
    assert chainrule.backends.cudnn.benchmark is True and cudnn.deterministic is True
    cudnn.benchmark = cudnn.deterministic = False
    assert chainrule.backends.cuda.matmul.allow_tf32 is torch.backends.cuda.matmul.allow_tf32
    chainrule.backends.cuda.matmul.allow_tf32 = True
    assert chainrule.backends.cuda.matmul.allow_tf32 is True
    chainrule.backends.cuda.matmul.allow_tf32 = False
    assert chainrule.backends.mps.is_available() is False
    assert chainrule.backends.mps.is_built() is False
    with chainrule.backends.cudnn.flags(enabled=False):
        assert chainrule.backends.cudnn.enabled is False
    assert chainrule.backends.cudnn.enabled is True


def test_distributed_outside_a_launch():
    dist = chainrule.distributed
    assert dist.is_initialized() is torch.distributed.is_initialized() is False
    assert dist.is_available() is False
    for name in ("get_rank", "get_world_size", "barrier"):
        with pytest.raises(ValueError) as ours:
            getattr(dist, name)()
        with pytest.raises(ValueError) as theirs:
            getattr(torch.distributed, name)()
        assert str(ours.value) == str(theirs.value)
    with pytest.raises(RuntimeError, match="distributed training is not supported"):
        dist.init_process_group("gloo")
    assert dist.ReduceOp.SUM is not None


def test_parallel_wrappers():
    nn = chainrule.nn
    if not hasattr(nn, "Linear"):
        pytest.skip("chainrule.nn not built yet")
    inner = nn.Linear(2, 3)
    dp = nn.DataParallel(inner)
    x = chainrule.ones(4, 2)
    assert dp.module is inner
    np.testing.assert_array_equal(dp(x).detach().numpy(), inner(x).detach().numpy())
    assert list(dp.state_dict()) == ["module.weight", "module.bias"]
    from chainrule.nn.parallel import DistributedDataParallel

    with pytest.raises(RuntimeError, match="process group"):
        DistributedDataParallel(inner)


def test_accelerator_mps_cuda_report_nothing():
    assert chainrule.accelerator.is_available() is torch.accelerator.is_available() is False
    assert chainrule.accelerator.current_accelerator() is None
    assert chainrule.accelerator.device_count() == 0
    assert chainrule.mps.device_count() == 0
    assert chainrule.cuda.is_available() is False


# -- pass-throughs and clear errors -------------------------------------------------------------


def test_compile_jit_passthrough():
    def f(a):
        return a + 1

    assert chainrule.compile(f) is f
    assert chainrule.compile(mode="reduce-overhead")(f) is f
    assert chainrule.jit.script(f) is f
    assert chainrule.jit.trace(f, chainrule.ones(1)) is f
    assert chainrule.jit.ignore(f) is f and chainrule.jit.unused(f) is f
    assert chainrule.jit.ignore(drop=True)(f) is f and chainrule.jit.export(f) is f
    assert not chainrule.jit.is_scripting() and not chainrule.compiler.is_compiling()
    assert chainrule.compiler.disable(f) is f
    with pytest.raises(NotImplementedError, match="torch.jit.save"):
        chainrule.jit.save(f, "x.pt")


def test_onnx_hub_library_raise_when_called():
    with pytest.raises(NotImplementedError, match="torch.onnx.export"):
        chainrule.onnx.export(None, (), "m.onnx")
    with pytest.raises(RuntimeError, match="no network"):
        chainrule.hub.load("pytorch/vision", "resnet18")
    with pytest.raises(RuntimeError, match="no network"):
        chainrule.utils.model_zoo.load_url("http://x")
    with pytest.raises(NotImplementedError, match="custom_op"):
        chainrule.library.custom_op("ns::f", mutates_args=())
    assert chainrule.hub.get_dir().endswith("hub")


def test_random_namespace_and_fork_rng():
    chainrule.random.manual_seed(7)
    a = chainrule.rand(3)
    chainrule.random.manual_seed(7)
    state = chainrule.random.get_rng_state()
    with chainrule.random.fork_rng():
        chainrule.rand(5)
    np.testing.assert_array_equal(chainrule.rand(3).numpy(), a.numpy())
    chainrule.random.set_rng_state(state)
    np.testing.assert_array_equal(chainrule.rand(3).numpy(), a.numpy())
    assert chainrule.random.initial_seed() == 7


def test_multiprocessing_reexports():
    mp = chainrule.multiprocessing
    assert mp.Process is not None and mp.Queue is not None
    assert callable(mp.set_start_method) and callable(mp.spawn)
    assert mp.get_sharing_strategy() in mp.get_all_sharing_strategies()


def test_profiler_records_ranges():
    with chainrule.profiler.profile(activities=[chainrule.profiler.ProfilerActivity.CPU]) as p:
        for _ in range(2):
            with chainrule.profiler.record_function("matmul"):
                chainrule.ones(4, 4) @ chainrule.ones(4, 4)
    events = {e.key: e.count for e in p.key_averages()}
    assert events["matmul"] == 2 and "[total]" in events
    assert "matmul" in p.key_averages().table(sort_by="cpu_time_total")


def test_default_dtype_and_tensor_type():
    chainrule.set_default_dtype(chainrule.float64)
    assert chainrule.get_default_dtype() == chainrule.float64
    assert chainrule.tensor([1.0]).dtype == chainrule.float64
    chainrule.set_default_dtype(chainrule.float32)
    with pytest.warns(UserWarning, match="set_default_tensor_type"):
        chainrule.set_default_tensor_type(chainrule.DoubleTensor)
    assert chainrule.tensor([1.0]).dtype == chainrule.float64
    chainrule.set_default_dtype(chainrule.float32)
    chainrule.set_default_device("cpu")
    assert chainrule.get_default_device() == chainrule.device("cpu")


# -- testing.assert_close -----------------------------------------------------------------------


CLOSE_CASES = [
    lambda m: ([1.0, 2.0, 3.0], [1.0, 2.1, 3.0], {}),
    lambda m: ([1.0, 2.0], [1.0, 2.0 + 1e-6], {}),
    lambda m: ([1.0, 2.0], [1.0, 2.0 + 1e-4], {}),
    lambda m: ([[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.0, 4.5]], {}),
    lambda m: ([1, 2], [1, 3], {}),
    lambda m: ([1.0], [1.5], dict(rtol=0.5, atol=0.0)),
    lambda m: ([float("nan")], [float("nan")], {}),
    lambda m: ([float("nan")], [float("nan")], dict(equal_nan=True)),
    lambda m: ([1.0, 2.0], [1.0, 2.0], dict(msg="custom")),
]


def _outcome(fn):
    try:
        fn()
        return None
    except (AssertionError, ValueError, TypeError) as err:
        return type(err).__name__, str(err)


@pytest.mark.parametrize("case", range(len(CLOSE_CASES)))
def test_assert_close_matches_torch(case):
    a, b, kw = CLOSE_CASES[case](None)
    for dtype in ("float32", "float64"):
        def make(lib, v):
            t = lib.tensor(v)
            return t.to(getattr(lib, dtype)) if t.is_floating_point() else t

        ours = _outcome(lambda: chainrule.testing.assert_close(
            make(chainrule, a), make(chainrule, b), **kw))
        theirs = _outcome(lambda: torch.testing.assert_close(
            make(torch, a), make(torch, b), **kw))
        assert ours == theirs


def test_assert_close_structure_and_dtype_messages():
    cases = [
        lambda m: m.testing.assert_close(m.ones(2), m.ones(2, dtype=m.float64)),
        lambda m: m.testing.assert_close(m.ones(2, 3), m.ones(3, 2)),
        lambda m: m.testing.assert_close([m.ones(2)], [m.ones(2) * 2]),
        lambda m: m.testing.assert_close({"a": m.ones(2)}, {"a": m.ones(2) * 2}),
        lambda m: m.testing.assert_close(m.tensor(1.0), m.tensor(2.0)),
        lambda m: m.testing.assert_close(1.0, 1.1),
        lambda m: m.testing.assert_close(1.0, 1.0 + 1e-9),
        lambda m: m.testing.assert_close(True, False),
        lambda m: m.testing.assert_close(m.ones(1), np.ones(1)),
        lambda m: m.testing.assert_close(m.ones(1), m.ones(1), rtol=1e-3),
        lambda m: m.testing.assert_close(np.ones(2), np.ones(2) * 1.1),
    ]
    for case in cases:
        ours = _outcome(lambda: case(chainrule))
        if ours is not None:  # our Tensor class has its own module path
            ours = (ours[0], ours[1].replace("chainrule._tensor.Tensor", "torch.Tensor"))
        assert ours == _outcome(lambda: case(torch))


def test_make_tensor():
    t = chainrule.testing.make_tensor(3, 4, dtype=chainrule.float32, low=-1, high=1)
    assert t.shape == (3, 4) and t.dtype == chainrule.float32
    assert bool((t >= -1).all()) and bool((t < 1).all())
    assert chainrule.testing.make_tensor((2,), dtype=chainrule.int64).dtype == chainrule.int64


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


# -- utils --------------------------------------------------------------------------------------


def test_checkpoint_is_a_plain_call():
    from chainrule.utils.checkpoint import checkpoint, checkpoint_sequential

    x = chainrule.tensor([1.0, 2.0], requires_grad=True)
    y = checkpoint(lambda a: (a * a).sum(), x, use_reentrant=False)
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 4.0])
    with pytest.warns(UserWarning, match="use_reentrant"):
        checkpoint(lambda a: a, x)
    out = checkpoint_sequential([lambda a: a + 1, lambda a: a * 2], 2, x, use_reentrant=False)
    np.testing.assert_allclose(out.detach().numpy(), [4.0, 6.0])


def test_removable_handle_and_pytree():
    from chainrule.utils import _pytree
    from chainrule.utils.hooks import RemovableHandle

    hooks: dict = {}
    handle = RemovableHandle(hooks)
    hooks[handle.id] = print
    with handle:
        assert handle.id in hooks
    assert handle.id not in hooks
    tree = {"a": [1, (2, 3)], "b": 4}
    leaves, spec = _pytree.tree_flatten(tree)
    assert leaves == torch.utils._pytree.tree_flatten(tree)[0] == [1, 2, 3, 4]
    assert _pytree.tree_unflatten([x * 10 for x in leaves], spec) == {"a": [10, (20, 30)],
                                                                       "b": 40}
    assert _pytree.tree_map(lambda v: v + 1, tree) == {"a": [2, (3, 4)], "b": 5}


def test_tensorboard_writer(tmp_path):
    pytest.importorskip("tensorboard")
    from tensorboard.backend.event_processing.event_accumulator import (
        EventAccumulator,
    )

    from chainrule.utils.tensorboard import SummaryWriter

    with SummaryWriter(str(tmp_path)) as writer:
        for step in range(3):
            writer.add_scalar("loss", chainrule.tensor(1.0 / (step + 1)), step)
        writer.add_histogram("w", chainrule.arange(10.0), 0)
    acc = EventAccumulator(str(tmp_path))
    acc.Reload()
    assert [e.value for e in acc.Scalars("loss")] == pytest.approx([1.0, 0.5, 1 / 3])
    assert acc.Tags()["histograms"] == ["w"]


def test_tensorboard_missing_package_names_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorboard", None)
    monkeypatch.delitem(sys.modules, "chainrule.utils.tensorboard", raising=False)
    with pytest.raises(ImportError, match="pip install tensorboard"):
        import chainrule.utils.tensorboard  # noqa: F401
    monkeypatch.delitem(sys.modules, "chainrule.utils.tensorboard", raising=False)


def test_types_and_overrides():
    assert chainrule.types.Number is not None
    assert chainrule.overrides.has_torch_function((chainrule.ones(1),)) is False
    assert chainrule.overrides.is_tensor_like(chainrule.ones(1))


# -- older top-level spellings (chainrule._aliases) ---------------------------------------------


ALIASES = [
    ("atan2", lambda m, a, b: m.atan2(a, b)),
    ("hypot", lambda m, a, b: m.hypot(a, b)),
    ("logaddexp", lambda m, a, b: m.logaddexp(a, b)),
    ("logaddexp2", lambda m, a, b: m.logaddexp2(a, b)),
    ("xlogy", lambda m, a, b: m.xlogy(a, b * b + 0.1)),
    ("diff", lambda m, a, b: m.diff(a, n=2, dim=1)),
    ("diff_prepend", lambda m, a, b: m.diff(a, dim=0, prepend=b[:1])),
    ("rot90", lambda m, a, b: m.rot90(a, 1, (0, 1))),
    ("rot90_3", lambda m, a, b: m.rot90(a, -1, (0, 1))),
    ("rot90_2", lambda m, a, b: m.rot90(a, 2, (1, 0))),
    ("deg2rad", lambda m, a, b: m.deg2rad(a)),
    ("rad2deg", lambda m, a, b: m.rad2deg(a)),
    ("trapezoid", lambda m, a, b: m.trapezoid(a)),
    ("trapz_dx", lambda m, a, b: m.trapz(a, dx=0.5, dim=0)),
    ("cartesian_prod", lambda m, a, b: m.cartesian_prod(a[0], b[1])),
    ("lgamma", lambda m, a, b: m.lgamma(a.abs() + 0.5)),
    ("digamma", lambda m, a, b: m.digamma(a.abs() + 0.5)),
    ("sinc", lambda m, a, b: m.sinc(a)),
    ("det", lambda m, a, b: m.det(a[:, :3] @ a[:, :3].T + m.eye(3, dtype=a.dtype))),
    ("logdet", lambda m, a, b: m.logdet(a[:, :3] @ a[:, :3].T + m.eye(3, dtype=a.dtype))),
    ("inverse", lambda m, a, b: m.inverse(a[:, :3] @ a[:, :3].T + m.eye(3, dtype=a.dtype))),
    ("svd_S", lambda m, a, b: m.svd(a)[1]),
    ("pinverse", lambda m, a, b: m.pinverse(a)),
    ("matrix_power", lambda m, a, b: m.matrix_power(a[:, :3], 2)),
]


@pytest.mark.parametrize("name,fn", ALIASES, ids=[c[0] for c in ALIASES])
def test_top_level_aliases_match_torch(name, fn):
    a, b = RNG.standard_normal((3, 4)), RNG.standard_normal((3, 4))
    a[0, 1] = b[0, 0] = 0.0  # atan2 on an axis, hypot with a zero
    _grads_match(lambda x, y: fn(chainrule, x, y), lambda x, y: fn(torch, x, y), [a, b],
                 rtol=1e-9, atol=1e-10)


def test_constants_and_type_info():
    assert chainrule.inf == torch.inf and chainrule.pi == torch.pi and chainrule.e == torch.e
    assert np.isnan(chainrule.nan)
    for dt in ("float32", "float64", "float16"):
        assert repr(chainrule.finfo(getattr(chainrule, dt))) == repr(
            torch.finfo(getattr(torch, dt)))
        assert chainrule.finfo(getattr(chainrule, dt)).eps == torch.finfo(getattr(torch, dt)).eps
    assert chainrule.finfo().eps == torch.finfo().eps
    for dt in ("int64", "int32", "uint8"):
        assert repr(chainrule.iinfo(getattr(chainrule, dt))) == repr(
            torch.iinfo(getattr(torch, dt)))
        assert chainrule.iinfo(getattr(chainrule, dt)).max == torch.iinfo(getattr(torch, dt)).max
    x = RNG.standard_normal((4, 3))
    u, s, v = chainrule.svd(chainrule.tensor(x))
    np.testing.assert_allclose(((u * s) @ v.T).numpy(), x, atol=1e-12)
    np.testing.assert_array_equal(chainrule.argwhere(chainrule.tensor([[0, 1], [1, 0]])).numpy(),
                                  torch.argwhere(torch.tensor([[0, 1], [1, 0]])).numpy())
    with pytest.raises(AttributeError, match="not implemented in chainrule"):
        chainrule.no_such_function  # noqa: B018
