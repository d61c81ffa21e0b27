"""DataLoader vs torch: batch structure, types, dtypes and order for every batching mode;
shuffling reproducible under manual_seed; worker processes give the same batches."""

from __future__ import annotations

import os

import numpy as np
import pytest
import torch
from data_compare import assert_same_structure
from torch.utils import data as tdata

import chainrule
from chainrule.utils import data as cdata


def _lib_data(lib):
    return cdata if lib is chainrule else tdata


class DictDataset:
    """A map-style dataset of dict samples (numpy image, int label, str name, float)."""

    def __init__(self, n: int = 11) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i):
        img = np.full((2, 3), i, dtype=np.float32)
        return {"img": img, "label": i % 3, "name": f"s{i}", "w": 0.5 * i}


def _tensor_ds(lib):
    x = np.arange(33, dtype=np.float32).reshape(11, 3)
    return _lib_data(lib).TensorDataset(lib.tensor(x), lib.tensor(np.arange(11)))


LOADER_CASES = {
    "tensor-bs4": lambda lib: {"dataset": _tensor_ds(lib), "batch_size": 4},
    "tensor-bs4-drop": lambda lib: {"dataset": _tensor_ds(lib), "batch_size": 4, "drop_last": True},
    "tensor-bsNone": lambda lib: {"dataset": _tensor_ds(lib), "batch_size": None},
    "dict-bs3": lambda lib: {"dataset": DictDataset(), "batch_size": 3},
    "dict-bsNone": lambda lib: {"dataset": DictDataset(), "batch_size": None},
    "sampler": lambda lib: {"dataset": _tensor_ds(lib), "batch_size": 2,
                                "sampler": [10, 0, 5, 5, 3]},
    "batch_sampler": lambda lib: {"dataset": DictDataset(), "batch_sampler": [[1, 2], [0], [7, 8]]},
    "collate_fn": lambda lib: {"dataset": DictDataset(), "batch_size": 4,
                                   "collate_fn": lambda b: [s["name"] for s in b]},
    "subset": lambda lib: {"dataset": _lib_data(lib).Subset(_tensor_ds(lib), [9, 1, 4, 2, 6]),
                               "batch_size": 2},
    "concat": lambda lib: {"dataset": _tensor_ds(lib) + _tensor_ds(lib), "batch_size": 5},
    "list-dataset": lambda lib: {"dataset": [(1, 2.0), (3, 4.0), (5, 6.0)], "batch_size": 2},
}


@pytest.mark.parametrize("case", list(LOADER_CASES))
def test_batches_match_torch(case):
    ours = cdata.DataLoader(**LOADER_CASES[case](chainrule))
    theirs = tdata.DataLoader(**LOADER_CASES[case](torch))
    assert len(ours) == len(theirs)
    ob, tb = list(ours), list(theirs)
    assert len(ob) == len(tb)
    for a, b in zip(ob, tb):
        assert_same_structure(a, b)


class Stream(cdata.IterableDataset):
    """Yields 0..n-1 as (tensor, int); shards by worker like torch's documented example."""

    def __init__(self, lib, n: int = 10) -> None:
        self.lib, self.n = lib, n

    def __iter__(self):
        info = _lib_data(self.lib).get_worker_info()
        start, step = (0, 1) if info is None else (info.id, info.num_workers)
        for i in range(start, self.n, step):
            yield self.lib.tensor([float(i)]), i

    def __len__(self) -> int:
        return self.n


class TorchStream(tdata.IterableDataset):
    def __init__(self, n: int = 10) -> None:
        self.inner = Stream(torch, n)

    def __iter__(self):
        return iter(self.inner)

    def __len__(self) -> int:
        return self.inner.n


def _stream(lib, n=10):
    return Stream(chainrule, n) if lib is chainrule else TorchStream(n)


@pytest.mark.parametrize("kwargs", [{"batch_size": 3}, {"batch_size": 3, "drop_last": True},
                                    {"batch_size": None}, {"batch_size": 3, "num_workers": 2},
                                    {"batch_size": 4, "num_workers": 2, "drop_last": True}],
                         ids=str)
def test_iterable_dataset_matches_torch(kwargs):
    ours = list(cdata.DataLoader(_stream(chainrule), **kwargs))
    theirs = list(tdata.DataLoader(_stream(torch), **kwargs))
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert_same_structure(a, b)
    assert len(cdata.DataLoader(_stream(chainrule), **kwargs)) == \
        len(tdata.DataLoader(_stream(torch), **kwargs))


def _labels(loader):
    return [b[1].tolist() for b in loader]


def test_shuffle_reproducible_under_manual_seed():
    ds = _tensor_ds(chainrule)
    loader = cdata.DataLoader(ds, batch_size=4, shuffle=True)
    chainrule.manual_seed(0)
    epoch1, epoch2 = _labels(loader), _labels(loader)
    assert sorted(i for b in epoch1 for i in b) == list(range(11)) and epoch1 != epoch2
    chainrule.manual_seed(0)
    assert _labels(loader) == epoch1 and _labels(loader) == epoch2
    g = chainrule.Generator().manual_seed(5)
    with_gen = _labels(cdata.DataLoader(ds, batch_size=4, shuffle=True, generator=g))
    g.manual_seed(5)
    assert _labels(cdata.DataLoader(ds, batch_size=4, shuffle=True, generator=g)) == with_gen


class WorkerTagged:
    """Returns (index, worker id, value set by worker_init_fn) to observe the workers."""

    def __len__(self) -> int:
        return 12

    def __getitem__(self, i):
        info = cdata.get_worker_info()
        worker = -1 if info is None else info.id
        return i, worker, os.environ.get("CHAINRULE_TEST_INIT", "none")


