r"""Backpropagation by hand for a multilayer perceptron: NumPy only, one formula per line.

This is the algorithm autograd runs for you, written out for one model family so it can be read
top to bottom. The tests check it equals chainrule's autograd to 1e-12 in float64.

Layout (torch's, row-major batches): ``X`` is ``N x n`` (one example per row); layer ``l`` has
weight ``W_l`` of shape ``(out_l, in_l)`` and bias ``b_l`` of shape ``(out_l,)``.

Forward, for ``l = 1..L`` with ``A_0 = X``::

    Z_l = A_{l-1} W_l^T + b_l            pre-activation,  N x out_l
    A_l = sigma_l(Z_l)                   activation (identity on the last layer: logits / Y)

Loss on the output ``Y = A_L`` (``k`` outputs, targets ``T``)::

    MSE:            J = (1 / (N k)) * sum_ij (Y_ij - T_ij)^2          (torch's MSELoss, mean)
    cross-entropy:  P = softmax(Z_L) row-wise,  J = -(1/N) sum_i log P[i, t_i]

Backward. Write ``delta_l = dJ/dZ_l`` (N x out_l). The chain rule through ``J``::

    MSE:            delta_L = (2 / (N k)) (Y - T) * phi'(Z_L)     (phi = output activation)
    cross-entropy:  delta_L = (P - onehot(T)) / N                  (softmax + log cancel)

Through ``Z_l = A_{l-1} W_l^T + b_l`` (a sum over the batch, so parameter gradients sum rows)::

    dJ/dW_l      = delta_l^T A_{l-1}          out_l x in_l, the shape of W_l
    dJ/db_l      = sum over rows of delta_l   out_l
    dJ/dA_{l-1}  = delta_l W_l                N x in_l

Through ``A_{l-1} = sigma(Z_{l-1})``, element-wise, so the Jacobian is diagonal::

    delta_{l-1}  = (delta_l W_l) * sigma'(Z_{l-1})

The derivative is taken at the pre-activation ``Z``, never at the layer's input. Local
derivatives: ``sigmoid' = s (1 - s)``, ``tanh' = 1 - tanh^2``, ``relu'(z) = [z > 0]``
(``relu'(0) = 0``, as torch), ``identity' = 1``.

Example:
    >>> import numpy as np
    >>> net = MLP([np.ones((2, 2)), np.ones((1, 2))], [np.zeros(2), np.zeros(1)], ["relu"])
    >>> X, T = np.array([[1.0, 2.0]]), np.array([[5.0]])
    >>> cache = forward(net, X)
    >>> float(cache.A[-1][0, 0]), float(mse_loss(cache.A[-1], T))
    (6.0, 1.0)
    >>> grads = backward(net, cache, T)
    >>> grads.dW[1]            # delta_2 = 2 (6 - 5) = 2;  dW2 = delta_2^T H = 2 [3, 3]
    array([[6., 6.]])
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "MLP",
    "Cache",
    "Grads",
    "ACTIVATIONS",
    "forward",
    "backward",
    "mse_loss",
    "cross_entropy_loss",
    "loss_and_grads",
    "sgd_step",
    "from_module",
]


# -- activations: (sigma(z), sigma'(z) given z and a = sigma(z)) ------------------------------


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _tanh(z):
    return np.tanh(z)


def _relu(z):
    return np.maximum(z, 0.0)


def _identity(z):
    return z


ACTIVATIONS = {
    "sigmoid": (_sigmoid, lambda z, a: a * (1.0 - a)),
    "tanh": (_tanh, lambda z, a: 1.0 - a * a),
    "relu": (_relu, lambda z, a: (z > 0).astype(z.dtype)),
    "identity": (_identity, lambda z, a: np.ones_like(z)),
}


@dataclass
class MLP:
    """Weights ``W_l`` (out, in), biases ``b_l`` (out,), hidden activations, output activation.

    ``activations[l]`` follows layer ``l`` (``len(weights) - 1`` of them); the last layer is
    followed by ``output_activation`` (``identity``: raw outputs / logits).
    """

    weights: list
    biases: list
    activations: list
    output_activation: str = "identity"

    def __post_init__(self) -> None:
        if len(self.activations) != len(self.weights) - 1:
            raise ValueError(
                f"an MLP with {len(self.weights)} layers needs {len(self.weights) - 1} hidden "
                f"activations, got {len(self.activations)}"
            )
        for name in [*self.activations, self.output_activation]:
            if name not in ACTIVATIONS:
                raise ValueError(f"unknown activation {name!r}; one of {sorted(ACTIVATIONS)}")


@dataclass
class Cache:
    """What the forward pass keeps for the backward: ``Z[l]`` and ``A[l]`` (``A[0] = X``)."""

    Z: list = field(default_factory=list)
    A: list = field(default_factory=list)


@dataclass
class Grads:
    """``dW[l]``, ``db[l]`` per layer (same shapes as the parameters) and ``delta[l] = dJ/dZ_l``."""

    dW: list
    db: list
    delta: list


def forward(net: MLP, X: np.ndarray) -> Cache:
    """``Z_l = A_{l-1} W_l^T + b_l``, ``A_l = sigma_l(Z_l)``; returns every ``Z`` and ``A``."""
    cache = Cache(A=[X])
    names = [*net.activations, net.output_activation]
    for W, b, name in zip(net.weights, net.biases, names):
        sigma = ACTIVATIONS[name][0]
        Z = cache.A[-1] @ W.T + b  # pre-activation
        A = sigma(Z)  # activation
        cache.Z.append(Z)
        cache.A.append(A)
    return cache


def mse_loss(Y: np.ndarray, T: np.ndarray) -> float:
    """``J = mean((Y - T)^2)`` over all ``N k`` elements."""
    return float(np.mean((Y - T) ** 2))


def _softmax(Z: np.ndarray) -> np.ndarray:
    E = np.exp(Z - Z.max(axis=1, keepdims=True))  # shift by the row max: exp cannot overflow
    return E / E.sum(axis=1, keepdims=True)


def _one_hot(T: np.ndarray, k: int, dtype) -> np.ndarray:
    if T.ndim == 2:  # already probabilities / one-hot rows
        return T.astype(dtype)
    return np.eye(k, dtype=dtype)[T]


def cross_entropy_loss(Z: np.ndarray, T: np.ndarray) -> float:
    """``J = -(1/N) sum_i log softmax(Z)[i, t_i]`` (class indices, or probability rows)."""
    logP = Z - Z.max(axis=1, keepdims=True)
    logP = logP - np.log(np.exp(logP).sum(axis=1, keepdims=True))
    return float(-np.sum(_one_hot(T, Z.shape[1], Z.dtype) * logP) / Z.shape[0])


def backward(net: MLP, cache: Cache, T: np.ndarray, loss: str = "mse") -> Grads:
    """The chain rule from ``J`` back to every ``W_l``, ``b_l`` (see the module docstring)."""
    L = len(net.weights)
    Z_L, Y = cache.Z[-1], cache.A[-1]
    N = Y.shape[0]
    if loss == "mse":
        k = Y.shape[1] if Y.ndim > 1 else 1
        dphi = ACTIVATIONS[net.output_activation][1]
        delta = (2.0 / (N * k)) * (Y - T) * dphi(Z_L, Y)  # dJ/dZ_L
    elif loss == "cross_entropy":
        if net.output_activation != "identity":
            raise ValueError("cross-entropy takes logits: use output_activation='identity'")
        delta = (_softmax(Z_L) - _one_hot(T, Z_L.shape[1], Z_L.dtype)) / N  # dJ/dZ_L
    else:
        raise ValueError(f"loss must be 'mse' or 'cross_entropy', got {loss!r}")
    dW, db, deltas = [None] * L, [None] * L, [None] * L
    for l in range(L - 1, -1, -1):  # noqa: E741  (l is the layer index of the formulas)
        deltas[l] = delta
        dW[l] = delta.T @ cache.A[l]  # dJ/dW_l = delta_l^T A_{l-1}
        db[l] = delta.sum(axis=0)  # dJ/db_l = sum over rows of delta_l
        if l > 0:
            dsigma = ACTIVATIONS[net.activations[l - 1]][1]
            dA = delta @ net.weights[l]  # dJ/dA_{l-1} = delta_l W_l
            delta = dA * dsigma(cache.Z[l - 1], cache.A[l])  # delta_{l-1}, sigma' at Z_{l-1}
    return Grads(dW, db, deltas)


def loss_and_grads(net: MLP, X: np.ndarray, T: np.ndarray, loss: str = "mse"):
    """``(J, Grads)`` for one batch: forward, loss, backward."""
    cache = forward(net, X)
    if loss == "mse":
        J = mse_loss(cache.A[-1], T)
    elif loss == "cross_entropy":
        J = cross_entropy_loss(cache.Z[-1], T)
    else:
        raise ValueError(f"loss must be 'mse' or 'cross_entropy', got {loss!r}")
    return J, backward(net, cache, T, loss)


def sgd_step(net: MLP, grads: Grads, lr: float) -> None:
    """``theta_new = theta_old - lr * dJ/dtheta`` for every weight and bias, in place."""
    for l in range(len(net.weights)):  # noqa: E741
        net.weights[l] -= lr * grads.dW[l]
        net.biases[l] -= lr * grads.db[l]


_ACT_MODULES = {"ReLU": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh", "Identity": "identity"}


def from_module(model) -> MLP:
    """An :class:`MLP` with copies of the weights of a chainrule ``nn.Sequential`` of
    ``Linear`` layers and ``ReLU``/``Sigmoid``/``Tanh`` activations (one Linear alone works).

    An activation after the last Linear becomes ``output_activation``.

    Raises:
        TypeError: for any other layer (named), or two activations in a row.
    """
    layers = [model] if type(model).__name__ == "Linear" else list(model.children())
    weights, biases, acts = [], [], []
    pending = None  # the activation seen after the latest Linear
    for i, layer in enumerate(layers):
        kind = type(layer).__name__
        if kind == "Linear":
            if weights:
                acts.append(pending or "identity")
            pending = None
            w = np.array(layer.weight.detach().numpy(), copy=True)
            b = layer.bias
            weights.append(w)
            biases.append(
                np.zeros(w.shape[0], w.dtype) if b is None else np.array(b.detach().numpy())
            )
        elif kind in _ACT_MODULES:
            if not weights or pending is not None:
                raise TypeError(f"from_module: layer {i} ({kind}) must follow a Linear layer")
            pending = _ACT_MODULES[kind]
        else:
            raise TypeError(
                f"from_module: layer {i} is {kind}; only Linear, ReLU, Sigmoid, Tanh and "
                "Identity layers can be copied into the hand-written MLP"
            )
    if not weights:
        raise TypeError("from_module: the model has no Linear layer")
    return MLP(weights, biases, acts, pending or "identity")
