"""Every row of the op table against torch: forward (values, shape, dtype) in float32 and
float64, backward with a random upstream gradient in float64, finite-difference gradcheck and
gradgradcheck through chainrule's own checkers, Tensor-method forms, and op coverage."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import mutually_broadcastable_shapes
from op_table import NON_DIFFERENTIABLE, OP_TABLE, Const, Maker, OpRow, Sample

import chainrule
import chainrule.ops


def _samples(r: OpRow) -> list[Sample]:
    return r.samples(Maker(zlib.crc32(r.name.encode())))


CASES = [(r, i, s) for r in OP_TABLE for i, s in enumerate(_samples(r))]
IDS = [f"{r.name}[{i}]{'-' + s.desc if s.desc else ''}" for r, i, s in CASES]


def convert(lib, value, dtype: str, requires_grad: bool):
    """A sample value as a ``lib`` tensor (float arrays in ``dtype``) or passed through."""
    if isinstance(value, Const):
        return lib.tensor(value.array, dtype=getattr(lib, dtype))
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f":
            return lib.tensor(value, dtype=getattr(lib, dtype), requires_grad=requires_grad)
        return lib.tensor(value)
    return value


def run(lib, r: OpRow, s: Sample, dtype: str, requires_grad: bool):
    args = [convert(lib, a, dtype, requires_grad) for a in s.args]
    kwargs = {k: convert(lib, v, dtype, False) for k, v in s.kwargs.items()}
    return args, kwargs, flat(r.call(lib, args, kwargs))


def flat(out) -> list:
    if isinstance(out, (tuple, list)):
        return [o for item in out for o in flat(item)]
    return [out]


def to_numpy(t) -> np.ndarray:
    return t.detach().numpy(force=True)


def assert_same(ours, theirs, rtol: float, atol: float, what: str = "output") -> None:
    if not isinstance(theirs, torch.Tensor):
        assert not isinstance(ours, chainrule.Tensor), f"{what}: torch gave {type(theirs)}"
        assert ours == theirs, f"{what}: {ours!r} != {theirs!r}"
        return
    assert isinstance(ours, chainrule.Tensor), f"{what}: expected a Tensor, got {type(ours)}"
    assert tuple(ours.shape) == tuple(theirs.shape), f"{what} shape {ours.shape} vs {theirs.shape}"
    assert str(ours.dtype) == str(theirs.dtype), f"{what} dtype {ours.dtype} vs {theirs.dtype}"
    np.testing.assert_allclose(to_numpy(ours), to_numpy(theirs), rtol=rtol, atol=atol,
                               equal_nan=True, err_msg=what)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("r", "i", "s"), CASES, ids=IDS)
def test_forward(r: OpRow, i: int, s: Sample, dtype: str) -> None:
    if dtype not in r.dtypes:
        pytest.skip(f"{r.name} runs only in {r.dtypes}")
    _, _, theirs = run(torch, r, s, dtype, False)
    _, _, ours = run(chainrule, r, s, dtype, False)
    assert len(ours) == len(theirs), f"{len(ours)} outputs, torch gives {len(theirs)}"
    rtol, atol = (r.rtol32, r.atol32) if dtype == "float32" else (r.rtol64, r.atol64)
    for k, (o, t) in enumerate(zip(ours, theirs)):
        assert_same(o, t, rtol, atol, f"output {k}")
        if isinstance(o, chainrule.Tensor):
            assert not o.requires_grad, "no input requires grad, yet the output does"


def _as_int(value):
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        finite = np.where(np.isfinite(value), value, 0.0)
        return np.asarray(np.round(finite * 2), dtype=np.int64)
    if isinstance(value, Const):
        return _as_int(value.array)
    return value


# (topk orders ties arbitrarily in torch: integer samples have ties)
INT_CASES = [(r, i, s) for r, i, s in CASES if not r.name.startswith(("op.", "topk"))]


@pytest.mark.parametrize(("r", "i", "s"), INT_CASES, ids=[IDS[CASES.index(c)] for c in INT_CASES])
def test_forward_integer_inputs(r: OpRow, i: int, s: Sample) -> None:
    """With int64 inputs, chainrule gives torch's result dtype and values, or raises where
    torch raises (same exception type)."""
    args = [_as_int(a) for a in s.args]
    kwargs = {k: _as_int(v) for k, v in s.kwargs.items()}
    int_sample = Sample(tuple(args), kwargs)
    try:
        _, _, theirs = run(torch, r, int_sample, "float64", False)
    except Exception as e:  # noqa: BLE001 - any torch error must be matched
        with pytest.raises(type(e)):
            run(chainrule, r, int_sample, "float64", False)
        return
    _, _, ours = run(chainrule, r, int_sample, "float64", False)
    assert len(ours) == len(theirs)
    for k, (o, t) in enumerate(zip(ours, theirs)):
        assert_same(o, t, 1e-6, 1e-6, f"output {k}")


@pytest.mark.parametrize(("r", "i", "s"), CASES, ids=IDS)
def test_backward_float32(r: OpRow, i: int, s: Sample) -> None:
    """float32 in, float32 gradients out (no silent float64 upcast anywhere in backward)."""
    if not s.backward:
        pytest.skip("no gradient for this sample")
    t_args, _, t_out = run(torch, r, s, "float32", True)
    o_args, _, o_out = run(chainrule, r, s, "float32", True)
    diff = [k for k, t in enumerate(t_out) if isinstance(t, torch.Tensor) and t.requires_grad]
    if not diff:
        pytest.skip("torch gives no differentiable output")
    rng = np.random.default_rng(2)
    grads = [rng.standard_normal(tuple(t_out[k].shape)).astype(np.float32) for k in diff]
    torch.autograd.backward([t_out[k] for k in diff], [torch.from_numpy(g) for g in grads])
    chainrule.autograd.backward([o_out[k] for k in diff], [chainrule.tensor(g) for g in grads])
    for k, (o, t) in enumerate(zip(o_args, t_args)):
        if isinstance(t, torch.Tensor) and t.requires_grad and t.grad is not None:
            assert o.grad is not None, f"input {k}: no gradient"
            assert_same(o.grad, t.grad, 1e-4, 1e-4, f"float32 grad of input {k}")


@pytest.mark.parametrize("create_graph", [False, True], ids=["arrays", "create_graph"])
@pytest.mark.parametrize(("r", "i", "s"), CASES, ids=IDS)
def test_backward(r: OpRow, i: int, s: Sample, create_graph: bool) -> None:
    """Gradients equal torch's for every input. ``create_graph=True`` runs each op's Tensor
    ``backward`` (the reference that higher derivatives differentiate); without it the engine
    may take an op's raw-array fast path: both must agree with torch."""
    if not s.backward:
        pytest.skip("no gradient for this sample")
    t_args, _, t_out = run(torch, r, s, "float64", True)
    o_args, _, o_out = run(chainrule, r, s, "float64", True)
    diff = [k for k, t in enumerate(t_out) if isinstance(t, torch.Tensor) and t.requires_grad]
    if not diff:
        pytest.skip("torch gives no differentiable output")
    rng = np.random.default_rng(1)
    grads = [rng.standard_normal(tuple(t_out[k].shape)) for k in diff]
    for k in diff:
        assert o_out[k].requires_grad, f"output {k} should require grad"
        if t_out[k].grad_fn is not None:  # (torch returns some inputs as they are: +x)
            assert o_out[k].grad_fn is not None, f"output {k} has no grad_fn"
    torch.autograd.backward([t_out[k] for k in diff], [torch.from_numpy(g) for g in grads])
    chainrule.autograd.backward([o_out[k] for k in diff], [chainrule.tensor(g) for g in grads],
                                create_graph=create_graph)
    checked = 0
    for k, (o, t) in enumerate(zip(o_args, t_args)):
        if not (isinstance(t, torch.Tensor) and t.requires_grad):
            continue
        if t.grad is None:
            assert o.grad is None or not np.any(to_numpy(o.grad)), f"input {k}: torch has no grad"
            continue
        assert o.grad is not None, f"input {k}: no gradient (torch has one)"
        assert isinstance(o.grad._data, np.ndarray), "gradient data must be an ndarray"
        assert_same(o.grad, t.grad, r.grad_rtol, r.grad_atol, f"grad of input {k}")
        checked += 1
    assert checked or all(t.grad is None for t in t_args if isinstance(t, torch.Tensor))


