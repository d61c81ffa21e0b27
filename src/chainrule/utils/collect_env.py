"""``python -m torch.utils.collect_env``-style report of chainrule's environment."""

from __future__ import annotations

import platform
import sys


def get_pretty_env_info() -> str:
    import numpy

    from .. import __version__, chainrule_version
    from .._backend import cuda_available

    return "\n".join([
        f"chainrule version: {chainrule_version} (torch API {__version__})",
        f"Python version: {sys.version.split()[0]}",
        f"OS: {platform.platform()}",
        f"NumPy version: {numpy.__version__}",
        f"Is CUDA available: {cuda_available()}",
    ])


def main() -> None:
    print(get_pretty_env_info())


if __name__ == "__main__":
    main()
