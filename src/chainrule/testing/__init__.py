"""``torch.testing``: ``assert_close`` with torch's default tolerances and messages, and
``make_tensor``."""

from __future__ import annotations

from ._comparison import assert_allclose, assert_close
from ._creation import make_tensor

__all__ = ["assert_allclose", "assert_close", "make_tensor"]