def _checkable(r: OpRow, s: Sample):
    args, kwargs, out = run(chainrule, r, s, "float64", True)
    if not any(isinstance(o, chainrule.Tensor) and o.requires_grad for o in out):
        pytest.skip("no differentiable output")
    if not any(isinstance(a, chainrule.Tensor) and a.requires_grad and a.numel() for a in args):
        pytest.skip("no non-empty differentiable input")

    def fn(*inputs):
        outs = flat(r.call(chainrule, list(inputs), kwargs))
        return tuple(o for o in outs if isinstance(o, chainrule.Tensor) and o.requires_grad)

    return fn, args


GRADCHECK = [(r, i, s) for r, i, s in CASES if r.gradcheck and s.gradcheck and s.backward]


@pytest.mark.parametrize(("r", "i", "s"), GRADCHECK,
                         ids=[IDS[CASES.index(c)] for c in GRADCHECK])
def test_gradcheck(r: OpRow, i: int, s: Sample) -> None:
    fn, args = _checkable(r, s)
    assert chainrule.autograd.gradcheck(fn, tuple(args), eps=1e-6, atol=1e-6, rtol=1e-4)


GRADGRAD = [(r, i, s) for r, i, s in GRADCHECK if r.gradgradcheck]


@pytest.mark.parametrize(("r", "i", "s"), GRADGRAD, ids=[IDS[CASES.index(c)] for c in GRADGRAD])
def test_gradgradcheck(r: OpRow, i: int, s: Sample) -> None:
    fn, args = _checkable(r, s)
    assert chainrule.autograd.gradgradcheck(fn, tuple(args), eps=1e-6, atol=1e-5, rtol=1e-3)


