"""``x[index]`` and ``x[index] = value`` against torch for every index kind: values, shapes,
dtypes, views vs copies, gradients through reads and writes, and the errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import chainrule


def same(ours, theirs, tol: float = 1e-12) -> None:
    assert tuple(ours.shape) == tuple(theirs.shape), (ours.shape, theirs.shape)
    assert str(ours.dtype) == str(theirs.dtype), (ours.dtype, theirs.dtype)
    np.testing.assert_allclose(ours.detach().numpy().astype(np.float64),
                               theirs.detach().numpy().astype(np.float64), rtol=tol, atol=tol)


def base(lib, dtype="float64"):
    return lib.arange(60, dtype=getattr(lib, dtype)).reshape(3, 4, 5)


# index builders: (name, lib -> index)
INDICES = [
    ("int", lambda m: 1),
    ("negative int", lambda m: -2),
    ("tuple of ints", lambda m: (2, 1, 3)),
    ("slice", lambda m: slice(1, None)),
    ("negative slice", lambda m: slice(-2, None)),
    ("step", lambda m: slice(None, None, 2)),
    ("slices with steps", lambda m: (slice(None), slice(1, None, 2), slice(None, 4, 3))),
    ("empty slice", lambda m: slice(2, 1)),
    ("out-of-range slice", lambda m: slice(1, 100)),
    ("None", lambda m: None),
    ("None in the middle", lambda m: (slice(None), None, 1)),
    ("ellipsis", lambda m: Ellipsis),
    ("ellipsis then int", lambda m: (Ellipsis, 2)),
    ("int ellipsis int", lambda m: (0, Ellipsis, 0)),
    ("ellipsis and None", lambda m: (None, Ellipsis, None)),
    ("list", lambda m: [2, 0, 2]),
    ("nested list as tuple", lambda m: ([0, 1], [2, 2])),
    ("lists in two dims", lambda m: ([0, 2], [1, 3])),
    ("list and slice", lambda m: (slice(None), [3, 0])),
    ("slice list slice", lambda m: (slice(None), [1, 1], slice(1, 3))),
    ("separated lists", lambda m: ([0, 1], slice(None), [4, 0])),
    ("int and list", lambda m: (1, [0, 3])),
    ("long tensor", lambda m: m.tensor([1, 0])),
    ("int32 tensor", lambda m: m.tensor([1, 2], dtype=m.int32)),
    ("0-d long tensor", lambda m: m.tensor(2)),
    ("2-d long tensor", lambda m: m.tensor([[0, 2], [1, 1]])),
    ("negative indices", lambda m: m.tensor([-1, -3])),
    ("bool mask 1-d", lambda m: m.tensor([True, False, True])),
    ("bool mask 2-d", lambda m: m.arange(12).reshape(3, 4) % 3 == 0),
    ("bool mask 3-d", lambda m: m.arange(60).reshape(3, 4, 5) % 7 == 0),
    ("mask and slice", lambda m: (slice(None), m.tensor([True, False, False, True]))),
    ("bool scalar", lambda m: True),
    ("tensor and int", lambda m: (m.tensor([0, 2]), 1)),
    ("broadcast tensors", lambda m: (m.tensor([[0], [2]]), m.tensor([1, 3]))),
    ("empty long tensor", lambda m: m.tensor([], dtype=m.int64)),
]


@pytest.mark.parametrize("make", [i for _, i in INDICES], ids=[n for n, _ in INDICES])
def test_getitem_matches_torch(make) -> None:
    same(base(chainrule)[make(chainrule)], base(torch)[make(torch)])
    same(base(chainrule, "int64")[make(chainrule)], base(torch, "int64")[make(torch)])


@pytest.mark.parametrize("make", [i for _, i in INDICES], ids=[n for n, _ in INDICES])
def test_getitem_gradient_matches_torch(make) -> None:
    def run(lib):
        x = base(lib).requires_grad_()
        y = x[make(lib)]
        g = lib.arange(y.numel(), dtype=lib.float64).reshape(y.shape) + 1.0
        y.backward(g)
        return x.grad

    same(run(chainrule), run(torch))


def test_list_of_lists_is_a_tuple_with_torchs_warning() -> None:
    with pytest.warns(UserWarning, match="non-tuple sequence for multidimensional indexing"):
        ours = base(chainrule)[[[0, 1], [2, 2]]]
    same(ours, base(torch)[[0, 1], [2, 2]])


def test_basic_indexing_gives_views_advanced_gives_copies() -> None:
    x = chainrule.zeros(3, 4)
    x[1][2] = 5.0  # a view of a view
    x[:, 0] += 1.0  # in-place through a slice view
    assert x[1, 2].item() == 5.0 and x[:, 0].tolist() == [1.0, 1.0, 1.0]
    copy = x[[0, 1]]
    copy[0, 0] = -1.0
    assert x[0, 0].item() == 1.0
    v = x[0]
    assert v._version == x._version  # views share the version counter
    x.add_(1.0)
    assert v._version == x._version and v[0].item() == 2.0


SETITEM = [
    ("int, scalar", lambda m: 1, lambda m: 7.0),
    ("int, row", lambda m: 0, lambda m: m.arange(20.0).reshape(4, 5)),
    ("slice, broadcast", lambda m: (slice(None), 2), lambda m: m.tensor([1.0, 2, 3, 4, 5])),
    ("step slice", lambda m: (slice(None, None, 2), slice(1, None, 2)), lambda m: -1.0),
    ("ellipsis", lambda m: (Ellipsis, 0), lambda m: m.zeros(3, 4)),
    ("None", lambda m: (None, 0), lambda m: 3.0),
    ("list", lambda m: [2, 0], lambda m: 9.0),
    ("lists", lambda m: ([0, 2], [1, 3]), lambda m: m.tensor([[10] * 5, [20] * 5])),
    ("long tensor", lambda m: m.tensor([1]), lambda m: m.ones(1, 4, 5, dtype=m.int64)),
    ("mask", lambda m: m.arange(60).reshape(3, 4, 5) % 4 == 0, lambda m: 0.5),
    ("mask, values", lambda m: m.arange(60).reshape(3, 4, 5) % 20 == 0,
     lambda m: m.tensor([1, 2, 3])),
    ("row mask", lambda m: m.tensor([False, True, True]), lambda m: m.zeros(4, 5, dtype=m.int64)),
    ("int tensor value", lambda m: 0, lambda m: m.tensor(3)),
    ("bool value", lambda m: 2, lambda m: True),
]


@pytest.mark.parametrize(("index", "value"), [(i, v) for _, i, v in SETITEM],
                         ids=[n for n, _, _ in SETITEM])
@pytest.mark.parametrize("dtype", ["float64", "int64", "float32"])
def test_setitem_matches_torch(index, value, dtype: str) -> None:
    def run(lib):
        x = base(lib, dtype)
        v = value(lib)
        if isinstance(v, lib.Tensor):
            v = v.to(x.dtype)  # (torch's index_put wants equal dtypes; chainrule casts)
        x[index(lib)] = v
        return x

    same(run(chainrule), run(torch))


def test_setitem_casts_values_and_takes_numpy_and_lists() -> None:
    """More lenient than torch (which raises here): the value is cast to the tensor's dtype."""
    x = chainrule.zeros(2, 3, dtype=chainrule.float64)
    x[[0, 1], [1, 2]] = chainrule.tensor([1, 2])
    x[0] = np.array([5.0, 6.0, 7.0])
    x[1, :2] = [8.0, 9.0]
    assert x.tolist() == [[5.0, 6.0, 7.0], [8.0, 9.0, 2.0]] and x.dtype == chainrule.float64


