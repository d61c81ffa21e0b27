"""``torch.hub``: downloading models needs the network, which chainrule never uses.

``load``/``list``/``help``/``download_url_to_file``/``load_state_dict_from_url`` raise a
RuntimeError saying so; ``get_dir``/``set_dir`` work.
"""

from __future__ import annotations

import os

__all__ = [
    "download_url_to_file",
    "get_dir",
    "help",
    "list",
    "load",
    "load_state_dict_from_url",
    "set_dir",
]

_hub_dir: str | None = None


def _no_network(feature: str):
    raise RuntimeError(
        f"torch.hub.{feature}: chainrule does not download models or weights (no network "
        "access at run time); load a local checkpoint with torch.load(path) instead"
    )


def load(repo_or_dir, model, *args, **kwargs):
    _no_network("load")


def list(github, force_reload=False, skip_validation=False, trust_repo=None, verbose=True):
    _no_network("list")


def help(github, model, force_reload=False, skip_validation=False, trust_repo=None):
    _no_network("help")


def download_url_to_file(url, dst, hash_prefix=None, progress=True):
    _no_network("download_url_to_file")


def load_state_dict_from_url(url, model_dir=None, map_location=None, progress=True,
                             check_hash=False, file_name=None, weights_only=False):
    _no_network("load_state_dict_from_url")


def get_dir() -> str:
    if _hub_dir is not None:
        return _hub_dir
    home = os.environ.get("TORCH_HOME") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "torch"
    )
    return os.path.join(os.path.expanduser(home), "hub")


def set_dir(d) -> None:
    global _hub_dir
    _hub_dir = os.path.expanduser(str(d))