METHODS = [(r, i, s) for r, i, s in CASES if r.method]


@pytest.mark.parametrize(("r", "i", "s"), METHODS, ids=[IDS[CASES.index(c)] for c in METHODS])
def test_method_form(r: OpRow, i: int, s: Sample) -> None:
    def call(lib):
        args = [convert(lib, a, "float64", False) for a in s.args]
        return flat(getattr(args[0], r.method)(*args[1:], **s.kwargs))

    theirs, ours = call(torch), call(chainrule)
    assert len(ours) == len(theirs)
    for k, (o, t) in enumerate(zip(ours, theirs)):
        assert_same(o, t, r.rtol64, r.atol64, f"method output {k}")


# -- coverage --------------------------------------------------------------------------------


def test_ops_all_is_complete() -> None:
    """``chainrule.ops.__all__`` lists exactly the public functions of its submodules."""
    names = set(chainrule.ops.__all__)
    for name in names:
        assert callable(getattr(chainrule.ops, name)), name
    assert len(names) == len(chainrule.ops.__all__), "duplicates in ops.__all__"


def test_every_differentiable_op_has_a_row() -> None:
    covered_names = {n for r in OP_TABLE for n in r.covers}
    unknown = covered_names - set(chainrule.ops.__all__) - {"getitem"}
    assert not unknown, f"rows cover names that are not public ops: {sorted(unknown)}"
    covered = {id(getattr(chainrule.ops, n)) for n in covered_names if n in
               chainrule.ops.__all__}
    missing = [n for n in chainrule.ops.__all__
               if n not in NON_DIFFERENTIABLE and id(getattr(chainrule.ops, n)) not in covered]
    assert not missing, f"differentiable ops without an op-table row: {sorted(missing)}"


def test_exclusions_are_current() -> None:
    stale = set(NON_DIFFERENTIABLE) - set(chainrule.ops.__all__)
    assert not stale, f"excluded ops that no longer exist: {sorted(stale)}"
    both = set(NON_DIFFERENTIABLE) & {n for r in OP_TABLE for n in r.covers}
    assert not both, f"ops both excluded and covered: {sorted(both)}"


def test_non_differentiable_ops_give_constant_results() -> None:
    x = chainrule.tensor([[0.5, -1.0], [2.0, 0.5]], requires_grad=True)
    for name in ("eq", "lt", "isclose"):
        assert not getattr(chainrule, name)(x, x).requires_grad
    for name in ("argmax", "argsort", "isnan", "signbit", "nonzero", "unique", "any"):
        out = getattr(chainrule, name)(x)
        assert not flat(out)[0].requires_grad, name


# -- hypothesis: broadcasting binary ops ---------------------------------------------------

BINARY = {
    "add": lambda m, a, b: m.add(a, b),
    "sub": lambda m, a, b: a - b,
    "mul": lambda m, a, b: m.mul(a, b),
    "div": lambda m, a, b: a / b,
    "pow": lambda m, a, b: m.pow(a, b),
    "maximum": lambda m, a, b: m.maximum(a, b),
    "minimum": lambda m, a, b: m.minimum(a, b),
    "atan2-like": lambda m, a, b: (a * b).sin() + b.exp() / (a * a + 1.0),
}


@settings(max_examples=30, deadline=None)
@given(
    name=st.sampled_from(sorted(BINARY)),
    shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3),
    seed=st.integers(0, 2**16),
)
def test_binary_broadcasting_matches_torch(name, shapes, seed) -> None:
    rng = np.random.default_rng(seed)
    sa, sb = shapes.input_shapes
    a = rng.uniform(0.5, 2.0, sa)
    b = rng.uniform(-2.0, 2.0, sb)
    if name in ("maximum", "minimum"):
        a = a - 1.25  # overlap the ranges; exact ties have probability zero
    fn = BINARY[name]
    ta, tb = (torch.tensor(v, requires_grad=True) for v in (a, b))
    oa, ob = (chainrule.tensor(v, requires_grad=True) for v in (a, b))
    t_out, o_out = fn(torch, ta, tb), fn(chainrule, oa, ob)
    assert tuple(o_out.shape) == tuple(t_out.shape) == shapes.result_shape
    np.testing.assert_allclose(to_numpy(o_out), to_numpy(t_out), rtol=1e-12, atol=1e-12)
    g = rng.standard_normal(shapes.result_shape)
    t_out.backward(torch.from_numpy(g))
    o_out.backward(chainrule.tensor(g))
    for o, t in ((oa, ta), (ob, tb)):
        assert tuple(o.grad.shape) == tuple(t.grad.shape)
        np.testing.assert_allclose(to_numpy(o.grad), to_numpy(t.grad), rtol=1e-10, atol=1e-12)