@pytest.mark.parametrize(("index", "value"), [(i, v) for _, i, v in SETITEM[:12]],
                         ids=[n for n, _, _ in SETITEM[:12]])
def test_setitem_gradients_match_torch(index, value) -> None:
    """Writes into a non-leaf: the overwritten part gets no gradient, the value gets the
    gradient of the positions it landed in (summed where it was broadcast)."""
    def run(lib):
        w = base(lib).requires_grad_()
        v = value(lib)
        if isinstance(v, lib.Tensor):
            v = v.double().requires_grad_()
        x = w * 2.0
        x[index(lib)] = v
        (x * (lib.arange(60.0, dtype=lib.float64).reshape(3, 4, 5) - 30.0)).sum().backward()
        return w.grad, (v.grad if isinstance(v, lib.Tensor) else lib.zeros(1, dtype=lib.float64))

    for o, t in zip(run(chainrule), run(torch)):
        same(o, t)


def test_setitem_value_needing_grad_into_plain_tensor() -> None:
    def run(lib):
        h = lib.tensor([0.5, -1.0], dtype=lib.float64, requires_grad=True)
        out = lib.zeros(3, 2, dtype=lib.float64)
        out[1] = h * 3
        out[2, 0] = h[1]
        assert out.requires_grad and not out.is_leaf
        (out * lib.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], dtype=lib.float64)).sum().backward()
        return out, h.grad

    for o, t in zip(run(chainrule), run(torch)):
        same(o, t)


