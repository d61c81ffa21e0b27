"""``torch.utils._pytree``: flatten nested lists/tuples/dicts/namedtuples into leaves and back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "LeafSpec",
    "TreeSpec",
    "tree_all",
    "tree_any",
    "tree_flatten",
    "tree_leaves",
    "tree_map",
    "tree_map_only",
    "tree_structure",
    "tree_unflatten",
]


@dataclass
class TreeSpec:
    type: Any
    context: Any
    children_specs: list = field(default_factory=list)

    @property
    def num_leaves(self) -> int:
        if self.type is None:
            return 1
        return sum(c.num_leaves for c in self.children_specs)

    def is_leaf(self) -> bool:
        return self.type is None


def LeafSpec() -> TreeSpec:
    return TreeSpec(None, None, [])


def _is_namedtuple(x) -> bool:
    return isinstance(x, tuple) and hasattr(x, "_fields")


def tree_flatten(tree: Any, is_leaf: Callable | None = None) -> tuple[list, TreeSpec]:
    """Leaves in order and the structure to rebuild ``tree`` with ``tree_unflatten``."""
    if is_leaf is not None and is_leaf(tree):
        return [tree], LeafSpec()
    if isinstance(tree, dict):
        keys = list(tree.keys())
        children = [tree[k] for k in keys]
        kind, context = type(tree), keys
    elif _is_namedtuple(tree) or isinstance(tree, (list, tuple)):
        children, kind, context = list(tree), type(tree), None
    else:
        return [tree], LeafSpec()
    leaves: list = []
    specs = []
    for child in children:
        child_leaves, spec = tree_flatten(child, is_leaf)
        leaves.extend(child_leaves)
        specs.append(spec)
    return leaves, TreeSpec(kind, context, specs)


def tree_unflatten(leaves, treespec: TreeSpec) -> Any:
    leaves = list(leaves)
    if len(leaves) != treespec.num_leaves:
        raise ValueError(
            f"treespec.unflatten(leaves): `leaves` has length {len(leaves)} but the spec refers "
            f"to a pytree that holds {treespec.num_leaves} items ({treespec})."
        )
    return _build(iter(leaves), treespec)


def _build(it, spec: TreeSpec) -> Any:
    if spec.type is None:
        return next(it)
    children = [_build(it, c) for c in spec.children_specs]
    if issubclass(spec.type, dict):
        return spec.type(zip(spec.context, children))
    if _is_namedtuple_type(spec.type):
        return spec.type(*children)
    return spec.type(children)


def _is_namedtuple_type(t) -> bool:
    return issubclass(t, tuple) and hasattr(t, "_fields")


def tree_leaves(tree: Any, is_leaf: Callable | None = None) -> list:
    return tree_flatten(tree, is_leaf)[0]


def tree_structure(tree: Any, is_leaf: Callable | None = None) -> TreeSpec:
    return tree_flatten(tree, is_leaf)[1]


def tree_map(fn: Callable, tree: Any, *rests, is_leaf: Callable | None = None) -> Any:
    leaves, spec = tree_flatten(tree, is_leaf)
    others = [tree_flatten(r, is_leaf)[0] for r in rests]
    return tree_unflatten([fn(x, *xs) for x, *xs in zip(leaves, *others)], spec)


def tree_map_only(type_or_types, fn: Callable, tree: Any, is_leaf=None) -> Any:
    return tree_map(lambda x: fn(x) if isinstance(x, type_or_types) else x, tree,
                    is_leaf=is_leaf)


def tree_all(pred: Callable, tree: Any, is_leaf=None) -> bool:
    return all(pred(x) for x in tree_leaves(tree, is_leaf))


def tree_any(pred: Callable, tree: Any, is_leaf=None) -> bool:
    return any(pred(x) for x in tree_leaves(tree, is_leaf))