def _init(worker_id: int) -> None:
    os.environ["CHAINRULE_TEST_INIT"] = f"init{worker_id}"


@pytest.mark.parametrize("shuffle", [False, True])
def test_two_workers_same_batches_as_zero(shuffle):
    ds = _tensor_ds(chainrule)
    results = []
    for workers in (0, 2):
        chainrule.manual_seed(3)
        loader = cdata.DataLoader(ds, batch_size=3, shuffle=shuffle, num_workers=workers)
        batches = list(loader)
        results.append(batches)
        after = chainrule.randn(3).tolist()  # the loaders consumed the RNG identically
        results[-1].append(after)
    assert len(results[0]) == len(results[1])
    for a, b in zip(results[0][:-1], results[1][:-1]):
        np.testing.assert_array_equal(a[0].numpy(), b[0].numpy())
        np.testing.assert_array_equal(a[1].numpy(), b[1].numpy())
    assert results[0][-1] == results[1][-1]


def test_workers_run_worker_init_fn_and_report_info():
    assert cdata.get_worker_info() is None
    loader = cdata.DataLoader(WorkerTagged(), batch_size=2, num_workers=2, worker_init_fn=_init,
                              prefetch_factor=3, timeout=30)
    idx, workers, inits = zip(*[(b[0].tolist(), b[1].tolist(), b[2]) for b in loader])
    assert [i for b in idx for i in b] == list(range(12))
    assert [w[0] for w in workers] == [0, 1] * 3  # round-robin dispatch, in-order results
    assert all(list(tag) == [f"init{w[0]}"] * 2 for tag, w in zip(inits, workers))


def test_persistent_workers_two_epochs():
    ds = _tensor_ds(chainrule)
    loader = cdata.DataLoader(ds, batch_size=4, shuffle=True, num_workers=2,
                              persistent_workers=True)
    ref = cdata.DataLoader(ds, batch_size=4, shuffle=True)
    chainrule.manual_seed(9)
    got = [_labels(loader), _labels(loader)]
    iterator = loader._iterator
    chainrule.manual_seed(9)
    assert got[0] == _labels(ref)
    # as in torch, a persistent iterator draws its base seed once, so epoch 2 differs from a
    # fresh loader's second epoch; it is still a full new permutation
    assert sorted(i for b in got[1] for i in b) == list(range(11)) and got[1] != got[0]
    assert loader._iterator is iterator  # the same workers served both epochs
    iterator._shutdown_workers()


class Failing:
    def __len__(self) -> int:
        return 4

    def __getitem__(self, i):
        if i == 2:
            raise ValueError("bad sample 2")
        return i


def test_worker_exception_is_reraised():
    loader = cdata.DataLoader(Failing(), batch_size=1, num_workers=2)
    with pytest.raises(ValueError, match=r"(?s)Caught ValueError in DataLoader worker "
                       r"process 0.*bad sample 2"):
        list(loader)


def test_fast_path_equals_generic_path():
    class Plain(cdata.TensorDataset):  # a subclass takes the per-sample path
        pass

    x, y = chainrule.randn(23, 2, 3), chainrule.arange(23)
    for shuffle_seed in (0, 1):
        chainrule.manual_seed(shuffle_seed)
        fast = list(cdata.DataLoader(cdata.TensorDataset(x, y), batch_size=5, shuffle=True))
        chainrule.manual_seed(shuffle_seed)
        slow = list(cdata.DataLoader(Plain(x, y), batch_size=5, shuffle=True))
        for (a, b), (c, d) in zip(fast, slow):
            assert isinstance(a, chainrule.Tensor) and a.dtype == c.dtype
            np.testing.assert_array_equal(a.numpy(), c.numpy())
            np.testing.assert_array_equal(b.numpy(), d.numpy())


def test_argument_errors_like_torch():
    ds = _tensor_ds(chainrule)
    for lib in (chainrule, torch):
        d = _lib_data(lib)
        dset = _tensor_ds(lib)
        with pytest.raises(ValueError, match="sampler option is mutually exclusive with shuffle"):
            d.DataLoader(dset, shuffle=True, sampler=[0, 1])
        with pytest.raises(ValueError, match="batch_sampler option is mutually exclusive"):
            d.DataLoader(dset, batch_size=2, batch_sampler=[[0]])
        with pytest.raises(ValueError, match="mutually exclusive with drop_last"):
            d.DataLoader(dset, batch_size=None, drop_last=True)
        with pytest.raises(ValueError, match="num_workers option should be non-negative"):
            d.DataLoader(dset, num_workers=-1)
        with pytest.raises(ValueError, match="prefetch_factor option could only be specified"):
            d.DataLoader(dset, prefetch_factor=2)
        with pytest.raises(ValueError, match="persistent_workers option needs num_workers > 0"):
            d.DataLoader(dset, persistent_workers=True)
        with pytest.raises(ValueError, match="expected unspecified shuffle option"):
            d.DataLoader(_stream(lib), shuffle=True)
    loader = cdata.DataLoader(ds, batch_size=2)
    with pytest.raises(ValueError, match="batch_size attribute should not be set"):
        loader.batch_size = 3
    loader.num_workers = 0  # other attributes stay settable, as in torch


def test_pin_memory_and_in_order_accepted():
    ds = _tensor_ds(chainrule)
    batches = list(cdata.DataLoader(ds, batch_size=5, pin_memory=True, in_order=False))
    assert [len(b[1]) for b in batches] == [5, 5, 1]
