"""``torch.nn.parallel``: multi-device wrappers.

``DataParallel`` on a machine without several GPUs is what torch's is there: a transparent
wrapper that calls the module (its state_dict keys gain the ``module.`` prefix, as in torch).
``DistributedDataParallel`` needs a process group, which chainrule never has: constructing it
raises a clear error.
"""

from __future__ import annotations

from .data_parallel import DataParallel, data_parallel
from .distributed import DistributedDataParallel

__all__ = ["DataParallel", "DistributedDataParallel", "data_parallel"]
