"""``DistributedDataParallel``: needs a process group, which chainrule never has."""

from __future__ import annotations

from ..modules.module import Module

__all__ = ["DistributedDataParallel"]


class DistributedDataParallel(Module):
    """Raises when constructed: distributed training needs ``init_process_group``, which
    chainrule (single process) does not support. Use the module directly."""

    def __init__(self, module: Module, *args, **kwargs) -> None:
        raise RuntimeError(
            "DistributedDataParallel needs a distributed process group "
            "(torch.distributed.init_process_group), and chainrule does not support "
            "distributed training: Default process group has not been initialized. Train the "
            "module directly (or wrap it in nn.DataParallel, a pass-through in chainrule)."
        )
