"""``torch.utils.tensorboard``: ``SummaryWriter`` writing TensorBoard event files.

Needs the ``tensorboard`` package (``pip install tensorboard``); like torch, importing this
module without it raises ImportError naming the package.
"""

from __future__ import annotations

try:
    import tensorboard  # noqa: F401
except ImportError as err:  # as torch: the import itself fails without the package
    raise ModuleNotFoundError(
        "torch.utils.tensorboard needs the 'tensorboard' package: pip install tensorboard",
        name="tensorboard",
    ) from err

from .writer import SummaryWriter

__all__ = ["SummaryWriter"]
