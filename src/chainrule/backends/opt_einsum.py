"""``torch.backends.opt_einsum``: einsum contraction-order switch (NumPy chooses the order)."""

from __future__ import annotations

enabled = True
strategy = "auto"


def is_available() -> bool:
    return False


def get_opt_einsum():
    return None
