"""``torch.utils.checkpoint``: activation checkpointing.

Checkpointing trades compute for memory by recomputing a segment's activations during backward.
chainrule runs the segment as a plain call (activations are kept), so results and gradients are
identical to torch's; only the memory saving is absent.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

__all__ = ["checkpoint", "checkpoint_sequential"]


def checkpoint(function: Callable, *args, use_reentrant: bool | None = None,
               context_fn=None, determinism_check: str = "default", debug: bool = False,
               preserve_rng_state: bool = True, **kwargs):
    """Returns ``function(*args, **kwargs)`` (see the module docstring)."""
    if use_reentrant is None:
        # torch 2.x warns when use_reentrant is not passed explicitly
        warnings.warn(
            "torch.utils.checkpoint: the use_reentrant parameter should be passed explicitly. "
            "Starting in PyTorch 2.9, calling checkpoint without use_reentrant will raise an "
            "exception. use_reentrant=False is recommended, but if you need to preserve the "
            "current default behavior, you can pass use_reentrant=True. Refer to docs for more "
            "details on the differences between the two variants.",
            stacklevel=2,
        )
    return function(*args, **kwargs)


def checkpoint_sequential(functions, segments: int, input, use_reentrant: bool | None = None,
                          **kwargs):
    """Runs ``functions`` (a Sequential or a list of modules) in order on ``input``."""
    if use_reentrant is None:
        warnings.warn(
            "torch.utils.checkpoint.checkpoint_sequential: the use_reentrant parameter should be "
            "passed explicitly.",
            stacklevel=2,
        )
    children = list(functions.children()) if hasattr(functions, "children") else list(
        functions)
    for fn in children:
        input = fn(input)
    return input