def test_setitem_on_leaf_requiring_grad_raises_unless_no_grad() -> None:
    for lib in (chainrule, torch):
        x = lib.zeros(3, requires_grad=True)
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            x[0] = 1.0
        with lib.no_grad():
            x[0] = 1.0
        assert x.tolist() == [1.0, 0.0, 0.0] and x.requires_grad


def test_indexing_errors() -> None:
    x = chainrule.zeros(3, 4)
    with pytest.raises(IndexError):
        x[3]
    with pytest.raises(IndexError):
        x[0, 0, 0]
    with pytest.raises(IndexError):
        x[chainrule.tensor([0.5])]
    with pytest.raises(IndexError):
        x["a"]
    with pytest.raises(IndexError):
        x[chainrule.tensor([5])]
    with pytest.raises((IndexError, RuntimeError)):
        x[chainrule.tensor([True, False])]  # mask of the wrong length
    with pytest.raises(RuntimeError, match="shape mismatch"):
        x[0] = chainrule.ones(3)


def test_index_functions_match_torch() -> None:
    def run(lib):
        x = base(lib)
        idx = lib.tensor([[0, 2], [1, 1], [3, 0]])
        return (
            x.index_select(1, lib.tensor([3, 1])),
            x.gather(1, idx.unsqueeze(-1).expand(3, 2, 5)),
            lib.zeros(3, 4).scatter(1, lib.tensor([[1], [0], [3]]), 5.0),
            lib.zeros(3, 4).scatter_add(1, lib.tensor([[1, 1], [0, 2], [3, 3]]),
                                        lib.ones(3, 2)),  # (float32)
            x.masked_select(x > 50),
            x[0].masked_fill(x[0] < 3, -1.0),
            lib.take(x, lib.tensor([0, 59, 7])),
            lib.take_along_dim(x[0], lib.tensor([[1], [0], [2], [4]]), 1),
            x[0].index_add(0, lib.tensor([0, 0]), lib.ones(2, 5, dtype=lib.float64)),
            lib.where(x[0] > 7),
            x[0].nonzero(),
            lib.nonzero(x[0] > 15, as_tuple=True),
            x.argsort(2, descending=True),
            x.sort(0, descending=True).values,
            x.topk(2, dim=1).indices,
            lib.searchsorted(lib.tensor([1.0, 3.0, 5.0]), lib.tensor([0.0, 3.0, 6.0])),
            lib.bucketize(lib.tensor([0.5, 3.0, 9.0]), lib.tensor([1.0, 3.0, 5.0])),
        )

    for o, t in zip(run(chainrule), run(torch)):
        for oo, tt in zip(o if isinstance(o, tuple) else (o,), t if isinstance(t, tuple) else (t,)):
            same(oo, tt)
