"""Datasets, random_split and samplers vs torch (deterministic parts exactly; random parts by
their invariants and by reproducibility under a seed)."""

from __future__ import annotations

import collections

import numpy as np
import pytest
import torch
from data_compare import assert_same_structure
from torch.utils import data as tdata

import chainrule
from chainrule.utils import data as cdata


def _tensors(lib):
    x = np.arange(30, dtype=np.float32).reshape(10, 3)
    return lib.tensor(x), lib.tensor(np.arange(10))


@pytest.mark.parametrize("index", [0, 3, -1, slice(2, 5), slice(None, None, 3)])
def test_tensor_dataset_indexing(index):
    ours = cdata.TensorDataset(*_tensors(chainrule))
    theirs = tdata.TensorDataset(*_tensors(torch))
    assert len(ours) == len(theirs) == 10
    assert_same_structure(ours[index], theirs[index])


def test_tensor_dataset_size_mismatch():
    with pytest.raises(AssertionError, match="Size mismatch between tensors"):
        cdata.TensorDataset(chainrule.zeros(3), chainrule.zeros(4))


def test_subset_concat_stack_chain():
    for lib, d in ((chainrule, cdata), (torch, tdata)):
        ds = d.TensorDataset(*_tensors(lib))
        sub = d.Subset(ds, [7, 2, 5])
        assert len(sub) == 3 and sub[0][1].item() == 7
        assert [s[1].item() for s in sub.__getitems__([2, 0])] == [5, 7]
        cat = ds + sub
        assert len(cat) == 13 and cat[11][1].item() == 2 and cat[-1][1].item() == 5
        assert cat.cumulative_sizes == [10, 13]
        with pytest.raises(ValueError, match="absolute value of index"):
            cat[-14]
        stack = d.StackDataset(sub, d.Subset(ds, [0, 1, 2]))
        assert len(d.StackDataset(a=sub, b=sub)) == 3
        with pytest.raises(ValueError, match="Size mismatch between datasets"):
            d.StackDataset(ds, sub)
        assert d.StackDataset(a=sub, b=sub)[1]["b"][1].item() == 2
        assert stack[0][0][1].item() == 7 and stack[0][1][1].item() == 0
        assert [t[1][1].item() for t in stack.__getitems__([2, 1])] == [2, 1]

    class Stream(cdata.IterableDataset):
        def __init__(self, n):
            self.n = n

        def __iter__(self):
            return iter(range(self.n))

        def __len__(self):
            return self.n

    chained = Stream(2) + Stream(3)
    assert isinstance(chained, cdata.ChainDataset)
    assert list(chained) == [0, 1, 0, 1, 2] and len(chained) == 5


@pytest.mark.parametrize("lengths", [[3, 7], [0.3, 0.7], [0.5, 0.25, 0.25], [0.34, 0.33, 0.33],
                                     [10]])
def test_random_split(lengths):
    ds = cdata.TensorDataset(*_tensors(chainrule))
    tds = tdata.TensorDataset(*_tensors(torch))
    splits = cdata.random_split(ds, lengths, generator=chainrule.Generator().manual_seed(3))
    tsplits = tdata.random_split(tds, lengths, generator=torch.Generator().manual_seed(3))
    assert [len(s) for s in splits] == [len(s) for s in tsplits]
    all_idx = sorted(i for s in splits for i in s.indices)
    assert all_idx == list(range(10))
    again = cdata.random_split(ds, lengths, generator=chainrule.Generator().manual_seed(3))
    assert [s.indices for s in again] == [s.indices for s in splits]
    chainrule.manual_seed(1)
    first = [s.indices for s in cdata.random_split(ds, lengths)]
    chainrule.manual_seed(1)
    assert first == [s.indices for s in cdata.random_split(ds, lengths)]


def test_random_split_errors():
    ds = cdata.TensorDataset(*_tensors(chainrule))
    with pytest.raises(ValueError, match="Sum of input lengths"):
        cdata.random_split(ds, [3, 3])
    with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
        cdata.random_split(ds, [1.0, 0.0])


