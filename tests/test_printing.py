"""Tensor printing matches torch's ``repr``/``str`` character for character.

Every case builds the same NumPy array in both libraries and compares the strings, over edge
cases (nan/inf, -0., huge and tiny magnitudes, empty shapes, 0-d) and random tensors of many
shapes, dtypes and scales, under several print options.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import chainrule

_NP_TO_TORCH = {
    np.float32: torch.float32, np.float64: torch.float64, np.float16: torch.float16,
    np.int64: torch.int64, np.int32: torch.int32, np.int16: torch.int16, np.int8: torch.int8,
    np.uint8: torch.uint8, np.bool_: torch.bool, np.complex64: torch.complex64,
}


def _pair(a: np.ndarray):
    a = np.ascontiguousarray(a)
    return chainrule.from_numpy(a.copy()), torch.from_numpy(a.copy())


def _check(a: np.ndarray) -> None:
    ours, theirs = _pair(a)
    assert repr(ours) == repr(theirs), f"\nours:\n{ours!r}\ntorch:\n{theirs!r}"
    assert str(ours) == str(theirs)


@pytest.fixture(autouse=True)
def _reset_printoptions():
    yield
    torch.set_printoptions(profile="default")
    chainrule.set_printoptions(profile="default")


EDGE_CASES = [
    [1.0, 2.0, 3.0],
    [0.0, 0.0],
    [-0.0, 1.0],
    [-0.0],
    [0.1, 0.25, 100.0],
    [1e-5, 1.0],
    [1e-4, 1e-1],
    [123456789.0, 1.0],
    [1e8, 2.0],
    [1e9],
    [1e9, 2e9],
    [0.5, 600.0],
    [0.5, 499.0],
    [float("nan"), 1.0],
    [float("nan"), 1.5],
    [float("inf"), -float("inf"), 0.0],
    [float("inf"), 2.5],
    [float("nan")],
    [float("-inf"), 1e-7],
    [-1.0, -2.5, 3.0],
    [1.0 / 3.0, -2.0 / 3.0],
    [12345.678, 0.001],
    [3.0e-10, -3.0e10],
    [99999.99999],
    [1e15, 1.0, 0.0],
]


@pytest.mark.parametrize("values", EDGE_CASES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_edge_cases(values, dtype):
    _check(np.array(values, dtype=dtype))


@pytest.mark.parametrize(
    "value", [0.0, -0.0, 1.0, 2.5, 1e-7, 1e10, float("nan"), float("inf"), -3.25, 1e8]
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
def test_zero_dim(value, dtype):
    with np.errstate(over="ignore"):  # 1e10 overflows float16 to inf, as in torch
        _check(np.array(value).astype(dtype))


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.int16, np.int8, np.uint8])
def test_integers(dtype):
    info = np.iinfo(dtype)
    _check(np.array([0, 1, info.max, info.min, 7], dtype=dtype))
    _check(np.arange(24, dtype=dtype).reshape(2, 3, 4))
    _check(np.array(5, dtype=dtype))
    _check(np.arange(2000, dtype=dtype) % 100)


def test_large_ints_and_bools():
    _check(np.array([2**62, -(2**62), 3], dtype=np.int64))
    _check(np.array([True, False, True]))
    _check(np.array([[True], [True]]))
    _check(np.array(True))
    _check(np.random.rand(40, 40) > 0.5)


@pytest.mark.parametrize(
    "shape", [(0,), (0, 3), (2, 0), (3, 0, 2), (1, 0)]
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, np.int32, np.bool_])
def test_empty(shape, dtype):
    _check(np.zeros(shape, dtype=dtype))


def test_float16_and_complex():
    _check(np.array([1.5, 2.25, 65504.0], dtype=np.float16))
    _check(np.array([1 + 2j, -0.5 - 1j, 3j], dtype=np.complex64))
    _check(np.array([[1 - 0j, 2.5 + 1e-6j]], dtype=np.complex64))
    _check(np.array(1 + 1j, dtype=np.complex64))


SHAPES = [(), (1,), (5,), (3, 4), (2, 3, 4), (2, 1, 3, 2), (30,), (7, 13), (1001,), (40, 30),
          (11, 12, 13), (3, 400), (2000, 2), (5, 5, 5, 10)]
SCALES = [1.0, 1e-3, 1e3, 1e5, 1e-6, 1e9]


@pytest.mark.parametrize("shape", SHAPES)
def test_random_tensors(shape):
    rng = np.random.default_rng(abs(hash(shape)) % 2**32)
    for scale in SCALES:
        for dtype in (np.float32, np.float64):
            _check((rng.standard_normal(shape) * scale).astype(dtype))
        _check(np.round(rng.standard_normal(shape) * scale).astype(np.float32))
    _check(rng.integers(-1000, 1000, shape).astype(np.int64))


def test_line_wrapping_and_nesting():
    _check(np.linspace(-1, 1, 50, dtype=np.float32))
    _check(np.arange(100, dtype=np.float32).reshape(2, 5, 10) / 7)
    _check(np.arange(120, dtype=np.int64).reshape(2, 3, 4, 5))
    _check(np.arange(30, dtype=np.float32) * 1e6)


def test_summarization():
    _check(np.arange(1001, dtype=np.float32))
    _check(np.arange(10000, dtype=np.float32).reshape(100, 100) / 3)
    _check(np.arange(3000, dtype=np.int64).reshape(10, 10, 30))
    _check(np.arange(2000, dtype=np.float64).reshape(1000, 2))


OPTIONS = [
    dict(precision=2),
    dict(precision=8),
    dict(sci_mode=True),
    dict(sci_mode=False),
    dict(threshold=5),
    dict(threshold=5, edgeitems=1),
    dict(threshold=5, edgeitems=0),
    dict(edgeitems=0),
    dict(linewidth=40),
    dict(linewidth=200),
    dict(profile="short"),
    dict(profile="full"),
    dict(profile="short", precision=6),
]


@pytest.mark.parametrize("options", OPTIONS, ids=[str(o) for o in OPTIONS])
def test_printoptions(options):
    torch.set_printoptions(**options)
    chainrule.set_printoptions(**options)
    rng = np.random.default_rng(1)
    _check(rng.standard_normal((4, 5)).astype(np.float32))
    _check(np.arange(20, dtype=np.float32))
    _check(np.arange(20, dtype=np.int64).reshape(4, 5))
    _check(np.array([1e-6, 1.0, 1e6], dtype=np.float32))
    _check(np.array([1.0, 2.0], dtype=np.float32))
    _check(np.array(3.14159, dtype=np.float64))
    if options.get("profile") != "full":
        _check(rng.standard_normal((40, 40)).astype(np.float32))


def test_requires_grad_and_grad_fn():
    a = np.array([[0.5, -1.25], [2.0, 3.0]], dtype=np.float32)
    ours = chainrule.tensor(a, requires_grad=True)
    theirs = torch.tensor(a, requires_grad=True)
    assert repr(ours) == repr(theirs)
    cases = [
        (lambda t, m: t * 2, "mul"),
        (lambda t, m: t + 1, "add"),
        (lambda t, m: t.sum(), "sum"),
        (lambda t, m: t.mean(), "mean"),
        (lambda t, m: t @ t, "matmul"),
        (lambda t, m: t.exp(), "exp"),
        (lambda t, m: t.double(), "double"),
    ]
    for fn, label in cases:
        r_ours, r_theirs = repr(fn(ours, chainrule)), repr(fn(theirs, torch))
        assert r_ours == r_theirs, f"{label}:\n{r_ours}\n{r_theirs}"
    dbl = np.arange(6, dtype=np.float64).reshape(2, 3)
    assert repr(chainrule.tensor(dbl, requires_grad=True)) == repr(
        torch.tensor(dbl, requires_grad=True)
    )


def test_grad_fn_names_of_nn_functional():
    F = chainrule.nn.functional
    if not all(hasattr(F, n) for n in ("mse_loss", "relu", "cross_entropy")):
        pytest.skip("chainrule.nn.functional not built yet")
    a = np.array([[0.5, -1.25], [2.0, 3.0]], dtype=np.float32)
    ours = chainrule.tensor(a, requires_grad=True)
    theirs = torch.tensor(a, requires_grad=True)
    target = np.array([1, 0])
    cases = [
        lambda t, m: m.nn.functional.mse_loss(t, t.detach() * 0),
        lambda t, m: m.nn.functional.relu(t),
        lambda t, m: m.nn.functional.cross_entropy(t, m.tensor(target)),
    ]
    for fn in cases:
        assert repr(fn(ours, chainrule)) == repr(fn(theirs, torch))


def test_suffix_wraps_past_linewidth():
    a = (np.arange(16, dtype=np.float64).reshape(2, 8) + 0.123456) * 1000
    _check(a)
    ours = chainrule.tensor(a, requires_grad=True) * 2
    theirs = torch.tensor(a, requires_grad=True) * 2
    assert repr(ours) == repr(theirs)
    b = np.arange(7, dtype=np.float64) + 0.5
    ours = chainrule.tensor(b, requires_grad=True) * 2
    theirs = torch.tensor(b, requires_grad=True) * 2
    assert repr(ours) == repr(theirs)


def test_format_zero_dim():
    for value in (0.123456, 2.0, -1e-9):
        ours, theirs = chainrule.tensor(value), torch.tensor(value)
        for spec in (".4f", ".2e", "", "8.3f", "g"):
            assert f"{ours:{spec}}" == f"{theirs:{spec}}"
    assert f"{chainrule.tensor(3)}" == f"{torch.tensor(3)}"
    assert f"{chainrule.tensor([1.0, 2.0])}" == f"{torch.tensor([1.0, 2.0])}"


def test_size_dtype_device_reprs():
    assert repr(chainrule.zeros(2, 3).shape) == repr(torch.zeros(2, 3).shape)
    assert str(chainrule.zeros(2, 3).size()) == str(torch.zeros(2, 3).size())
    assert repr(chainrule.zeros(()).shape) == repr(torch.zeros(()).shape)
    for name in ("float32", "float64", "int64", "bool", "uint8", "float16"):
        assert repr(getattr(chainrule, name)) == repr(getattr(torch, name))
        assert str(getattr(chainrule, name)) == str(getattr(torch, name))
    assert repr(chainrule.device("cpu")) == repr(torch.device("cpu"))
    assert str(chainrule.device("cpu")) == str(torch.device("cpu"))
    assert repr(chainrule.zeros(1).device) == repr(torch.zeros(1).device)
    assert repr(chainrule.device("cuda:0")) == repr(torch.device("cuda:0"))


def test_default_dtype_float64_changes_suffixes():
    chainrule.set_default_dtype(chainrule.float64)
    torch.set_default_dtype(torch.float64)
    try:
        _check(np.array([1.5, 2.0], dtype=np.float64))
        _check(np.array([1.5, 2.0], dtype=np.float32))
        _check(np.zeros((0, 2), dtype=np.float32))
        _check(np.array([1 + 1j], dtype=np.complex64))
    finally:
        torch.set_default_dtype(torch.float32)
        chainrule.set_default_dtype(chainrule.float32)


def test_printoptions_context_and_get():
    from chainrule._printing import get_printoptions, printoptions

    with printoptions(precision=1):
        assert repr(chainrule.tensor([1.25])) == "tensor([1.2])"
    assert get_printoptions()["precision"] == 4
    assert repr(chainrule.tensor([1.25])) == "tensor([1.2500])"


def test_parameter_and_module_reprs():
    nn = pytest.importorskip("chainrule.nn")
    if not hasattr(nn, "Parameter") or not hasattr(nn, "Linear"):
        pytest.skip("chainrule.nn not built yet")
    a = np.array([[0.5, -1.0]], dtype=np.float32)
    assert repr(nn.Parameter(chainrule.tensor(a))) == repr(torch.nn.Parameter(torch.tensor(a)))
    assert str(nn.Parameter(chainrule.tensor(a))) == str(torch.nn.Parameter(torch.tensor(a)))
    def build(m):
        return m.Sequential(m.Linear(3, 4), m.ReLU(), m.Dropout(0.1), m.Linear(4, 1, bias=False))

    assert repr(build(nn)) == repr(build(torch.nn))
