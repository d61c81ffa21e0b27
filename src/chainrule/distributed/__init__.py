"""``torch.distributed``: chainrule trains in one process, so there is never a process group.

Checks that scripts run at startup behave as torch's do outside a distributed launch:
``is_available()`` is False, ``is_initialized()`` is False, and calls that need a group
(``get_rank()``, ``all_reduce()``, ...) raise torch's ValueError. ``init_process_group``
raises a RuntimeError naming the missing feature.
"""

from __future__ import annotations

import os
from enum import Enum

__all__ = [
    "Backend",
    "GroupMember",
    "ReduceOp",
    "all_gather",
    "all_gather_object",
    "all_reduce",
    "all_to_all",
    "barrier",
    "broadcast",
    "broadcast_object_list",
    "destroy_process_group",
    "gather",
    "get_backend",
    "get_local_rank",
    "get_node_local_rank",
    "get_rank",
    "get_world_size",
    "group",
    "init_process_group",
    "is_available",
    "is_gloo_available",
    "is_initialized",
    "is_mpi_available",
    "is_nccl_available",
    "is_torchelastic_launched",
    "new_group",
    "recv",
    "reduce",
    "reduce_scatter",
    "scatter",
    "send",
]

_NOT_INITIALIZED = (
    "Default process group has not been initialized, please make sure to call "
    "init_process_group."
)


def is_available() -> bool:
    """False: chainrule has no distributed backend (one process, one device)."""
    return False


def is_initialized() -> bool:
    return False


def is_nccl_available() -> bool:
    return False


def is_gloo_available() -> bool:
    return False


def is_mpi_available() -> bool:
    return False


def is_torchelastic_launched() -> bool:
    return os.environ.get("TORCHELASTIC_RUN_ID") is not None


def init_process_group(backend=None, init_method=None, timeout=None, world_size=-1, rank=-1,
                       store=None, group_name="", pg_options=None, device_id=None) -> None:
    """Raises: chainrule cannot run distributed (multi-process) training."""
    raise RuntimeError(
        "torch.distributed.init_process_group: distributed training is not supported by "
        "chainrule (it runs in a single process); run the script without torchrun/"
        "DistributedDataParallel"
    )


class ReduceOp(Enum):
    SUM = "sum"
    PRODUCT = "product"
    MIN = "min"
    MAX = "max"
    BAND = "band"
    BOR = "bor"
    BXOR = "bxor"
    AVG = "avg"
    PREMUL_SUM = "premul_sum"


class Backend(str):
    GLOO = "gloo"
    NCCL = "nccl"
    MPI = "mpi"
    UCC = "ucc"
    UNDEFINED = "undefined"

    def __new__(cls, name: str):
        return str.__new__(cls, name.lower())


class GroupMember:
    WORLD = None
    NON_GROUP_MEMBER = -100


class group:
    WORLD = None


def _need_group(*args, **kwargs):
    raise ValueError(_NOT_INITIALIZED)


def get_rank(group=None) -> int:
    """Raises ValueError (no process group), as torch does outside a distributed run."""
    raise ValueError(_NOT_INITIALIZED)


def get_world_size(group=None) -> int:
    """Raises ValueError (no process group), as torch does outside a distributed run."""
    raise ValueError(_NOT_INITIALIZED)


def get_local_rank() -> int:
    raise ValueError(_NOT_INITIALIZED)


def get_node_local_rank(fallback_rank: int | None = None) -> int:
    if "LOCAL_RANK" in os.environ:
        return int(os.environ["LOCAL_RANK"])
    if fallback_rank is not None:
        return int(fallback_rank)
    raise RuntimeError(
        "LOCAL_RANK is not in the environment. Consider passing fallback_rank to allow "
        "`get_node_local_rank` to work, assuming you are not running in a multi-device context "
        "and want the code to run locally instead."
    )


get_backend = destroy_process_group = barrier = all_reduce = reduce = broadcast = _need_group
all_gather = all_gather_object = gather = scatter = reduce_scatter = all_to_all = _need_group
broadcast_object_list = send = recv = isend = irecv = new_group = monitored_barrier = _need_group
all_gather_into_tensor = reduce_scatter_tensor = gather_object = scatter_object_list = _need_group
