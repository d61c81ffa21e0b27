"""``torch.utils.model_zoo``: ``load_url`` needs the network (see ``chainrule.hub``)."""

from __future__ import annotations

from ..hub import load_state_dict_from_url as load_url

__all__ = ["load_url"]
