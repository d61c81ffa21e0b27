"""The less common torch.* functions (chainrule.ops.extra_*) against torch 2.13 in float64:
values, shapes, dtypes, every input gradient with a random upstream gradient, gradcheck on
small inputs, tie/NaN/edge rules and error types."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import chainrule
from chainrule.autograd import gradcheck, gradgradcheck

RNG = np.random.default_rng(1234)


def _lib_tensor(lib, value, requires_grad):
    if isinstance(value, np.ndarray):
        rg = requires_grad and value.dtype.kind == "f"
        return lib.tensor(value, requires_grad=rg)
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], np.ndarray):
        return type(value)(_lib_tensor(lib, v, requires_grad) for v in value)
    return value


def _flat(out):
    if isinstance(out, (tuple, list)):
        return [o for item in out for o in _flat(item)]
    return [out]


def _np(t):
    return t.detach().numpy()


def compare(ours_fn, torch_fn, *args, grad: bool = True, rtol: float = 1e-10,
            atol: float = 1e-12, **kwargs):
    """Runs both on copies of ``args`` (float arrays become leaf tensors needing grad), checks
    every output's shape, dtype and values, then every input gradient for a random upstream
    gradient on the float outputs."""
    ours_in = [_lib_tensor(chainrule, a, grad) for a in args]
    theirs_in = [_lib_tensor(torch, a, grad) for a in args]
    ours = _flat(ours_fn(*ours_in, **kwargs))
    theirs = _flat(torch_fn(*theirs_in, **kwargs))
    assert len(ours) == len(theirs)
    for k, (o, t) in enumerate(zip(ours, theirs)):
        if not isinstance(t, torch.Tensor):
            assert o == t, f"output {k}: {o!r} != {t!r}"
            continue
        assert isinstance(o, chainrule.Tensor), f"output {k} is {type(o)}"
        assert tuple(o.shape) == tuple(t.shape), f"output {k}: {o.shape} vs {t.shape}"
        assert str(o.dtype) == str(t.dtype), f"output {k}: {o.dtype} vs {t.dtype}"
        np.testing.assert_allclose(_np(o), _np(t), rtol=rtol, atol=atol, equal_nan=True,
                                   err_msg=f"output {k}")
    if not grad:
        return ours
    pairs = [(o, t) for o, t in zip(ours, theirs)
             if isinstance(t, torch.Tensor) and t.requires_grad]
    if not pairs:
        return ours
    upstream = [RNG.standard_normal(t.shape) for _, t in pairs]
    torch.autograd.backward([t for _, t in pairs],
                            [torch.tensor(u, dtype=t.dtype) for u, (_, t) in zip(upstream, pairs)])
    chainrule.autograd.backward([o for o, _ in pairs],
                                [chainrule.tensor(u, dtype=o.dtype)
                                 for u, (o, _) in zip(upstream, pairs)])
    leaves = [(o, t) for o, t in zip(_flat(ours_in), _flat(theirs_in))
              if isinstance(t, torch.Tensor) and t.requires_grad]
    for k, (o, t) in enumerate(leaves):
        if t.grad is None:
            assert o.grad is None or not np.any(_np(o.grad)), f"input {k}: grad vs None"
            continue
        assert o.grad is not None, f"input {k}: no gradient"
        np.testing.assert_allclose(_np(o.grad), _np(t.grad), rtol=1e-9, atol=1e-11,
                                   equal_nan=True, err_msg=f"grad of input {k}")
    return ours


def randn(*shape):
    return RNG.standard_normal(shape)


def leaf(array):
    return chainrule.tensor(array, requires_grad=True)


# -- cummax / cummin ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["cummax", "cummin"])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cum_extreme_values_indices_grads(name, dim):
    compare(getattr(chainrule, name), getattr(torch, name), randn(3, 5), dim)


@pytest.mark.parametrize("name", ["cummax", "cummin"])
def test_cum_extreme_ties_nan_ints_and_scalars(name):
    x = np.array([1.0, 3, 3, 2, 5, 5, np.nan, 4, np.nan, 7])
    compare(getattr(chainrule, name), getattr(torch, name), x, 0)
    # ties: the gradient goes to the last index holding the running extreme
    ties = np.array([[2.0, 2, 1, 1, 3, 3], [0, 0, 0, 0, 0, 0]])
    compare(getattr(chainrule, name), getattr(torch, name), ties, 1)
    ints = np.array([1, 3, 3, 2, 5, 5, 0])
    compare(getattr(chainrule, name), getattr(torch, name), ints, 0, grad=False)
    compare(getattr(chainrule, name), getattr(torch, name), np.array(3.0), 0)
    compare(getattr(chainrule, name), getattr(torch, name), np.zeros((0, 3)), 0)
    r = getattr(chainrule.tensor([1.0, 2.0]), name)(0)
    assert type(r).__name__ == name and r.values.shape == (2,)
    assert gradcheck(lambda t: getattr(chainrule, name)(t, 1).values, (leaf(randn(2, 4)),))


# -- logcumsumexp -------------------------------------------------------------------------------


@pytest.mark.parametrize("dim", [0, 1])
def test_logcumsumexp(dim):
    compare(chainrule.logcumsumexp, torch.logcumsumexp, randn(4, 6) * 30, dim)
    compare(chainrule.logcumsumexp, torch.logcumsumexp, np.array([[1000.0, -1000, 5, 0]]), dim)
    x = leaf(randn(3, 4))
    assert gradcheck(lambda t: chainrule.logcumsumexp(t, 1), (x,))
    assert gradgradcheck(lambda t: chainrule.logcumsumexp(t, 1), (x,))


def test_logcumsumexp_dtype_and_method_and_neg_inf():
    out = chainrule.tensor([1.0, 2, 3]).logcumsumexp(0)
    assert out.dtype == chainrule.float32
    np.testing.assert_allclose(out.numpy(), torch.tensor([1.0, 2, 3]).logcumsumexp(0).numpy(),
                               rtol=1e-6)
    with pytest.raises(NotImplementedError, match="not implemented for 'Long'"):
        chainrule.tensor([1, 2]).logcumsumexp(0)
    # masked (-inf) entries: torch gives NaN gradients there, chainrule the limit 0
    x = leaf(np.array([-np.inf, -np.inf, 1.0, 2.0, -np.inf, 3.0]))
    chainrule.logcumsumexp(x, 0).backward(chainrule.tensor(randn(6)))
    t = torch.tensor(x.detach().numpy(), requires_grad=True)
    g = torch.tensor(randn(6))
    torch.logcumsumexp(t, 0).backward(g)
    finite = np.isfinite(t.detach().numpy())
    assert not np.isnan(x.grad.numpy()).any()
    assert np.all(x.grad.numpy()[~finite] == 0)


# -- quantile / nanquantile / nanmedian ---------------------------------------------------------

MODES = ["linear", "lower", "higher", "midpoint", "nearest"]


@pytest.mark.parametrize("fn", ["quantile", "nanquantile"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("dim", "keepdim"), [(None, False), (None, True), (0, False),
                                             (1, True), (-1, False)])
def test_quantile_modes_dims(fn, mode, dim, keepdim):
    x = randn(3, 5, 4)
    x[0, 1, 2] = np.nan
    q = np.array([0.0, 0.25, 0.5, 1 / 6, 0.7, 1.0])
    compare(getattr(chainrule, fn), getattr(torch, fn), x, q, dim=dim, keepdim=keepdim,
            interpolation=mode)
    compare(getattr(chainrule, fn), getattr(torch, fn), x, 0.3, dim=dim, keepdim=keepdim,
            interpolation=mode)


def test_quantile_edge_cases_and_errors():
    compare(chainrule.quantile, torch.quantile, np.array(3.0), 0.5)
    compare(chainrule.quantile, torch.quantile, np.array(3.0), 0.5, dim=0, keepdim=True)
    compare(chainrule.quantile, torch.quantile, np.array([1.0, 2.0, 2.0, 7.0]),
            np.array(0.5))
    # float32: ranks and the lerp run in float32
    x32 = randn(7, 3).astype(np.float32)
    a = chainrule.quantile(chainrule.tensor(x32), 0.37, dim=0)
    b = torch.quantile(torch.tensor(x32), 0.37, dim=0)
    assert a.dtype == chainrule.float32
    np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6, atol=1e-6)
    x = chainrule.tensor([[1.0, 2.0]])
    cases = [
        (lambda: chainrule.quantile(x, 1.5), "q must be in the range"),
        (lambda: chainrule.quantile(x, chainrule.tensor([0.5, -1.0], dtype=chainrule.float32)),
         "q values must be in the range"),
        (lambda: chainrule.quantile(x.long(), 0.5), "float or double"),
        (lambda: chainrule.quantile(x, chainrule.tensor(0.5, dtype=chainrule.float64)),
         "same dtype"),
        (lambda: chainrule.quantile(x, 0.5, interpolation="foo"), "interpolation must be"),
        (lambda: chainrule.quantile(chainrule.zeros(0), 0.5), "non-empty"),
        (lambda: chainrule.quantile(x, chainrule.tensor([[0.5]])), "scalar or 1D"),
    ]
    for call, message in cases:
        with pytest.raises(RuntimeError, match=message):
            call()
    assert gradcheck(lambda t: chainrule.quantile(t, chainrule.tensor([0.3, 0.8],
                                                                      dtype=chainrule.float64),
                                                  dim=1), (leaf(randn(2, 5)),))


def test_nanquantile_all_nan_slice():
    # which NaN an all-NaN slice's gradient lands on is a sort artifact: values only there
    x = np.array([[np.nan, np.nan], [1.0, np.nan]])
    compare(chainrule.nanquantile, torch.nanquantile, x, 0.3, dim=1, grad=False)
    compare(chainrule.quantile, torch.quantile, x, 0.3, dim=1, grad=False)
    compare(chainrule.nanquantile, torch.nanquantile, np.array([[2.0, np.nan, 1.0]]), 0.3,
            dim=1)


def test_nanmedian():
    b = np.array([[1.0, np.nan, 3, 4], [2, 1, np.nan, np.nan], [5, 6, 7, 8.5]])
    compare(chainrule.nanmedian, torch.nanmedian, b)
    compare(chainrule.nanmedian, torch.nanmedian, b, 1)
    compare(chainrule.nanmedian, torch.nanmedian, b, 1, keepdim=True)
    compare(chainrule.nanmedian, torch.nanmedian, b.T.copy(), 0)
    compare(chainrule.nanmedian, torch.nanmedian, np.array(2.0), 0)
    compare(chainrule.nanmedian, torch.nanmedian, np.array([1.0, 2.0, 2.0, 5.0]))  # tie split
    compare(chainrule.nanmedian, torch.nanmedian, np.array([1, 2, 3]), grad=False)
    # an all-NaN row: NaN (torch's index there is an artifact of its selection algorithm)
    v = chainrule.nanmedian(chainrule.tensor([[np.nan, np.nan, np.nan]]), 1)
    assert np.isnan(v.values.item()) and type(v).__name__ == "nanmedian"
    with pytest.raises(IndexError, match="non-zero size"):
        chainrule.nanmedian(chainrule.zeros(2, 0), 1)
    assert chainrule.tensor([3.0, np.nan, 1.0]).nanmedian().item() == 1.0


# -- elementwise --------------------------------------------------------------------------------


def test_gcd_lcm_and_shifts():
    a, b = np.array([-4, 6, 0, 9, 12]), np.array([6, -4, 0, 3, 18])
    for name in ("gcd", "lcm"):
        compare(getattr(chainrule, name), getattr(torch, name), a, b, grad=False)
        compare(getattr(chainrule, name), getattr(torch, name), a.astype(np.int32), b,
                grad=False)
        with pytest.raises(NotImplementedError, match=f'"{name}_cpu" not implemented'):
            getattr(chainrule, name)(chainrule.tensor([1.0]), chainrule.tensor([2.0]))
        with pytest.raises(TypeError):
            getattr(chainrule, name)(chainrule.tensor([1]), 3)
    x = chainrule.tensor([4, 6])
    assert x.gcd_(chainrule.tensor([6, 4])) is x and x.tolist() == [2, 2]
    i = np.array([1, -8, 3])
    compare(chainrule.bitwise_left_shift, torch.bitwise_left_shift, i, np.array([1, 64, 70]),
            grad=False)
    compare(chainrule.bitwise_right_shift, torch.bitwise_right_shift, i, np.array([1, 64, -1]),
            grad=False)
    compare(chainrule.bitwise_left_shift, torch.bitwise_left_shift, i, 2, grad=False)
    compare(chainrule.bitwise_left_shift, torch.bitwise_left_shift,
            np.array([1, 2, 3], dtype=np.uint8), 9, grad=False)
    compare(chainrule.bitwise_left_shift, torch.bitwise_left_shift, 3, i, grad=False)
    with pytest.raises(NotImplementedError, match="lshift_cpu"):
        chainrule.bitwise_left_shift(chainrule.tensor([1.0]), 1)


def test_float_power_copysign_ldexp_nextafter_frexp():
    x, y = randn(3, 4), randn(3, 4)
    compare(chainrule.float_power, torch.float_power, x, y)
    compare(chainrule.float_power, torch.float_power, x, 2)
    compare(chainrule.float_power, torch.float_power, 2.0, x)
    compare(chainrule.float_power, torch.float_power, np.array([-4, 6, 0]), -1, grad=False)
    x32 = chainrule.tensor([1.5, 2.0], requires_grad=True)
    out = chainrule.float_power(x32, 2)
    out.backward(chainrule.ones(2, dtype=chainrule.float64))
    assert out.dtype == chainrule.float64 and x32.grad.dtype == chainrule.float32
    compare(chainrule.copysign, torch.copysign, np.array([1.0, -2, 0, 3]),
            np.array([5.0, 1, -1, -2]))
    compare(chainrule.copysign, torch.copysign, x, y[0])
    compare(chainrule.copysign, torch.copysign, np.array([-4, 6]), -1, grad=False)
    compare(chainrule.copysign, torch.copysign, np.array([1.0, 2.0]), np.array([-0.0, -np.nan]))
    compare(chainrule.ldexp, torch.ldexp, x, np.array([1, 2, 3, 0]))
    compare(chainrule.ldexp, torch.ldexp, x, np.array([1.0, 2, 3, -4]))
    # torch's gradient for a negative *integer* exponent is 0 (it evaluates 2 ** e in integers
    # in backward); chainrule gives 2 ** e: values only here
    compare(chainrule.ldexp, torch.ldexp, x, np.array([1, 2, 3, -4]), grad=False)
    compare(chainrule.ldexp, torch.ldexp, np.array([-4, 6]), np.array(3), grad=False)
    compare(chainrule.nextafter, torch.nextafter, x, y)
    compare(chainrule.frexp, torch.frexp, np.array([1.0, -2, 0, 3, 0.3, np.inf]))
    # torch's backward evaluates 2 ** e in float32 (inf gradient for tiny inputs): values only
    compare(chainrule.frexp, torch.frexp, np.array([1e-300, -3e-310]), grad=False)
    with pytest.raises(RuntimeError, match="floating-point"):
        chainrule.frexp(chainrule.tensor([1, 2]))
    assert gradcheck(lambda a, b: chainrule.copysign(a, b), (leaf(randn(3)), leaf(randn(3))))


def test_heaviside():
    compare(chainrule.heaviside, torch.heaviside, np.array([-1.5, 0.0, 2.0]), np.array(0.5),
            grad=False)
    compare(chainrule.heaviside, torch.heaviside, np.array([-4, 0, 5]), np.array(7), grad=False)
    with pytest.raises(RuntimeError, match="different dtypes"):
        chainrule.heaviside(chainrule.tensor([1, 2]), chainrule.tensor(0.5))
    x = leaf(np.array([1.0, -2.0, 0.0]))
    h = chainrule.heaviside(x, chainrule.tensor(0.5, dtype=chainrule.float64))
    with pytest.raises(RuntimeError, match="derivative for aten::heaviside is not implemented"):
        (h * x).sum().backward()


# -- construction -------------------------------------------------------------------------------


def test_block_diag_combinations_vander_diagflat():
    compare(lambda *t: chainrule.block_diag(*t), lambda *t: torch.block_diag(*t),
            np.array(2.0), randn(2), randn(2, 3), randn(1, 1))
    compare(lambda a, b: chainrule.block_diag(a, b), lambda a, b: torch.block_diag(a, b),
            np.array([1, 2]), randn(2, 2))
    compare(lambda: chainrule.block_diag(), lambda: torch.block_diag(), grad=False)
    with pytest.raises(RuntimeError, match="2 or fewer dimensions"):
        chainrule.block_diag(chainrule.ones(2, 2, 2))
    v = randn(4)
    for r, rep in [(2, False), (2, True), (3, False), (3, True), (1, False), (0, False),
                   (5, False)]:
        compare(chainrule.combinations, torch.combinations, v, r, rep)
    with pytest.raises(RuntimeError, match="1D vector"):
        chainrule.combinations(chainrule.ones(2, 2))
    # torch 2.13's vander backward fails (an in-place write to a saved view): values vs
    # torch, gradients by gradcheck (including x = 0, where x ** k forms would give NaN)
    compare(chainrule.vander, torch.vander, np.array([0.0, 1.5, -2.0]), grad=False)
    compare(chainrule.vander, torch.vander, np.array([0.0, 1.5, -2.0]), 5, True, grad=False)
    assert gradcheck(lambda t: chainrule.vander(t, 4), (leaf(np.array([0.0, 1.5, -2.0])),))
    compare(chainrule.vander, torch.vander, np.array([1, 2, 3], dtype=np.int32), 2, grad=False)
    compare(chainrule.vander, torch.vander, np.array([1.0, 2.0]), 0)
    compare(chainrule.diagflat, torch.diagflat, randn(2, 2), -1)
    compare(chainrule.diagflat, torch.diagflat, np.array(3.0))
    compare(chainrule.diagflat, torch.diagflat, randn(3), 2)


def test_addr():
    compare(chainrule.addr, torch.addr, randn(2, 3), randn(2), randn(3))
    compare(chainrule.addr, torch.addr, randn(3), randn(2), randn(3), beta=0.5, alpha=-2.0)
    nan_in = np.full((2, 3), np.nan)
    compare(chainrule.addr, torch.addr, nan_in, randn(2), randn(3), beta=0)
    compare(chainrule.addr, torch.addr, np.ones((2, 3), dtype=np.int64), np.array([1, 2]),
            np.array([1, 2, 3]), alpha=2, grad=False)
    with pytest.raises(RuntimeError, match="must not be a floating point"):
        chainrule.addr(chainrule.ones(2, 3, dtype=chainrule.int64), chainrule.tensor([1, 2]),
                       chainrule.tensor([1, 2, 3]), alpha=0.5)
    m = chainrule.zeros(2, 3, dtype=chainrule.float64)
    m.addr_(chainrule.tensor([1.0, 2.0], dtype=chainrule.float64),
            chainrule.tensor([1.0, 0.0, 1.0], dtype=chainrule.float64))
    assert m.tolist() == [[1.0, 0.0, 1.0], [2.0, 0.0, 2.0]]


def test_cov_corrcoef():
    x = randn(3, 6)
    compare(chainrule.cov, torch.cov, x)
    compare(chainrule.cov, torch.cov, x, correction=0)
    compare(chainrule.cov, torch.cov, randn(5))
    fw, aw = np.array([1, 2, 1, 3, 1, 2]), np.abs(randn(6)) + 0.1
    compare(lambda t, f, a: chainrule.cov(t, fweights=f, aweights=a),
            lambda t, f, a: torch.cov(t, fweights=f, aweights=a), x, fw, aw)
    compare(lambda t, f: chainrule.cov(t, fweights=f), lambda t, f: torch.cov(t, fweights=f),
            x, fw)
    compare(chainrule.cov, torch.cov, np.array([[1, 2, 3], [2, 5, 1]]), grad=False)
    with pytest.warns(UserWarning, match="degrees of freedom"):
        out = chainrule.cov(chainrule.tensor([[1.0, 2, 4]]), correction=5)
    assert out.item() == np.inf
    compare(chainrule.corrcoef, torch.corrcoef, x)
    compare(chainrule.corrcoef, torch.corrcoef, randn(4))
    assert gradcheck(chainrule.corrcoef, (leaf(randn(2, 4)),))
    with pytest.raises(RuntimeError, match="fweights cannot be negative"):
        chainrule.cov(chainrule.tensor(x), fweights=chainrule.tensor([1, -1, 1, 1, 1, 1]))


# -- splitting ----------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", [3, [1, 3], [3, 1, 7], [-1], [], 1, 5])
def test_tensor_split(spec):
    x = randn(2, 3, 4)
    compare(lambda t: chainrule.tensor_split(t, spec, dim=2),
            lambda t: torch.tensor_split(t, spec, dim=2), x)
    compare(lambda t: t.tensor_split(spec, -1), lambda t: t.tensor_split(spec, -1), x)


def test_tensor_split_tensor_specs_and_errors():
    x = randn(5, 2)
    compare(lambda t: chainrule.tensor_split(t, chainrule.tensor(2)),
            lambda t: torch.tensor_split(t, torch.tensor(2)), x)
    compare(lambda t: chainrule.tensor_split(t, chainrule.tensor([1, 4])),
            lambda t: torch.tensor_split(t, torch.tensor([1, 4])), x)
    compare(lambda t: chainrule.tensor_split(t, sections=2),
            lambda t: torch.tensor_split(t, sections=2), x)
    compare(lambda t: chainrule.tensor_split(t, indices=[3]),
            lambda t: torch.tensor_split(t, indices=[3]), x)
    t = chainrule.tensor(x)
    with pytest.raises(RuntimeError, match="larger than 0"):
        chainrule.tensor_split(t, 0)
    with pytest.raises(RuntimeError, match="at least a 1-dimensional"):
        chainrule.tensor_split(chainrule.tensor(1.0), 2)
    with pytest.raises(RuntimeError, match="dtype of long"):
        chainrule.tensor_split(t, chainrule.tensor([1.0]))
    with pytest.raises(RuntimeError, match="zero-dimensional or one-dimensional"):
        chainrule.tensor_split(t, chainrule.tensor([[1]]))
    parts = chainrule.tensor_split(t, 2)
    assert parts[0]._base is not None or np.shares_memory(parts[0]._data, t._data)


def test_hsplit_vsplit_dsplit():
    x = randn(2, 4, 6)
    for name, spec in [("hsplit", 2), ("hsplit", [1]), ("vsplit", 2), ("vsplit", [1]),
                       ("dsplit", 3), ("dsplit", [1, 2])]:
        compare(lambda t, name=name, spec=spec: getattr(chainrule, name)(t, spec),
                lambda t, name=name, spec=spec: getattr(torch, name)(t, spec), x)
    compare(lambda t: chainrule.hsplit(t, 3), lambda t: torch.hsplit(t, 3), randn(6))
    errors = [("hsplit", x, 3, "not divisible by the split_size 3"),
              ("vsplit", randn(6), 3, "at least 2 dimension"),
              ("dsplit", x, 4, "size of the dimension 6 is not divisible"),
              ("hsplit", np.array(1.0), 1, "at least 1 dimension"),
              ("hsplit", x, 0, "split_size 0")]
    for name, arr, spec, message in errors:
        with pytest.raises(RuntimeError, match=message):
            getattr(chainrule, name)(chainrule.tensor(arr), spec)
        with pytest.raises(RuntimeError):
            getattr(torch, name)(torch.tensor(arr), spec)


def test_split_with_sizes_unsafe_and_unfold():
    x = randn(6, 3)
    compare(lambda t: chainrule.split_with_sizes(t, [1, 2, 3]),
            lambda t: torch.split_with_sizes(t, [1, 2, 3]), x)
    compare(lambda t: chainrule.unsafe_split(t, 4), lambda t: torch.unsafe_split(t, 4), x)
    compare(lambda t: chainrule.unsafe_chunk(t, 4, 1), lambda t: torch.unsafe_chunk(t, 4, 1), x)
    with pytest.raises(RuntimeError, match="sum exactly"):
        chainrule.split_with_sizes(chainrule.tensor(x), [1, 2])
    for args in [(0, 3, 2), (1, 2, 1), (0, 6, 6), (-1, 1, 3)]:
        compare(lambda t, a=args: t.unfold(*a), lambda t, a=args: t.unfold(*a), randn(6, 3))
    compare(lambda t: t.unfold(2, 2, 1), lambda t: t.unfold(2, 2, 1), randn(2, 3, 4))
    compare(lambda t: t.unfold(0, 1, 1), lambda t: t.unfold(0, 1, 1), np.array(5.0))
    with pytest.raises(RuntimeError, match="maximum size"):
        chainrule.ones(3).unfold(0, 4, 1)
    assert gradcheck(lambda t: t.unfold(1, 3, 2), (leaf(randn(2, 7)),))


# -- writes into a copy -------------------------------------------------------------------------


def test_index_copy_and_inplace():
    x, src = randn(5, 3), randn(2, 3)
    idx = np.array([3, 0])
    compare(chainrule.index_copy, torch.index_copy, x, 0, idx, src)
    compare(chainrule.index_copy, torch.index_copy, randn(3, 4), 1, np.array([1, 3, 0]),
            randn(3, 3))
    compare(lambda a, i, s: a.index_copy(0, i, s), lambda a, i, s: a.index_copy(0, i, s),
            randn(4), np.array([2]), randn(1))
    buf = chainrule.zeros(4, 2)
    assert buf.index_copy_(0, chainrule.tensor([1, 3]), chainrule.ones(2, 2)) is buf
    assert buf.sum().item() == 4 and buf[1].tolist() == [1.0, 1.0]
    # in the graph: the overwritten rows get no gradient, the source rows do
    a = leaf(randn(4, 2))
    s = leaf(randn(1, 2))
    out = a * 1
    out.index_copy_(0, chainrule.tensor([2]), s)
    out.backward(chainrule.ones(4, 2, dtype=chainrule.float64))
    assert a.grad[2].tolist() == [0.0, 0.0] and s.grad.tolist() == [[1.0, 1.0]]
    with pytest.raises(RuntimeError, match="long tensor"):
        chainrule.index_copy(chainrule.tensor(x), 0, chainrule.tensor([0], dtype=chainrule.int32),
                             chainrule.tensor(src[:1]))
    with pytest.raises(IndexError, match="Number of indices"):
        chainrule.index_copy(chainrule.tensor(x), 0, chainrule.tensor([0]), chainrule.tensor(src))


def test_scatter_family_and_put():
    compare(chainrule.select_scatter, torch.select_scatter, randn(3, 4), randn(4), 0, 1)
    compare(chainrule.select_scatter, torch.select_scatter, randn(3, 4), randn(3), -1, -1)
    compare(chainrule.slice_scatter, torch.slice_scatter, randn(6, 4), randn(2, 4), 0, 1, 5, 2)
    compare(chainrule.slice_scatter, torch.slice_scatter, randn(3, 6), randn(3, 3),
            dim=1, start=3)
    compare(chainrule.diagonal_scatter, torch.diagonal_scatter, randn(3, 4), randn(3))
    compare(chainrule.diagonal_scatter, torch.diagonal_scatter, randn(3, 4), randn(2), 2)
    compare(chainrule.diagonal_scatter, torch.diagonal_scatter, randn(3, 4), randn(2), -1)
    compare(chainrule.diagonal_scatter, torch.diagonal_scatter, randn(2, 3, 4), randn(4, 2),
            0, 0, 1)
    compare(chainrule.diagonal_scatter, torch.diagonal_scatter, randn(2, 3, 4), randn(2, 3),
            1, 1, 2)
    with pytest.raises(RuntimeError, match="size equal to the slice"):
        chainrule.select_scatter(chainrule.ones(3, 4), chainrule.ones(3), 0, 1)
    compare(chainrule.put, torch.put, randn(2, 3), np.array([5, 0, -1]), randn(3))
    compare(chainrule.put, torch.put, randn(2, 3), np.array([1, 1, 4]), randn(3), True)
    y = chainrule.zeros(2, 2)
    y.put_(chainrule.tensor([3]), chainrule.tensor([7.0]))
    assert y.tolist() == [[0.0, 0.0], [0.0, 7.0]]


# -- misc ---------------------------------------------------------------------------------------


def test_view_as_complex_unravel_index_nonzero_static():
    x = randn(3, 2)
    out = chainrule.view_as_complex(chainrule.tensor(x))
    ref = torch.view_as_complex(torch.tensor(x))
    assert out.dtype == chainrule.complex128 and out.shape == (3,)
    np.testing.assert_array_equal(out.numpy(), ref.numpy())
    assert chainrule.view_as_complex(chainrule.tensor(x, dtype=chainrule.float32)).dtype == \
        chainrule.complex64
    with pytest.raises(RuntimeError, match="last dimension of size 2"):
        chainrule.view_as_complex(chainrule.ones(3, 3))
    with pytest.raises(NotImplementedError, match="complex autograd"):
        chainrule.view_as_complex(leaf(x))
    idx = np.array([[0, 5], [11, -1]])
    ours = chainrule.unravel_index(chainrule.tensor(idx), (3, 4))
    theirs = torch.unravel_index(torch.tensor(idx), (3, 4))
    for o, t in zip(ours, theirs):
        assert o.tolist() == t.tolist() and str(o.dtype) == str(t.dtype)
    with pytest.raises(RuntimeError, match="must be in range"):
        chainrule.unravel_index(chainrule.tensor([12]), (3, 4))
    m = np.array([[0, 1, 0], [1, 1, 0]])
    for size in (2, 3, 6):
        compare(lambda t, n=size: chainrule.nonzero_static(t, size=n, fill_value=-7),
                lambda t, n=size: torch.nonzero_static(t, size=n, fill_value=-7), m, grad=False)


def test_renorm_trapezoid_row_stack_adjoint_arc_aliases():
    x = randn(3, 4) * 3
    compare(chainrule.renorm, torch.renorm, x, 2, 0, 2.5)
    compare(chainrule.renorm, torch.renorm, x, 1, 1, 3.0)
    compare(lambda t: t.renorm(3, -1, 1.0), lambda t: t.renorm(3, -1, 1.0), x)
    compare(chainrule.cumulative_trapezoid, torch.cumulative_trapezoid, randn(3, 5))
    compare(lambda y, s: chainrule.cumulative_trapezoid(y, s),
            lambda y, s: torch.cumulative_trapezoid(y, s), randn(3, 5), np.cumsum(randn(5)))
    compare(lambda y: chainrule.cumulative_trapezoid(y, dx=0.5, dim=0),
            lambda y: torch.cumulative_trapezoid(y, dx=0.5, dim=0), randn(3, 5))
    compare(lambda a, b: chainrule.row_stack([a, b]), lambda a, b: torch.row_stack([a, b]),
            randn(3), randn(2, 3))
    compare(chainrule.adjoint, torch.adjoint, randn(2, 3, 4))
    for name in ("arccosh", "arcsinh", "arctanh"):
        arg = np.abs(randn(4)) + 1.5 if name == "arccosh" else randn(4) * 0.4
        compare(getattr(chainrule, name), getattr(torch, name), arg)


def test_grad_fn_names_match_torch():
    x = np.array([0.3, -1.2, 2.0, 0.7])
    calls = {"cummax": lambda m, t: m.cummax(t, 0)[0], "cummin": lambda m, t: m.cummin(t, 0)[0],
             "copysign": lambda m, t: m.copysign(t, -t.detach()),
             "nextafter": lambda m, t: m.nextafter(t, t.detach() * 0),
             "heaviside": lambda m, t: m.heaviside(t, t.detach()),
             "frexp": lambda m, t: m.frexp(t)[0], "nanmedian": lambda m, t: m.nanmedian(t),
             "logcumsumexp": lambda m, t: m.logcumsumexp(t, 0)}
    for name, call in calls.items():
        ours = call(chainrule, leaf(x)).grad_fn.name()
        theirs = call(torch, torch.tensor(x, requires_grad=True)).grad_fn.name()
        assert ours == theirs, name


def test_tensor_methods_bound():
    names = ["cummax", "cummin", "logcumsumexp", "quantile", "nanquantile", "nanmedian",
             "copysign", "copysign_", "heaviside", "float_power", "float_power_", "index_copy",
             "index_copy_", "tensor_split", "hsplit", "vsplit", "dsplit", "addr", "addr_",
             "diagflat", "unfold", "renorm", "renorm_", "put_", "gcd", "lcm_", "ldexp",
             "frexp", "nextafter", "cov", "corrcoef", "diff", "atan2", "hypot", "where",
             "sum_to_size", "acos_", "tan_", "arccosh", "deg2rad", "lgamma", "adjoint",
             "is_signed", "is_same_size", "argwhere", "logaddexp", "histogram"]
    for name in names:
        assert hasattr(torch.Tensor, name), f"torch has no Tensor.{name}"
        assert hasattr(chainrule.Tensor, name), f"chainrule lacks Tensor.{name}"
    x = randn(2, 3)
    compare(lambda t: t.where(t > 0, 0.0), lambda t: t.where(t > 0, 0.0), x)
    compare(lambda t: t.sum_to_size(1, 3), lambda t: t.sum_to_size(1, 3), x)
    compare(lambda t: t.atan2(t * 0 + 0.5), lambda t: t.atan2(t * 0 + 0.5), x)
    t = chainrule.tensor([0.5, 0.25], dtype=chainrule.float64)
    assert t.acos_() is t
    np.testing.assert_allclose(t.numpy(), np.arccos([0.5, 0.25]))
    with pytest.raises(RuntimeError, match="not expandable"):
        chainrule.ones(2, 3).sum_to_size(4)
