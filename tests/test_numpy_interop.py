"""NumPy interop with torch's semantics: shared memory, ``__array__``, ufuncs, and the result
dtypes of arithmetic mixing tensors with NumPy scalars and arrays (compared with torch)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import chainrule


def test_numpy_and_from_numpy_share_memory_both_ways():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    t = chainrule.from_numpy(a)
    a[0, 0] = 100.0
    assert t[0, 0].item() == 100.0
    t.add_(1)
    assert a[1, 2] == 6.0
    back = t.numpy()
    back[1, 1] = -5.0
    assert t[1, 1].item() == -5.0 and a[1, 1] == -5.0
    x = chainrule.ones(3)
    x.numpy()[0] = 7.0
    assert x[0].item() == 7.0
    assert chainrule.from_numpy(np.ones(2, np.int32)).dtype == chainrule.int32
    with pytest.raises(RuntimeError, match="detach"):
        chainrule.ones(2, requires_grad=True).numpy()
    np.testing.assert_array_equal(chainrule.ones(2, requires_grad=True).detach().numpy(), [1, 1])


def test_array_protocol_and_matplotlib():
    t = chainrule.linspace(0, 1, 5)
    a = np.asarray(t)
    assert a.dtype == np.float32 and a.shape == (5,)
    assert np.shares_memory(a, t.numpy())
    assert np.array(t, dtype=np.float64).dtype == np.float64
    assert np.asarray(chainrule.tensor(3.0)).shape == ()
    with pytest.raises(RuntimeError, match="requires grad"):
        np.asarray(chainrule.ones(2, requires_grad=True))
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    (line,) = ax.plot(t, t * t)
    np.testing.assert_allclose(line.get_ydata(), (np.linspace(0, 1, 5) ** 2), rtol=1e-6)
    ax.scatter(chainrule.arange(3), chainrule.ones(3))
    ax.hist(chainrule.randn(50), bins=5)
    plt.close(fig)


CASES = {
    "f32 * np.float64": lambda m: m.ones(2) * np.float64(2),
    "np.float64 * f32": lambda m: np.float64(2) * m.ones(2),
    "f32 * np.float32": lambda m: m.ones(2) * np.float32(2),
    "i64 * np.float64": lambda m: m.ones(2, dtype=m.int64) * np.float64(2.5),
    "i64 * np.int32": lambda m: m.ones(2, dtype=m.int64) * np.int32(2),
    "i32 * np.int64": lambda m: m.ones(2, dtype=m.int32) * np.int64(2),
    "i64 / np.int64": lambda m: m.ones(2, dtype=m.int64) / np.int64(2),
    "f16 * np.int64": lambda m: np.int64(3) * m.ones(2, dtype=m.float16),
    "f64 * np.float32": lambda m: m.ones(2, dtype=m.float64) * np.float32(2),
    "0-d f32 + np.float64": lambda m: m.tensor(1.0) + np.float64(1),
    "np.float64 + 0-d f32": lambda m: np.float64(2) + m.tensor(1.0),
    "np.float32 * 0-d i64": lambda m: np.float32(1.5) * m.tensor(2),
    "f32 - np.float64": lambda m: m.ones(2) - np.float64(0.5),
    "np.float64 - f32": lambda m: np.float64(0.5) - m.ones(2),
    "np.float64 / f32": lambda m: np.float64(1) / m.ones(2),
    "f32 ** np.float64": lambda m: m.ones(2) ** np.float64(2),
    "f32 > np.float64": lambda m: m.ones(2) > np.float64(0.5),
    "clamp(np.float64)": lambda m: m.ones(2).clamp(np.float64(0), np.float64(0.5)),
    "where(.., np.float64)": lambda m: m.where(m.ones(2) > 0, m.ones(2), np.float64(0)),
    "f32 + f64 array": lambda m: m.ones(2) + np.array([1.0, 2.0]),
    "i32 * i64 array": lambda m: m.ones(2, dtype=m.int32) * np.array([1, 2]),
    "0-d f32 * f64 array": lambda m: m.tensor(2.0) * np.array([1.0, 2.0]),
    "f32 + f32 array": lambda m: m.ones(2) + np.array([1.0, 2.0], dtype=np.float32),
    "np.exp(t)": lambda m: np.exp(m.ones(2)),
    "np.sqrt(int t)": lambda m: np.sqrt(m.arange(3)),
    "np.maximum(t, 0)": lambda m: np.maximum(m.ones(2), 0),
    "np.add.reduce(t)": lambda m: np.add.reduce(m.ones(3)),
    "np.stack([t, t])": lambda m: np.stack([m.ones(2), m.zeros(2)]),
    "np.concatenate": lambda m: np.concatenate([m.ones(2), m.ones(1)]),
    "np.where(bool t)": lambda m: np.where(m.tensor([True, False]), 1, 0),
    "tensor(np.float64)": lambda m: m.tensor(np.float64(1.5)),
    "tensor([np.float32])": lambda m: m.tensor([np.float32(1.5), np.float32(2)]),
    "tensor(np.int32 array)": lambda m: m.tensor(np.array([1, 2], dtype=np.int32)),
    "as_tensor(np)": lambda m: m.as_tensor(np.ones(2, np.int16)),
    "Tensor(int array)": lambda m: m.Tensor(np.array([1, 2])),
    "index np.int64": lambda m: m.arange(5)[np.int64(2)],
    "index int array": lambda m: m.arange(5)[np.array([0, 2])],
    "index bool array": lambda m: m.arange(3)[np.array([True, False, True])],
    "float(t)": lambda m: float(m.tensor([2.5])),
    "np.array([0-d, 0-d])": lambda m: np.array([m.tensor(1.0), m.tensor(2.0)]),
    "np.float64 * requires_grad": lambda m: np.float64(2) * m.ones(2, requires_grad=True),
}


def _describe(value, lib):
    if isinstance(value, lib.Tensor):
        return ("tensor", str(value.dtype), tuple(value.shape),
                np.asarray(value.detach()).tolist())
    if isinstance(value, np.ndarray):
        return ("ndarray", str(value.dtype), value.shape, value.tolist())
    if isinstance(value, np.generic):
        return ("np scalar", str(value.dtype), value.item())
    return (type(value).__name__, value)


@pytest.mark.parametrize("name", list(CASES))
def test_mixed_arithmetic_matches_torch(name):
    fn = CASES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's own __array_wrap__ DeprecationWarning
        theirs = _describe(fn(torch), torch)
    assert _describe(fn(chainrule), chainrule) == theirs


def test_ndarray_on_the_left_gives_a_tensor():
    # torch 2.13 with NumPy 2 raises a TypeError here; chainrule returns what t + a gives.
    t = chainrule.tensor([1.0, 2.0])
    for a in (np.array([1.0, 2.0]), np.array([1, 2])):
        for result, expected in ((a + t, t + a), (a * t, t * a), (a - t, -(t - a)),
                                 (a / t, 1 / (t / a))):
            assert isinstance(result, chainrule.Tensor)
            assert result.dtype == expected.dtype
            np.testing.assert_allclose(result.numpy(), expected.numpy())
    assert (np.ones((2, 2)) @ chainrule.ones(2, 2)).dtype == chainrule.float64
    assert (np.array([1.0, 2.0]) < t).dtype == chainrule.bool


def test_numpy_operands_keep_the_graph():
    x = chainrule.ones(2, requires_grad=True)
    y = np.array([1.0, 2.0], dtype=np.float32) * x + np.float64(3) * x
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [4.0, 5.0])
    with pytest.raises(RuntimeError, match="requires grad"):
        np.exp(chainrule.ones(2, requires_grad=True))
