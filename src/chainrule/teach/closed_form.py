"""The seed's 2-layer network by hand: recognise it in a graph and redo its chain rule in NumPy.

Recognised graph (before backward, while the saved tensors are alive)::

    MseLoss(mean) <- [phi] <- Linear(W2, b2) <- sigma <- Linear(W1, b1) <- X

with ``sigma``, ``phi`` one of ReLU, sigmoid, tanh (``phi`` may be absent: identity). The
numbers come from :mod:`chainrule.teach.manual` in float64, so they are an independent check of
autograd, not a copy of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..autograd.function import Node
from . import manual

__all__ = ["SeedSpec", "detect", "rows", "SEED_ERRATUM"]

_ACT_NODES = {"ReluBackward0": "relu", "SigmoidBackward0": "sigmoid", "TanhBackward0": "tanh"}
_LINEAR_OPS = ("Linear", "LinearNoBias")

SEED_ERRATUM = (
    "Note: the seed tutorial §4.2 evaluates φ' and σ' at the wrong points (φ'(h)·h, σ'(x)·x): "
    "they belong at the pre-activations, φ'(Z2) and σ'(Z1), as above."
)


@dataclass
class SeedSpec:
    """The pieces of a recognised Linear-activation-Linear + MSE graph."""

    X: np.ndarray
    T: np.ndarray
    leaves: dict  # symbol ("W1", "b1", "W2", "b2") -> leaf tensor (b may be None: no bias)
    sigma: str
    phi: str
    loss_value: float
    dtype: str = "float64"  # what autograd computed in


def _linear(node) -> bool:
    return isinstance(node, Node) and getattr(node.op, "__name__", "") in _LINEAR_OPS


def _leaf(edge):
    if edge is None or isinstance(edge[0], Node):
        return None
    return edge[0]


def _params(lin, suffix: str, leaves: dict) -> bool:
    w = _leaf(lin.edges[1])
    if w is None:
        return False
    leaves["W" + suffix] = w
    has_bias = lin.op.__name__ == "Linear"
    b = _leaf(lin.edges[2]) if has_bias else None
    if has_bias and b is None:  # a bias that needs no grad: its value is not in the graph
        return False
    leaves["b" + suffix] = b
    return True


def detect(loss) -> SeedSpec | None:
    """The :class:`SeedSpec` of ``loss``'s graph, or None when it is not that network."""
    root = loss.grad_fn
    if root is None or root.name() != "MseLossBackward0":
        return None
    if getattr(root, "reduction", "mean") != "mean":
        return None
    try:
        saved = root.saved_tensors
    except RuntimeError:  # already backpropagated: the saved tensors are gone
        return None
    if len(saved) < 2 or root.edges[0] is None or not isinstance(root.edges[0][0], Node):
        return None
    T = np.asarray(saved[1]._data, dtype=np.float64)
    node = root.edges[0][0]
    phi = _ACT_NODES.get(node.name(), "identity")
    lin2 = node.edges[0][0] if phi != "identity" and node.edges[0] is not None else node
    if not _linear(lin2) or lin2.edges[0] is None or not isinstance(lin2.edges[0][0], Node):
        return None
    act = lin2.edges[0][0]
    sigma = _ACT_NODES.get(act.name())
    if sigma is None or act.edges[0] is None or not _linear(act.edges[0][0]):
        return None
    lin1 = act.edges[0][0]
    leaves: dict = {}
    if not (_params(lin1, "1", leaves) and _params(lin2, "2", leaves)):
        return None
    X = np.asarray(lin1.saved_tensors[0]._data, dtype=np.float64)
    if X.ndim != 2 or T.ndim != 2:
        return None
    return SeedSpec(X, T, leaves, sigma, phi, float(loss._data), str(loss._data.dtype))


def _net(spec: SeedSpec) -> manual.MLP:
    ws, bs = [], []
    for k in ("1", "2"):
        w = np.asarray(spec.leaves["W" + k]._data, dtype=np.float64)
        b = spec.leaves["b" + k]
        ws.append(w)
        bs.append(np.zeros(w.shape[0]) if b is None else np.asarray(b._data, dtype=np.float64))
    return manual.MLP(ws, bs, [spec.sigma], spec.phi)


def rows(spec: SeedSpec, autograd_grad) -> tuple[list, dict, float, float]:
    """``(rows, grads, max_diff, max_rel)``: the formulas with their values, the closed-form
    gradients per symbol, and their largest absolute difference from ``autograd_grad(leaf)``
    over all parameters (and that difference relative to the gradient's largest entry).
    """
    net = _net(spec)
    cache = manual.forward(net, spec.X)
    grads = manual.backward(net, cache, spec.T, "mse")
    N, n = spec.X.shape
    k = spec.T.shape[1]
    s, p = spec.sigma, spec.phi
    J = manual.mse_loss(cache.A[-1], spec.T)
    table = [
        ("X", f"input, N×n = {N}×{n}", spec.X),
        ("T", f"target, N×k = {N}×{k}", spec.T),
        ("Z1", "X W1ᵀ + b1", cache.Z[0]),
        ("H", f"σ(Z1), σ = {s}", cache.A[1]),
        ("Z2", "H W2ᵀ + b2", cache.Z[1]),
        ("Y", f"φ(Z2), φ = {p}", cache.A[2]),
        ("J", "mean((Y − T)²)", np.asarray(J)),
        ("δ_out", "dJ/dZ2 = (2/(N·k)) (Y − T) ⊙ φ'(Z2)", grads.delta[1]),
        ("∇W2", "δ_outᵀ H", grads.dW[1]),
        ("∇b2", "Σ_rows δ_out", grads.db[1]),
        ("δ_h", "dJ/dZ1 = (δ_out W2) ⊙ σ'(Z1)", grads.delta[0]),
        ("∇W1", "δ_hᵀ X", grads.dW[0]),
        ("∇b1", "Σ_rows δ_h", grads.db[0]),
    ]
    mine = {"W1": grads.dW[0], "b1": grads.db[0], "W2": grads.dW[1], "b2": grads.db[1]}
    diff = rel = 0.0
    for sym, g in mine.items():
        leaf = spec.leaves.get(sym)
        if leaf is None:
            continue
        ref = autograd_grad(leaf)
        if ref is None:
            continue
        d = float(np.max(np.abs(np.asarray(ref, dtype=np.float64) - g)))
        diff = max(diff, d)
        rel = max(rel, d / max(float(np.max(np.abs(g))), 1e-300))
    return table, mine, diff, rel
