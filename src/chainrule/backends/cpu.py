"""``torch.backends.cpu``."""

from __future__ import annotations


def get_cpu_capability() -> str:
    """chainrule's kernels are NumPy's; it reports the baseline capability."""
    return "DEFAULT"
