"""The Tensor API as PyTorch programs use it, checked against torch where torch defines the
answer: attributes, conversions, Python protocols, devices, legacy constructors, new_*."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
import torch

import chainrule


def both(fn):
    return fn(chainrule), fn(torch)


def same(ours, theirs, tol: float = 1e-6) -> None:
    assert tuple(ours.shape) == tuple(theirs.shape), (ours.shape, theirs.shape)
    assert str(ours.dtype) == str(theirs.dtype), (ours.dtype, theirs.dtype)
    np.testing.assert_allclose(ours.detach().numpy().astype(np.float64),
                               theirs.detach().numpy().astype(np.float64), rtol=tol, atol=tol)


# -- state: data, grad, requires_grad, grad_fn, is_leaf ------------------------------------


def test_data_get_and_set() -> None:
    x = chainrule.tensor([1.0, 2.0], requires_grad=True)
    d = x.data
    assert not d.requires_grad and d.is_leaf
    d[0] = 5.0  # shares memory, outside the graph
    assert x[0].item() == 5.0
    x.data = chainrule.zeros(3)  # may change the shape, as in torch
    assert x.shape == (3,) and x.requires_grad
    with pytest.raises(TypeError):
        x.data = [1.0]


def test_grad_get_set_and_checks() -> None:
    x = chainrule.ones(2, 2, requires_grad=True)
    assert x.grad is None
    x.grad = chainrule.full((2, 2), 3.0)
    assert x.grad.tolist() == [[3.0, 3.0], [3.0, 3.0]]
    with pytest.raises(RuntimeError, match="different size"):
        x.grad = chainrule.ones(3)
    with pytest.raises(RuntimeError, match="different type"):
        x.grad = chainrule.ones(2, 2, dtype=chainrule.float64)
    x.grad = None
    assert x.grad is None
    (x * 2).sum().backward()
    del x.grad
    assert x.grad is None


def test_requires_grad_grad_fn_is_leaf() -> None:
    def run(lib):
        x = lib.tensor([1.0, 2.0])
        assert not x.requires_grad and x.is_leaf and x.grad_fn is None
        x.requires_grad_()
        y = x * 2
        assert y.requires_grad and not y.is_leaf
        with pytest.raises(RuntimeError, match="you can only change requires_grad flags of "
                                               "leaf variables"):
            y.requires_grad = False
        z = y.detach()
        assert not z.requires_grad and z.is_leaf
        return type(y.grad_fn).__name__ if lib is torch else y.grad_fn.name()

    ours, theirs = both(run)
    assert ours == theirs == "MulBackward0"


def test_grad_fn_next_functions_reach_the_leaves() -> None:
    x = chainrule.tensor([1.0], requires_grad=True)
    y = (x * 2).exp()
    (mul_node, _), = y.grad_fn.next_functions
    assert mul_node.name() == "MulBackward0"
    (acc, _), _ = mul_node.next_functions
    assert acc.variable is x


def test_detach_and_detach_() -> None:
    x = chainrule.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    d = y.detach()
    d[0] = 10.0  # shares memory
    assert y[0].item() == 10.0
    y.detach_()
    assert not y.requires_grad and y.grad_fn is None and y.is_leaf


def test_retain_grad_and_register_hook_exist() -> None:
    x = chainrule.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.retain_grad()
    seen = []
    y.register_hook(lambda g: seen.append(g))
    y.sum().backward()
    assert y.grad.tolist() == [1.0, 1.0] and len(seen) == 1
    with pytest.raises(RuntimeError):
        chainrule.ones(2).retain_grad()


# -- metadata -------------------------------------------------------------------------------


def test_shape_size_dim_numel() -> None:
    def run(lib):
        x = lib.zeros(2, 3, 4)
        return (tuple(x.shape), tuple(x.size()), x.size(1), x.size(-1), x.dim(), x.ndim,
                x.numel(), x.nelement(), x.ndimension(), len(x), repr(x.shape), str(x.size()),
                x.shape[1:], x.element_size(), x.is_contiguous(), x.stride())

    ours, theirs = both(run)
    assert ours == theirs
    assert chainrule.zeros(2, 3).shape == (2, 3)  # Size is a tuple
    assert chainrule.Size([2, 3]).numel() == 6
    with pytest.raises(IndexError):
        chainrule.zeros(2).size(1)


def test_dtype_device_and_predicates() -> None:
    x = chainrule.ones(2)
    assert x.dtype == chainrule.float32 and str(x.dtype) == "torch.float32"
    assert x.device == chainrule.device("cpu") and str(x.device) == "cpu"
    assert x.device.type == "cpu" and not x.is_cuda and x.is_floating_point()
    assert chainrule.is_tensor(x) and chainrule.is_floating_point(x)
    assert not chainrule.ones(2, dtype=chainrule.int64).is_floating_point()
    assert x.type() == "torch.FloatTensor"
    assert chainrule.ones(2, dtype=chainrule.int64).type() == "torch.LongTensor"


def test_T_and_mT() -> None:
    def run(lib):
        a = lib.arange(24.0).reshape(2, 3, 4)
        m = lib.arange(6.0).reshape(2, 3)
        v = lib.arange(3.0)
        return m.T, a.mT, m.mT, m.t(), v.t()

    for o, t in zip(*both(run)):
        same(o, t)
    with pytest.warns(UserWarning, match="deprecated"):  # as torch warns
        same(chainrule.arange(24.0).reshape(2, 3, 4).T, torch.arange(24.0).reshape(2, 3, 4).T)
    with pytest.raises(RuntimeError):
        _ = chainrule.ones(3).mT


def test_transposes_are_differentiable() -> None:
    def run(lib):
        x = lib.arange(6.0, requires_grad=True)
        y = x.reshape(2, 3).T
        (y * lib.arange(6.0).reshape(3, 2)).sum().backward()
        return x.grad

    same(*both(run))


# -- conversions ----------------------------------------------------------------------------


def test_item_tolist() -> None:
    assert chainrule.tensor(2.5).item() == 2.5
    assert isinstance(chainrule.tensor(3).item(), int)
    assert isinstance(chainrule.tensor(True).item(), bool)
    assert chainrule.tensor([[1.5]]).item() == 1.5
    with pytest.raises(RuntimeError, match="cannot be converted to Scalar"):
        chainrule.ones(2).item()
    assert chainrule.tensor([[1, 2], [3, 4]]).tolist() == [[1, 2], [3, 4]]
    assert chainrule.tensor(1.5).tolist() == 1.5


def test_numpy_shares_memory_and_refuses_grad() -> None:
    x = chainrule.zeros(3)
    a = x.numpy()
    a[0] = 4.0
    assert x[0].item() == 4.0
    x[1] = 5.0
    assert a[1] == 5.0
    y = chainrule.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="Can't call numpy\\(\\) on Tensor that requires grad"):
        y.numpy()
    assert y.detach().numpy().tolist() == [1.0, 1.0]
    assert np.asarray(x).dtype == np.float32


def test_clone_copies_and_stays_in_graph() -> None:
    x = chainrule.tensor([1.0, 2.0], requires_grad=True)
    c = x.clone()
    assert c.requires_grad and c.grad_fn is not None
    (c * 2).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]
    c2 = x.detach().clone()
    c2[0] = 9.0
    assert x[0].item() == 1.0


@pytest.mark.parametrize("method", ["float", "double", "half", "long", "int", "bool", "short",
                                    "byte", "char"])
def test_cast_methods(method: str) -> None:
    ours = getattr(chainrule.tensor([0.0, 1.5, -2.0]), method)()
    theirs = getattr(torch.tensor([0.0, 1.5, -2.0]), method)()
    if method in ("byte",):  # negative floats to uint8 are undefined in C: compare dtype only
        assert str(ours.dtype) == str(theirs.dtype)
    else:
        same(ours, theirs)


def test_to_dtype_device_and_type_as() -> None:
    x = chainrule.tensor([1.5, 2.5], requires_grad=True)
    y = x.to(chainrule.float64)
    assert y.dtype == chainrule.float64 and y.requires_grad
    y.sum().backward()
    assert x.grad.dtype == chainrule.float32  # the gradient comes back in x's dtype
    assert x.to("cpu") is x and x.cpu() is x
    assert x.to(chainrule.device("cpu"), chainrule.float64).dtype == chainrule.float64
    assert x.to(device="cpu", dtype=chainrule.int64).dtype == chainrule.int64
    assert x.to(chainrule.ones(1, dtype=chainrule.float16)).dtype == chainrule.float16
    assert x.to(chainrule.float32) is x
    assert x.to(chainrule.float32, copy=True) is not x
    assert x.type_as(chainrule.ones(1, dtype=chainrule.int32)).dtype == chainrule.int32
    assert x.type(chainrule.float64).dtype == chainrule.float64
    assert x.type("torch.DoubleTensor").dtype == chainrule.float64
    assert x.detach().contiguous().is_contiguous()
    t = chainrule.arange(6.0).reshape(2, 3).t()
    assert not t.is_contiguous() and t.contiguous().is_contiguous()
    assert t.contiguous().tolist() == t.tolist()


def test_cuda_is_absent_and_reported_clearly() -> None:
    assert not chainrule.cuda.is_available()
    assert chainrule.cuda.device_count() == 0
    chainrule.cuda.manual_seed(0)
    chainrule.cuda.manual_seed_all(0)
    device = chainrule.device("cuda" if chainrule.cuda.is_available() else "cpu")
    assert chainrule.ones(2).to(device).device.type == "cpu"
    with pytest.raises(RuntimeError, match="CUDA"):
        chainrule.ones(2).cuda()
    with pytest.raises(RuntimeError, match="CUDA"):
        chainrule.ones(2, device="cuda")


def test_device_objects() -> None:
    d = chainrule.device("cuda:1")
    assert d.type == "cuda" and d.index == 1 and str(d) == "cuda:1"
    assert repr(chainrule.device("cpu")) == repr(torch.device("cpu"))
    assert chainrule.device("cpu") == "cpu"
    with pytest.raises(RuntimeError):
        chainrule.device("tpu")


# -- Python protocols -------------------------------------------------------------------------


def test_python_protocols() -> None:
    loss = chainrule.tensor(0.123456, requires_grad=True) * 1.0
    assert f"{loss:.4f}" == "0.1235"
    assert f"{chainrule.tensor(3)}" == "3" or f"{chainrule.tensor(3)}" == str(torch.tensor(3))
    assert float(loss) == pytest.approx(0.123456)
    assert int(chainrule.tensor(3.7)) == 3
    assert bool(chainrule.tensor(1.0)) and not bool(chainrule.tensor(0.0))
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(chainrule.ones(2))
    assert len(chainrule.zeros(4, 2)) == 4
    with pytest.raises(TypeError):
        len(chainrule.tensor(1.0))
    rows = list(chainrule.arange(6).reshape(3, 2))
    assert [r.tolist() for r in rows] == [[0, 1], [2, 3], [4, 5]]
    assert [0, 1, 2][chainrule.tensor(1)] == 1  # __index__
    assert range(10)[chainrule.tensor(3)] == 3
    assert sum(chainrule.ones(3)).item() == 3.0
    assert max(chainrule.tensor([1.0, 3.0]).tolist()) == 3.0
    assert hash(loss) != hash(loss * 1.0)
    assert {loss: 1}[loss] == 1


def test_iteration_keeps_the_graph() -> None:
    def run(lib):
        x = lib.arange(6.0, requires_grad=True)
        total = 0
        for i, row in enumerate(x.reshape(3, 2)):
            total = total + row.sum() * (i + 1)
        total.backward()
        return x.grad

    same(*both(run))


def test_accuracy_idiom() -> None:
    def run(lib):
        pred = lib.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]]).argmax(1)
        y = lib.tensor([1, 0, 0])
        return (pred == y).float().mean(), (pred == y).sum()

    for o, t in zip(*both(run)):
        same(o, t)


def test_copy_deepcopy_pickle() -> None:
    x = chainrule.tensor([1.0, 2.0], requires_grad=True)
    (x * 2).sum().backward()
    d = copy.deepcopy(x)
    assert d.requires_grad and d.grad.tolist() == [2.0, 2.0] and d is not x
    d[0].detach().zero_() if False else None
    p = pickle.loads(pickle.dumps(x.detach()))
    assert p.tolist() == [1.0, 2.0]
    with pytest.raises(RuntimeError):
        copy.deepcopy(x * 2)


# -- legacy constructors and new_* ------------------------------------------------------------


def test_legacy_constructors() -> None:
    pairs = [
        (chainrule.Tensor([[0], [1]]), torch.Tensor([[0], [1]])),
        (chainrule.Tensor(2, 3).zero_(), torch.Tensor(2, 3).zero_()),
        (chainrule.FloatTensor([1, 2]), torch.FloatTensor([1, 2])),
        (chainrule.LongTensor([1, 2]), torch.LongTensor([1, 2])),
        (chainrule.LongTensor(3).zero_(), torch.LongTensor(3).zero_()),
        (chainrule.DoubleTensor([1.5]), torch.DoubleTensor([1.5])),
        (chainrule.ByteTensor([1, 0]), torch.ByteTensor([1, 0])),
        (chainrule.BoolTensor([True]), torch.BoolTensor([True])),
        (chainrule.IntTensor([1]), torch.IntTensor([1])),
    ]
    for ours, theirs in pairs:
        same(ours, theirs)
    assert isinstance(chainrule.ones(2), chainrule.FloatTensor)
    assert not isinstance(chainrule.ones(2), chainrule.LongTensor)
    assert isinstance(chainrule.ones(2), chainrule.Tensor)


def test_new_factories() -> None:
    def run(lib):
        x = lib.ones(2, dtype=lib.float64)
        return (x.new_zeros(3), x.new_zeros((2, 2)), x.new_ones(2, 1), x.new_full((2,), 7),
                x.new_tensor([1, 2]), x.new_tensor([1.5]), x.new_empty(2).zero_(),
                x.new_zeros(2, dtype=lib.int64))

    for o, t in zip(*both(run)):
        same(o, t)


def test_misc_methods_against_torch() -> None:
    def run(lib):
        x = lib.tensor([[3.0, 1.0, 2.0], [1.0, 3.0, 3.0]])
        vals, inverse, counts = lib.unique(x, return_inverse=True, return_counts=True)
        return (x.narrow(1, 1, 2), x.argmax(), x.argmax(1), x.argmin(0, keepdim=True),
                x.unique(), vals, inverse, counts, x.nelement() * lib.ones(1),
                lib.unique(lib.tensor([2, 1, 2])), x.max(), x.sum(0), x.mean(1, True))

    for o, t in zip(*both(run)):
        same(o, t)


# -- comparisons and logical ops ---------------------------------------------------------------

CMP = ["eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or", "logical_xor",
       "isclose", "maximum", "minimum"]


@pytest.mark.parametrize("name", CMP)
def test_comparisons(name: str) -> None:
    def run(lib):
        a = lib.tensor([[1.0, 2.0, 3.0], [0.0, -1.0, 2.0]])
        b = lib.tensor([2.0, 2.0, 1.0])
        out = [getattr(lib, name)(a, b), getattr(a, name)(b)]
        if name not in ("isclose", "maximum", "minimum") and not name.startswith("logical"):
            out.append(getattr(lib, name)(a, 2))
            out.append(getattr(lib, name)(lib.tensor([1, 2, 3]), 2.5))
        return out

    for o, t in zip(*both(run)):
        same(o, t)


def test_comparison_operators_and_logic() -> None:
    def run(lib):
        a = lib.tensor([1, 2, 3])
        b = lib.tensor([3, 2, 1])
        m = a > 1
        return (a == b, a != b, a < b, a <= b, a > b, a >= b, 2 < a, m & (b > 1), m | (b > 2),
                m ^ (b > 1), ~m, lib.logical_not(a), a & 1, a | 4, a ^ b, ~a, m.any(), m.all(),
                (a == 2).nonzero(), lib.where(m, a, -a), lib.isnan(lib.tensor([1.0, float("nan")])),
                lib.isinf(lib.tensor([float("inf"), 1.0])), lib.equal(a, a) * lib.ones(1),
                lib.allclose(a.float(), b.float()) * lib.ones(1), lib.count_nonzero(a - 2))

    for o, t in zip(*both(run)):
        same(o, t)
    with pytest.raises(RuntimeError):
        chainrule.ones(2) & chainrule.ones(2)


# -- in-place methods ---------------------------------------------------------------------------

INPLACE = [
    ("add_", (2.0,), {}), ("add_", ("other",), {"alpha": 0.5}), ("sub_", ("other",), {}),
    ("mul_", ("other",), {}), ("div_", (4.0,), {}), ("pow_", (2,), {}), ("neg_", (), {}),
    ("zero_", (), {}), ("fill_", (1.5,), {}), ("copy_", ("other",), {}),
    ("clamp_", (-0.5, 0.5), {}), ("clamp_", (), {"min": 0.0}), ("clip_", (-0.1, 0.1), {}),
    ("masked_fill_", ("mask", -9.0), {}), ("exp_", (), {}), ("sqrt_", (), {}),
    ("abs_", (), {}), ("relu_", (), {}), ("sigmoid_", (), {}), ("tanh_", (), {}),
    ("log_", (), {}), ("floor_", (), {}), ("round_", (), {}), ("sign_", (), {}),
    ("addcmul_", ("other", "other"), {"value": 0.5}), ("lerp_", ("other", 0.3), {}),
    ("__iadd__", ("other",), {}), ("__isub__", (1,), {}), ("__imul__", ("other",), {}),
    ("__itruediv__", (2.0,), {}), ("__ipow__", (2,), {}),
    ("index_fill_", (1, "row_index", 3.0), {}), ("scatter_", (1, "index", 0.5), {}),
    ("tril_", (), {}), ("triu_", (1,), {}), ("t_", (), {}), ("unsqueeze_", (0,), {}),
    ("squeeze_", (), {}), ("transpose_", (0, 1), {}), ("reciprocal_", (), {}),
    ("square_", (), {}), ("clamp_min_", (0.1,), {}), ("clamp_max_", (0.1,), {}),
    ("fmod_", (0.3,), {}), ("remainder_", (0.3,), {}), ("addcdiv_", ("other", "other"), {}),
    ("masked_scatter_", ("mask", "other"), {}), ("index_add_", (0, "row_index", "other2"), {}),
    ("scatter_add_", (1, "index", "other"), {}),
]


def _arg(lib, a):
    return {
        "other": lib.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]),
        "other2": lib.tensor([[0.5, -1.0, 2.0]]),
        "mask": lib.tensor([[True, False, True], [False, False, True]]),
        "index": lib.tensor([[2, 0], [1, 1]]),
        "row_index": lib.tensor([1]),
    }.get(a, a) if isinstance(a, str) else a


@pytest.mark.parametrize(("name", "args", "kwargs"), INPLACE,
                         ids=[f"{n}{i}" for i, (n, _, _) in enumerate(INPLACE)])
def test_inplace_methods(name: str, args, kwargs) -> None:
    def run(lib):
        x = lib.tensor([[0.5, 1.2, 2.0], [0.3, 0.9, 1.7]])
        alias = x.view(6)
        out = getattr(x, name)(*[_arg(lib, a) for a in args], **kwargs)
        assert out is x  # in-place ops return self
        return x, alias

    (ox, oa), (tx, ta) = both(run)
    same(ox, tx)
    if not name.endswith(("t_", "unsqueeze_", "squeeze_", "transpose_")):
        same(oa, ta)  # the change went into the shared memory


@pytest.mark.parametrize(("name", "args", "kwargs"), INPLACE[:31],
                         ids=[f"{n}{i}" for i, (n, _, _) in enumerate(INPLACE[:31])])
def test_inplace_methods_inside_the_graph(name: str, args, kwargs) -> None:
    """In-place on a non-leaf records the op: gradients flow as torch's do."""
    def run(lib):
        w = lib.tensor([[0.5, 1.2, 2.0], [0.3, 0.9, 1.7]], dtype=lib.float64,
                       requires_grad=True)
        x = w * 1.0
        conv = [a.double() if isinstance(a, lib.Tensor) and a.is_floating_point() else a
                for a in (_arg(lib, a) for a in args)]
        getattr(x, name)(*conv, **kwargs)
        if x.requires_grad:
            (x * lib.arange(6.0, dtype=lib.float64).reshape(2, 3)).sum().backward()
        return x, w.grad if w.grad is not None else lib.zeros(2, 3, dtype=lib.float64)

    for o, t in zip(*both(run)):
        same(o, t, 1e-12)


def test_setitem_with_grad_value_into_plain_tensor() -> None:
    """RNN-from-scratch code: h = zeros(T, H); h[t] = cell(...) with a value that needs grad."""
    def run(lib):
        w = lib.tensor([[0.5, -0.3], [0.2, 0.8]], dtype=lib.float64, requires_grad=True)
        x = lib.tensor([[1.0, 2.0], [0.5, -1.0], [2.0, 0.0]], dtype=lib.float64)
        hs = lib.zeros(3, 2, dtype=lib.float64)
        h = lib.zeros(2, dtype=lib.float64)
        for t in range(3):
            h = (x[t] + h @ w).tanh()
            hs[t] = h
        assert hs.requires_grad
        (hs * lib.arange(6.0, dtype=lib.float64).reshape(3, 2)).sum().backward()
        return hs, w.grad

    for o, t in zip(*both(run)):
        same(o, t, 1e-12)
