"""The hand-written NumPy backprop equals autograd (float64, 1e-12) and torch."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
import torch

import chainrule
from chainrule.teach import manual

ACT = {"relu": "relu", "tanh": "tanh", "sigmoid": "sigmoid"}


def _random_net(rng, sizes, acts, out_act="identity"):
    weights = [rng.standard_normal((o, i)) for i, o in zip(sizes, sizes[1:])]
    biases = [rng.standard_normal(o) for o in sizes[1:]]
    return manual.MLP(weights, biases, list(acts), out_act)


def _autograd(lib, net, X, T, loss):
    """The same network through lib's autograd; returns (J, [dW], [db])."""
    Ws = [lib.tensor(w, dtype=lib.float64, requires_grad=True) for w in net.weights]
    bs = [lib.tensor(b, dtype=lib.float64, requires_grad=True) for b in net.biases]
    A = lib.tensor(X, dtype=lib.float64)
    names = [*net.activations, net.output_activation]
    for W, b, name in zip(Ws, bs, names):
        A = A @ W.T + b
        if name != "identity":
            A = getattr(lib, name)(A)
    if loss == "mse":
        J = ((A - lib.tensor(T, dtype=lib.float64)) ** 2).mean()
    else:
        logp = lib.log_softmax(A, 1)
        J = -(logp * lib.tensor(np.eye(A.shape[1])[T], dtype=lib.float64)).sum() / A.shape[0]
    J.backward()
    return J.item(), [W.grad.numpy() for W in Ws], [b.grad.numpy() for b in bs]


@pytest.mark.parametrize(
    "sizes,acts,out_act",
    [
        ((2, 3, 1), ("relu",), "identity"),  # the seed network
        ((4, 5, 3), ("sigmoid",), "identity"),
        ((3, 6, 4, 2), ("tanh", "relu"), "identity"),
        ((3, 4, 2), ("tanh",), "sigmoid"),  # an output activation phi
        ((5, 2), (), "identity"),  # a single layer
    ],
)
def test_mse_equals_autograd(sizes, acts, out_act):
    rng = np.random.default_rng(sum(sizes))
    net = _random_net(rng, sizes, acts, out_act)
    X = rng.standard_normal((7, sizes[0]))
    T = rng.standard_normal((7, sizes[-1]))
    J, g = manual.loss_and_grads(net, X, T, "mse")
    for lib in (chainrule, torch):
        J_ref, dW_ref, db_ref = _autograd(lib, net, X, T, "mse")
        assert J == pytest.approx(J_ref, rel=1e-12)
        for mine, ref in zip(g.dW + g.db, dW_ref + db_ref):
            np.testing.assert_allclose(mine, ref, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("acts", [("relu",), ("tanh", "sigmoid")])
def test_cross_entropy_equals_autograd(acts):
    rng = np.random.default_rng(3)
    sizes = (4, *(6 for _ in acts), 5)
    net = _random_net(rng, sizes, acts)
    X = rng.standard_normal((9, 4))
    T = rng.integers(0, 5, size=9)
    J, g = manual.loss_and_grads(net, X, T, "cross_entropy")
    J_ref, dW_ref, db_ref = _autograd(chainrule, net, X, T, "ce")
    tloss = torch.nn.functional.cross_entropy(
        torch.tensor(manual.forward(net, X).Z[-1]), torch.tensor(T)
    )
    assert J == pytest.approx(J_ref, rel=1e-12) and J == pytest.approx(tloss.item(), rel=1e-12)
    for mine, ref in zip(g.dW + g.db, dW_ref + db_ref):
        np.testing.assert_allclose(mine, ref, rtol=1e-12, atol=1e-12)


def test_relu_kink_and_sgd_step():
    # relu'(0) = 0, as torch: a unit with Z = 0 passes no gradient
    net = manual.MLP([np.array([[1.0, -1.0]]), np.array([[2.0]])], [np.zeros(1), np.zeros(1)],
                     ["relu"])  # fmt: skip
    X, T = np.array([[1.0, 1.0]]), np.array([[1.0]])
    J, g = manual.loss_and_grads(net, X, T)
    assert g.dW[0].tolist() == [[0.0, 0.0]] and g.db[1].tolist() == [-2.0]
    before = net.biases[1].copy()
    manual.sgd_step(net, g, lr=0.1)
    np.testing.assert_allclose(net.biases[1], before - 0.1 * g.db[1])


def test_bad_configurations_raise():
    with pytest.raises(ValueError, match="needs 1 hidden"):
        manual.MLP([np.ones((2, 2)), np.ones((1, 2))], [np.zeros(2), np.zeros(1)], [])
    with pytest.raises(ValueError, match="unknown activation"):
        manual.MLP([np.ones((1, 2))], [np.zeros(1)], [], "gelu")
    net = manual.MLP([np.ones((1, 2))], [np.zeros(1)], [], "sigmoid")
    with pytest.raises(ValueError, match="logits"):
        manual.loss_and_grads(net, np.ones((1, 2)), np.array([0]), "cross_entropy")


def test_doctests():
    assert doctest.testmod(manual).failed == 0


nn = pytest.importorskip("chainrule.nn")


@pytest.mark.parametrize(
    "build,loss",
    [
        (lambda: [nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 4), nn.ReLU(), nn.Linear(4, 2)], "mse"),
        (lambda: [nn.Linear(3, 6), nn.Sigmoid(), nn.Linear(6, 4)], "cross_entropy"),
        (lambda: [nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2), nn.Sigmoid()], "mse"),
    ],
)
def test_from_module_equals_autograd_through_nn(build, loss):
    chainrule.manual_seed(0)
    model = nn.Sequential(*build()).double()
    X = chainrule.randn(6, 3, dtype=chainrule.float64)
    out = model(X)
    if loss == "mse":
        T = chainrule.randn(*out.shape, dtype=chainrule.float64)
        J = nn.MSELoss()(out, T)
    else:
        T = chainrule.randint(0, out.shape[1], (6,))
        J = nn.CrossEntropyLoss()(out, T)
    J.backward()
    net = manual.from_module(model)
    J_hand, g = manual.loss_and_grads(net, X.numpy(), T.numpy(), loss)
    assert J_hand == pytest.approx(J.item(), rel=1e-12)
    linears = [m for m in model.children() if isinstance(m, nn.Linear)]
    for layer, dW, db in zip(linears, g.dW, g.db):
        np.testing.assert_allclose(dW, layer.weight.grad.numpy(), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(db, layer.bias.grad.numpy(), rtol=1e-12, atol=1e-12)
    # a copy: stepping the hand-written net leaves the model alone
    w0 = linears[0].weight.detach().numpy().copy()
    manual.sgd_step(net, g, 0.1)
    np.testing.assert_array_equal(linears[0].weight.detach().numpy(), w0)


def test_from_module_rejects_other_layers():
    with pytest.raises(TypeError, match="layer 1 is Dropout"):
        manual.from_module(nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5)))
    with pytest.raises(TypeError, match="must follow a Linear"):
        manual.from_module(nn.Sequential(nn.ReLU(), nn.Linear(2, 2)))
    single = manual.from_module(nn.Linear(3, 2, bias=False))
    assert single.activations == [] and single.biases[0].tolist() == [0.0, 0.0]
