"""Utilities: data loading (``chainrule.utils.data``)."""

from . import data  # noqa: F401
