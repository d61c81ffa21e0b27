"""Tensor constructors against torch: dtype inference, the *_like family, ranges, eye, the RNG
(determinism, generators, distributions), and the errors torch raises."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import chainrule


def same(ours, theirs) -> None:
    assert tuple(ours.shape) == tuple(theirs.shape), (ours.shape, theirs.shape)
    assert str(ours.dtype) == str(theirs.dtype), (ours.dtype, theirs.dtype)
    np.testing.assert_allclose(ours.numpy().astype(np.float64),
                               theirs.numpy().astype(np.float64), rtol=1e-6, atol=1e-7)


DATA = [
    1, 2.5, True, -3, [1, 2, 3], [1.0, 2, 3], [True, False], [[1, 2], [3, 4]],
    [[1.5], [2.0]], [], [[]], [1, 2.5], [True, 2], [True, 2.5], 0.1,
    np.array([1, 2], dtype=np.int32), np.array([1.5], dtype=np.float64),
    np.array([1.5], dtype=np.float16), np.array([1, 2], dtype=np.uint8),
    np.array([True]), np.float64(2.5), np.int64(3), np.float32(1.5),
    [np.float64(1.0), np.float64(2.0)], [np.int32(1), 2], (1, 2), ((1.0, 2.0), (3.0, 4.0)),
    np.zeros((2, 0)),
]


@pytest.mark.parametrize("data", DATA, ids=[repr(d)[:40] for d in DATA])
def test_tensor_infers_torchs_dtype(data) -> None:
    same(chainrule.tensor(data), torch.tensor(data))


def test_tensor_from_tensors_and_lists_of_tensors() -> None:
    same(chainrule.tensor([chainrule.tensor(1.5), chainrule.tensor(2.0)]),
         torch.tensor([torch.tensor(1.5), torch.tensor(2.0)]))
    src = chainrule.tensor([1.0, 2.0])
    copy = chainrule.tensor(src)
    copy[0] = 5.0
    assert src[0].item() == 1.0  # tensor() always copies


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32", "uint8", "bool",
                                   "float16", "int8", "int16"])
def test_tensor_with_dtype(dtype: str) -> None:
    same(chainrule.tensor([[0, 1], [2, 3]], dtype=getattr(chainrule, dtype)),
         torch.tensor([[0, 1], [2, 3]], dtype=getattr(torch, dtype)))
    same(chainrule.tensor(0.1, dtype=getattr(chainrule, dtype)),
         torch.tensor(0.1, dtype=getattr(torch, dtype)))


def test_tensor_float64_keeps_full_precision() -> None:
    assert chainrule.tensor(0.1, dtype=chainrule.float64).item() == 0.1
    assert chainrule.tensor([0.1], dtype=chainrule.float64).tolist() == [0.1]


def test_requires_grad_only_on_floating_tensors() -> None:
    for lib in (chainrule, torch):
        with pytest.raises(RuntimeError, match="Only Tensors of floating point and complex "
                                               "dtype can require gradients"):
            lib.tensor([[1, 2]], requires_grad=True)
        with pytest.raises(RuntimeError, match="nly Tensors of floating point"):
            lib.ones(2, dtype=lib.int64).requires_grad_()
    x = chainrule.tensor([[1.0, 2.0]], requires_grad=True)
    assert x.requires_grad and x.is_leaf and x.grad_fn is None


def test_as_tensor_and_from_numpy_share_memory() -> None:
    a = np.arange(4.0)
    t = chainrule.from_numpy(a)
    assert t.dtype == chainrule.float64
    a[0] = 10.0
    assert t[0].item() == 10.0  # NumPy -> tensor
    t[1] = 20.0
    assert a[1] == 20.0  # tensor -> NumPy
    t.add_(1.0)
    assert a[2] == 3.0
    t.numpy()[3] = -1.0
    assert a[3] == -1.0
    assert chainrule.as_tensor(a).numpy() is a or np.shares_memory(chainrule.as_tensor(a).numpy(),
                                                                    a)
    same(chainrule.as_tensor([1, 2]), torch.as_tensor([1, 2]))
    with pytest.raises(TypeError):
        chainrule.from_numpy([1, 2])


SHAPES = [(), (0,), (3,), (2, 3), (1, 2, 1)]


@pytest.mark.parametrize("shape", SHAPES)
def test_zeros_ones_full_empty(shape) -> None:
    for name in ("zeros", "ones"):
        if shape:
            same(getattr(chainrule, name)(*shape), getattr(torch, name)(*shape))
        same(getattr(chainrule, name)(shape), getattr(torch, name)(shape))
        same(getattr(chainrule, name)(shape, dtype=chainrule.int64),
             getattr(torch, name)(shape, dtype=torch.int64))
    same(chainrule.full(shape, 2.5), torch.full(shape, 2.5))
    same(chainrule.full(shape, 7), torch.full(shape, 7))
    same(chainrule.full(shape, True), torch.full(shape, True))
    e = chainrule.empty(*shape)
    assert tuple(e.shape) == shape and e.dtype == chainrule.float32


def test_like_functions() -> None:
    src_c = chainrule.ones(2, 3, dtype=chainrule.float64)
    src_t = torch.ones(2, 3, dtype=torch.float64)
    for name in ("zeros_like", "ones_like"):
        same(getattr(chainrule, name)(src_c), getattr(torch, name)(src_t))
        same(getattr(chainrule, name)(src_c, dtype=chainrule.int32),
             getattr(torch, name)(src_t, dtype=torch.int32))
    same(chainrule.full_like(src_c, 4), torch.full_like(src_t, 4))
    e = chainrule.empty_like(src_c)
    assert e.shape == src_c.shape and e.dtype == chainrule.float64
    r = chainrule.rand_like(src_c)
    assert r.shape == src_c.shape and r.dtype == chainrule.float64
    assert chainrule.randn_like(src_c).dtype == chainrule.float64
    ri = chainrule.randint_like(src_c, 5)
    assert ri.dtype == chainrule.float64 and 0 <= ri.min().item() and ri.max().item() < 5
    assert chainrule.zeros_like(src_c, requires_grad=True).requires_grad


ARANGE = [(5,), (2, 7), (1, 10, 3), (0, 1, 0.1), (1.0, 2.5, 0.5), (5, 0, -1), (0.5,),
          (-1, 1, 0.25), (0, 0), (10, 2, -3)]


@pytest.mark.parametrize("args", ARANGE, ids=[str(a) for a in ARANGE])
def test_arange(args) -> None:
    same(chainrule.arange(*args), torch.arange(*args))


def test_arange_dtype_and_errors() -> None:
    same(chainrule.arange(5, dtype=chainrule.float64), torch.arange(5, dtype=torch.float64))
    same(chainrule.arange(0, 1, 0.1, dtype=chainrule.float64),
         torch.arange(0, 1, 0.1, dtype=torch.float64))
    with pytest.raises(RuntimeError):
        chainrule.arange(0, 5, 0)


@pytest.mark.parametrize("args", [(0, 1, 5), (-2, 2, 1), (0, 10, 11), (3, -3, 4), (1, 1, 3),
                                  (0, 1, 0)])
def test_linspace(args) -> None:
    same(chainrule.linspace(*args), torch.linspace(*args))
    same(chainrule.linspace(*args, dtype=chainrule.float64),
         torch.linspace(*args, dtype=torch.float64))


def test_logspace_and_eye() -> None:
    same(chainrule.logspace(0, 2, 3), torch.logspace(0, 2, 3))
    for args in [(3,), (2, 4), (4, 2), (0,)]:
        same(chainrule.eye(*args), torch.eye(*args))
    same(chainrule.eye(3, dtype=chainrule.int64), torch.eye(3, dtype=torch.int64))


def test_tril_triu_indices() -> None:
    same(chainrule.tril_indices(3, 4), torch.tril_indices(3, 4))
    same(chainrule.triu_indices(4, 3, 1), torch.triu_indices(4, 3, 1))


# -- random numbers ----------------------------------------------------------------------------


def test_manual_seed_makes_runs_repeat() -> None:
    def draw():
        return (chainrule.rand(3).tolist(), chainrule.randn(2, 2).tolist(),
                chainrule.randint(0, 10, (5,)).tolist(), chainrule.randperm(6).tolist(),
                chainrule.normal(0.0, 1.0, (3,)).tolist(),
                chainrule.multinomial(chainrule.tensor([0.2, 0.3, 0.5]), 4, True).tolist())

    chainrule.manual_seed(123)
    first = draw()
    chainrule.manual_seed(123)
    assert draw() == first
    chainrule.manual_seed(124)
    assert draw() != first


def test_generator_objects_are_independent() -> None:
    g1 = chainrule.Generator().manual_seed(7)
    g2 = chainrule.Generator().manual_seed(7)
    a = chainrule.rand(4, generator=g1)
    chainrule.rand(100)  # the default generator does not disturb g2
    b = chainrule.rand(4, generator=g2)
    assert a.tolist() == b.tolist()
    assert g1.initial_seed() == 7
    state = g1.get_state()
    x = chainrule.randn(3, generator=g1)
    g1.set_state(state)
    assert chainrule.randn(3, generator=g1).tolist() == x.tolist()
    assert chainrule.initial_seed() == 0  # conftest seeds 0
    rng_state = chainrule.get_rng_state()
    y = chainrule.rand(2)
    chainrule.set_rng_state(rng_state)
    assert chainrule.rand(2).tolist() == y.tolist()


def test_random_shapes_dtypes_and_ranges() -> None:
    assert chainrule.rand(2, 3).dtype == chainrule.float32
    assert chainrule.rand((2, 3)).shape == (2, 3)
    assert chainrule.randn(4, dtype=chainrule.float64).dtype == chainrule.float64
    r = chainrule.rand(10000)
    assert 0.0 <= r.min().item() and r.max().item() < 1.0
    n = chainrule.randn(20000, dtype=chainrule.float64)
    assert abs(n.mean().item()) < 0.05 and abs(n.std().item() - 1.0) < 0.05
    ri = chainrule.randint(3, 8, (1000,))
    assert ri.dtype == chainrule.int64 and ri.min().item() == 3 and ri.max().item() == 7
    assert chainrule.randint(5, (3,)).shape == (3,)
    p = chainrule.randperm(10)
    assert p.dtype == chainrule.int64 and sorted(p.tolist()) == list(range(10))
    assert chainrule.rand(2, requires_grad=True).requires_grad


def test_normal_forms() -> None:
    m = chainrule.normal(chainrule.zeros(5000, dtype=chainrule.float64) + 3.0, 0.5)
    assert m.shape == (5000,) and m.dtype == chainrule.float64
    assert abs(m.mean().item() - 3.0) < 0.05 and abs(m.std().item() - 0.5) < 0.05
    s = chainrule.normal(2.0, chainrule.ones(3))
    assert s.shape == (3,) and s.dtype == chainrule.float32
    assert chainrule.normal(0.0, 1.0, size=(2, 2)).shape == (2, 2)


def test_multinomial() -> None:
    probs = chainrule.tensor([[0.0, 10.0, 1.0], [1.0, 0.0, 1.0]])
    draws = chainrule.multinomial(probs, 2)
    assert draws.dtype == chainrule.int64 and draws.shape == (2, 2)
    assert sorted(draws[0].tolist()) == [1, 2]  # without replacement: never a zero weight
    assert sorted(draws[1].tolist()) == [0, 2]
    with pytest.raises(RuntimeError):  # not enough categories with weight
        chainrule.multinomial(chainrule.tensor([0.0, 1.0, 0.0]), 2)
    many = chainrule.multinomial(chainrule.tensor([0.1, 0.9]), 5000, replacement=True)
    assert abs(many.float().mean().item() - 0.9) < 0.03
    assert probs.multinomial(1).shape == (2, 1)
    with pytest.raises(RuntimeError):
        chainrule.multinomial(chainrule.tensor([1.0, -1.0]), 1)


def test_bernoulli_and_inplace_random_fills() -> None:
    b = chainrule.bernoulli(chainrule.full((4000,), 0.25))
    assert b.dtype == chainrule.float32 and set(b.unique().tolist()) <= {0.0, 1.0}
    assert abs(b.mean().item() - 0.25) < 0.03
    t = chainrule.empty(3000)
    assert t.normal_(1.0, 2.0) is t
    assert abs(t.mean().item() - 1.0) < 0.15
    t.uniform_(-1.0, 3.0)
    assert -1.0 <= t.min().item() and t.max().item() < 3.0
    v = t._version
    t.bernoulli_(0.5)
    assert t._version > v  # random fills are in-place changes


# -- errors named as torch names them ----------------------------------------------------------


def test_broadcast_error_names_both_shapes() -> None:
    a, b = chainrule.ones(2, 3), chainrule.ones(4)
    with pytest.raises(RuntimeError, match=r"size of tensor a \(3\) must match the size of "
                                           r"tensor b \(4\) at non-singleton dimension 1"):
        a + b
    with pytest.raises(RuntimeError, match=r"\[2, 3\].*\[4\]"):
        a * b


def test_matmul_error_names_both_shapes() -> None:
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied "
                                           r"\(2x3 and 4x5\)"):
        chainrule.ones(2, 3) @ chainrule.ones(4, 5)
    with pytest.raises(RuntimeError, match="both arguments to matmul need to be at least 1D"):
        chainrule.ones(()) @ chainrule.ones(2)
    with pytest.raises(RuntimeError):
        chainrule.ones(3) @ chainrule.ones(4)
    with pytest.raises(RuntimeError, match=r"\(2x3\).*\(2\)|3.*2"):
        chainrule.ones(2, 3) @ chainrule.ones(2)


def test_ragged_and_bad_data() -> None:
    with pytest.raises(ValueError):
        chainrule.tensor([[1, 2], [3]])
    with pytest.raises((TypeError, ValueError)):
        chainrule.tensor("abc")
    with pytest.raises(TypeError):
        chainrule.tensor(object())
