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


from namespace_helpers import _grads_match, _spd  # noqa: E402,F401


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
