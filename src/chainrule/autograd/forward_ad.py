"""Forward-mode AD is not implemented in chainrule: using it raises a clear error."""

from __future__ import annotations


def _unsupported(*args, **kwargs):
    raise NotImplementedError(
        "torch.autograd.forward_ad (forward-mode AD) is not supported by chainrule; use "
        "reverse mode (backward / autograd.grad)"
    )


dual_level = make_dual = unpack_dual = _unsupported
