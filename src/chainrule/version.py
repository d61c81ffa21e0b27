"""``torch.version``: the torch API version chainrule follows, as a comparable string.

``torch.__version__`` is a ``TorchVersion``: a ``str`` that also compares as a version with
strings and tuples (``torch.__version__ >= "2.0"``, ``>= (1, 12)``), as torch's does.
"""

from __future__ import annotations

import re

__all__ = ["TorchVersion", "__version__", "cuda", "debug", "git_version", "hip"]

_PRE = {"dev": -3, "a": -2, "alpha": -2, "b": -1, "beta": -1, "rc": 0}


def _key(version) -> tuple:
    """A sortable key: release numbers, then pre-release rank (a < b < rc < final)."""
    if isinstance(version, (tuple, list)):
        return tuple(int(v) for v in version), (1, 0)
    text = str(version).strip().lower().split("+", 1)[0]
    match = re.match(r"^v?(\d+(?:\.\d+)*)(?:[.-]?(dev|alpha|beta|a|b|rc)\.?(\d*))?", text)
    if match is None:
        raise ValueError(f"Invalid version: {version!r}")
    release = tuple(int(p) for p in match.group(1).split("."))
    pre = (1, 0) if match.group(2) is None else (_PRE[match.group(2)], int(match.group(3) or 0))
    return release, pre


class TorchVersion(str):
    """A version string that compares numerically (``"2.13.0" > "2.9"``)."""

    def _compare(self, other):
        release, pre = _key(self)
        other_release, other_pre = _key(other)
        width = max(len(release), len(other_release))
        release = release + (0,) * (width - len(release))
        other_release = other_release + (0,) * (width - len(other_release))
        return (release, pre), (other_release, other_pre)

    def __eq__(self, other) -> bool:
        if not isinstance(other, (str, tuple, list)):
            return NotImplemented
        try:
            a, b = self._compare(other)
        except ValueError:
            return str.__eq__(self, other)
        return a == b

    def __ne__(self, other) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __lt__(self, other) -> bool:
        if not isinstance(other, (str, tuple, list)):
            return NotImplemented
        a, b = self._compare(other)
        return a < b

    def __le__(self, other) -> bool:
        if not isinstance(other, (str, tuple, list)):
            return NotImplemented
        a, b = self._compare(other)
        return a <= b

    def __gt__(self, other) -> bool:
        if not isinstance(other, (str, tuple, list)):
            return NotImplemented
        a, b = self._compare(other)
        return a > b

    def __ge__(self, other) -> bool:
        if not isinstance(other, (str, tuple, list)):
            return NotImplemented
        a, b = self._compare(other)
        return a >= b

    __hash__ = str.__hash__


__version__ = TorchVersion("2.13.0")
cuda: str | None = None
hip: str | None = None
debug = False
git_version = "chainrule"
