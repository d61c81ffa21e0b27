"""``import torch`` -> chainrule, for running real PyTorch programs unchanged.

``install()`` puts a meta-path finder first on ``sys.meta_path`` that resolves ``torch`` and
every ``torch.x.y`` to the already-importable ``chainrule`` / ``chainrule.x.y`` module object
itself (not a copy), so ``torch.nn.Linear is chainrule.nn.Linear`` and ``isinstance`` checks
across spellings agree.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

__all__ = ["install", "uninstall"]


class _TorchToChainrule(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        if fullname == "torch" or fullname.startswith("torch."):
            is_package = self._target(fullname) is not None
            return importlib.util.spec_from_loader(fullname, self, is_package=is_package)
        return None

    @staticmethod
    def _target(fullname: str):
        """The chainrule module, or None when it does not exist (ImportError later)."""
        name = "chainrule" + fullname[len("torch"):]
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name == name:
                return None
            raise

    def create_module(self, spec):
        module = self._target(spec.name)
        if module is None:
            raise ModuleNotFoundError(
                f"No module named '{spec.name}' (chainrule has no "
                f"'chainrule{spec.name[len('torch'):]}')",
                name=spec.name,
            )
        return module

    def exec_module(self, module) -> None:
        return None  # the chainrule module is already executed


_FINDER = _TorchToChainrule()


def install() -> None:
    """Makes ``import torch`` (and submodules) load chainrule from now on."""
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
    for name in [n for n in sys.modules if n == "torch" or n.startswith("torch.")]:
        del sys.modules[name]


def uninstall() -> None:
    if _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
    for name in [n for n in sys.modules if n == "torch" or n.startswith("torch.")]:
        del sys.modules[name]
