"""default_collate / default_convert vs torch: same structure, types, dtypes, shapes, values."""

from __future__ import annotations

import collections

import numpy as np
import pytest
import torch
from data_compare import assert_same_structure

import chainrule
from chainrule.utils.data import default_collate, default_convert

Point = collections.namedtuple("Point", ["x", "y"])


def _samples(lib):
    """Per case: a function building a list of samples with the given library's tensors."""
    rng = np.random.default_rng(0)
    arrs = [rng.standard_normal((2, 3)).astype(np.float32) for _ in range(3)]
    return {
        "tensor": [lib.tensor(a) for a in arrs],
        "tensor-0d": [lib.tensor(1.5), lib.tensor(2.5)],
        "tensor-int": [lib.tensor([1, 2]), lib.tensor([3, 4])],
        "int": [1, 2, 3],
        "float": [1.5, 2.0, -3.25],
        "bool": [True, False],
        "int-then-float": [1, 2.5],
        "numpy-array": arrs,
        "numpy-float64": [a.astype(np.float64) for a in arrs],
        "numpy-int32": [np.arange(3, dtype=np.int32), np.arange(3, dtype=np.int32)],
        "numpy-scalar-f32": [np.float32(1.5), np.float32(2.5)],
        "numpy-scalar-i32": [np.int32(1), np.int32(7)],
        "numpy-scalar-bool": [np.bool_(True), np.bool_(False)],
        "numpy-scalar-f64": [np.float64(0.1), np.float64(0.2)],
        "str": ["a", "bc", "d"],
        "bytes": [b"a", b"b"],
        "tuple": [(lib.tensor(arrs[0]), 1, "x"), (lib.tensor(arrs[1]), 2, "y")],
        "list": [[1.0, np.float32(2.0)], [3.0, np.float32(4.0)]],
        "dict": [{"img": arrs[0], "label": 3, "name": "a"},
                 {"img": arrs[1], "label": 4, "name": "b"}],
        "ordereddict": [collections.OrderedDict(b=1, a=2.0), collections.OrderedDict(b=3, a=4.0)],
        "namedtuple": [Point(lib.tensor(arrs[0]), 1), Point(lib.tensor(arrs[1]), 2)],
        "nested": [{"pair": (1, [2.0, "s"]), "t": lib.tensor([1.0])},
                   {"pair": (3, [4.0, "u"]), "t": lib.tensor([2.0])}],
    }


CASES = [
    "tensor", "tensor-0d", "tensor-int", "int", "float", "bool", "int-then-float", "numpy-array",
    "numpy-float64", "numpy-int32", "numpy-scalar-f32", "numpy-scalar-i32", "numpy-scalar-bool",
    "numpy-scalar-f64", "str", "bytes", "tuple", "list", "dict", "ordereddict", "namedtuple",
    "nested",
]


@pytest.mark.parametrize("case", CASES)
def test_default_collate_matches_torch(case):
    ours = default_collate(_samples(chainrule)[case])
    theirs = torch.utils.data.default_collate(_samples(torch)[case])
    assert_same_structure(ours, theirs)


@pytest.mark.parametrize("case", ["tensor", "numpy-array", "numpy-scalar-i32", "tuple", "dict",
                                  "namedtuple", "nested", "str", "float"])
def test_default_convert_matches_torch(case):
    ours = default_convert(_samples(chainrule)[case][0])
    theirs = torch.utils.data.default_convert(_samples(torch)[case][0])
    assert_same_structure(ours, theirs)


def test_collate_is_one_stack_without_graph():
    xs = [chainrule.ones(3) for _ in range(4)]
    out = default_collate(xs)
    assert out.grad_fn is None and out.dtype == chainrule.float32
    # samples that require grad are stacked differentiably, as torch.stack does
    ws = [chainrule.ones(2, requires_grad=True) for _ in range(2)]
    stacked = default_collate(ws)
    assert stacked.requires_grad and stacked.grad_fn is not None


def test_collate_errors_like_torch():
    for lib, fn in ((chainrule, default_collate), (torch, torch.utils.data.default_collate)):
        with pytest.raises(RuntimeError, match="each element in list of batch should be of equal"):
            fn([[1, 2], [3]])
        with pytest.raises(TypeError, match="default_collate: batch must contain"):
            fn([object(), object()])
        with pytest.raises(TypeError, match="default_collate: batch must contain"):
            fn([np.array(["a"]), np.array(["b"])])
        with pytest.raises(RuntimeError, match=r"stack expects each tensor to be equal size, "
                           r"but got \[3\] at entry 0 and \[4\] at entry 1"):
            fn([lib.zeros(3), lib.zeros(4)])


def test_torch_private_collate_path_is_importable():
    from chainrule.utils.data._utils.collate import collate, default_collate_fn_map

    def collate_str_len(batch, *, collate_fn_map=None):
        return [len(s) for s in batch]

    custom = {**default_collate_fn_map, str: collate_str_len}
    assert collate([("ab", 1), ("c", 2)], collate_fn_map=custom)[0] == [2, 1]