def test_sequential_and_batch_sampler_match_torch():
    for n, bs, drop in [(10, 3, False), (10, 3, True), (9, 3, True), (1, 4, False)]:
        ours = cdata.BatchSampler(cdata.SequentialSampler(range(n)), bs, drop)
        theirs = tdata.BatchSampler(tdata.SequentialSampler(range(n)), bs, drop)
        assert list(ours) == list(theirs) and len(ours) == len(theirs)
    with pytest.raises(ValueError, match="batch_size should be a positive integer"):
        cdata.BatchSampler(range(3), 0, False)
    with pytest.raises(ValueError, match="drop_last should be a boolean"):
        cdata.BatchSampler(range(3), 2, 1)


def test_random_sampler():
    s = cdata.RandomSampler(range(10), generator=chainrule.Generator().manual_seed(0))
    first, second = list(s), list(s)
    assert sorted(first) == list(range(10)) and first != second  # new order per epoch
    assert list(cdata.RandomSampler(range(10), generator=chainrule.Generator().manual_seed(0))) \
        == first
    chainrule.manual_seed(4)
    a = list(cdata.RandomSampler(range(10)))
    chainrule.manual_seed(4)
    assert list(cdata.RandomSampler(range(10))) == a
    repl = list(cdata.RandomSampler(range(5), replacement=True, num_samples=70))
    assert len(repl) == 70 and set(repl) <= set(range(5))
    more = list(cdata.RandomSampler(range(4), num_samples=10))
    assert len(more) == 10 and sorted(more[:4]) == [0, 1, 2, 3]
    assert len(cdata.RandomSampler(range(4), num_samples=10)) == 10
    with pytest.raises(ValueError, match="num_samples should be a positive integer"):
        cdata.RandomSampler(range(4), num_samples=0)
    with pytest.raises(TypeError, match="replacement should be a boolean"):
        cdata.RandomSampler(range(4), replacement=1)


def test_subset_and_weighted_samplers():
    s = cdata.SubsetRandomSampler([3, 5, 9], generator=chainrule.Generator().manual_seed(1))
    assert sorted(s) == [3, 5, 9] and len(s) == 3
    w = cdata.WeightedRandomSampler([0.0, 1.0, 3.0], num_samples=400,
                                    generator=chainrule.Generator().manual_seed(2))
    draws = list(w)
    counts = collections.Counter(draws)
    assert len(draws) == 400 and counts[0] == 0 and counts[2] > 2 * counts[1]
    assert sorted(cdata.WeightedRandomSampler([1, 1, 1], 3, replacement=False)) == [0, 1, 2]
    with pytest.raises(ValueError, match="weights should be a 1d sequence"):
        cdata.WeightedRandomSampler([[1.0]], 1)


@pytest.mark.parametrize("replicas,rank,drop_last", [(1, 0, False), (3, 1, False),
                                                     (3, 2, True), (4, 0, False)])
def test_distributed_sampler_matches_torch_without_shuffle(replicas, rank, drop_last):
    ours = cdata.DistributedSampler(range(10), replicas, rank, shuffle=False,
                                    drop_last=drop_last)
    theirs = tdata.DistributedSampler(range(10), replicas, rank, shuffle=False,
                                      drop_last=drop_last)
    assert list(ours) == list(theirs) and len(ours) == len(theirs)


def test_distributed_sampler_one_replica_shuffles_per_epoch():
    s = cdata.DistributedSampler(range(10), num_replicas=1, rank=0, seed=7)
    e0 = list(s)
    assert sorted(e0) == list(range(10)) and list(s) == e0
    s.set_epoch(1)
    assert list(s) != e0
    with pytest.raises(RuntimeError, match="num_replicas=1"):
        cdata.DistributedSampler(range(10))
    with pytest.raises(ValueError, match="Invalid rank"):
        cdata.DistributedSampler(range(10), num_replicas=1, rank=1)
