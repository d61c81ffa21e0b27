"""torch's private layout (``torch.utils.data._utils.collate`` ...), kept importable because
real programs import ``default_collate`` and ``collate`` from there."""

from .. import _worker as worker
from .._worker import MP_STATUS_CHECK_INTERVAL
from . import collate

__all__ = ["MP_STATUS_CHECK_INTERVAL", "collate", "worker"]
