"""DistributedSampler: each of ``num_replicas`` processes reads its own slice of the data.

chainrule runs in one process, so the useful configuration is ``num_replicas=1, rank=0``
(every index, shuffled per epoch by ``seed + epoch``); other values give the slice rank
``rank`` would read, as in torch, which is handy for sharding by hand.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from ..._creation import Generator, randperm
from .dataset import Dataset
from .sampler import Sampler

__all__ = ["DistributedSampler"]


def _world() -> tuple[int, int]:
    from ... import distributed

    if not distributed.is_available():
        raise RuntimeError(
            "Requires distributed package to be available (chainrule runs in one process: "
            "pass num_replicas=1 and rank=0)"
        )
    return distributed.get_world_size(), distributed.get_rank()


class DistributedSampler(Sampler[int]):
    """Indices ``rank, rank + num_replicas, ...`` of a (seeded, per-epoch) permutation, padded
    by wrapping around (or truncated with ``drop_last``) so every replica gets as many.

    Call ``set_epoch(epoch)`` at the start of each epoch to get a new shuffle.
    """

    def __init__(self, dataset: Dataset, num_replicas: int | None = None,
                 rank: int | None = None, shuffle: bool = True, seed: int = 0,
                 drop_last: bool = False) -> None:
        if num_replicas is None:
            num_replicas = _world()[0]
        if rank is None:
            rank = _world()[1]
        if rank >= num_replicas or rank < 0:
            raise ValueError(
                f"Invalid rank {rank}, rank should be in the interval [0, {num_replicas - 1}]"
            )
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.epoch = 0
        self.drop_last = drop_last
        if self.drop_last and len(self.dataset) % self.num_replicas != 0:
            self.num_samples = math.ceil(
                (len(self.dataset) - self.num_replicas) / self.num_replicas
            )
        else:
            self.num_samples = math.ceil(len(self.dataset) / self.num_replicas)
        self.total_size = self.num_samples * self.num_replicas
        self.shuffle = shuffle
        self.seed = seed

    def __iter__(self) -> Iterator[int]:
        if self.shuffle:
            g = Generator().manual_seed(self.seed + self.epoch)
            indices = randperm(len(self.dataset), generator=g).tolist()
        else:
            indices = list(range(len(self.dataset)))
        if not self.drop_last:
            padding_size = self.total_size - len(indices)
            if padding_size <= len(indices):
                indices += indices[:padding_size]
            else:
                indices += (indices * math.ceil(padding_size / len(indices)))[:padding_size]
        else:
            indices = indices[: self.total_size]
        indices = indices[self.rank : self.total_size : self.num_replicas]
        return iter(indices)

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Sets the epoch, which (with ``seed``) determines this epoch's shuffle."""
        self.epoch = epoch
