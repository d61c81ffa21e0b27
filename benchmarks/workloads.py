"""The benchmarked workloads, written once against the torch API and run on either library.

Each ``make_*`` takes the library module (``chainrule`` or ``torch``) and returns a zero-argument
``step()`` that runs one training step (or one op), so both libraries execute the same code.
Data and weights come from one NumPy seed, so both libraries see identical numbers.
"""

from __future__ import annotations

import numpy as np


def _copy_weights(lib, model, seed: int) -> None:
    rng = np.random.default_rng(seed)
    with lib.no_grad():
        for p in model.parameters():
            bound = 1.0 / np.sqrt(max(1, p.shape[-1]))
            p.copy_(lib.tensor(rng.uniform(-bound, bound, tuple(p.shape)).astype(np.float32)))


def _train_step(model, opt, loss_fn, x, y):
    """One training step as a closure: zero_grad, forward, loss, backward, update."""

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    return step


def make_seed_net(lib):
    """The seed tutorial's network: Linear(2,3)-ReLU-Linear(3,1), batch 3, MSE, SGD lr=0.01."""
    nn = lib.nn
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    _copy_weights(lib, model, 0)
    opt = lib.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = nn.MSELoss()
    x = lib.tensor([[1.0, 2.0], [2.0, 3.0], [3.0, 4.0]])
    y = lib.tensor([[1.0], [2.0], [3.0]])

    return _train_step(model, opt, loss_fn, x, y)


def make_mlp(lib):
    """MLP 784-256-256-10, batch 128, cross-entropy, SGD with momentum."""
    nn = lib.nn
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                          nn.Linear(256, 10))
    _copy_weights(lib, model, 1)
    opt = lib.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    rng = np.random.default_rng(2)
    x = lib.tensor(rng.standard_normal((128, 784)).astype(np.float32))
    y = lib.tensor(rng.integers(0, 10, 128))

    return _train_step(model, opt, loss_fn, x, y)


def make_cnn(lib):
    """LeNet-style CNN on 1x28x28, batch 64: conv 1-8-16 3x3 (padding 1), maxpool, 784-64-10."""
    nn = lib.nn
    model = nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 7 * 7, 64), nn.ReLU(), nn.Linear(64, 10),
    )
    _copy_weights(lib, model, 3)
    opt = lib.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    rng = np.random.default_rng(4)
    x = lib.tensor(rng.standard_normal((64, 1, 28, 28)).astype(np.float32))
    y = lib.tensor(rng.integers(0, 10, 64))

    return _train_step(model, opt, loss_fn, x, y)


def make_lstm(lib):
    """LSTM input 32, hidden 128, 35 steps, batch 32, linear head on the last step, Adam."""
    nn = lib.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(32, 128, batch_first=True)
            self.head = nn.Linear(128, 10)

        def forward(self, x):
            out, _ = self.lstm(x)
            return self.head(out[:, -1])

    model = Net()
    _copy_weights(lib, model, 5)
    opt = lib.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    rng = np.random.default_rng(6)
    x = lib.tensor(rng.standard_normal((32, 35, 32)).astype(np.float32))
    y = lib.tensor(rng.integers(0, 10, 32))

    return _train_step(model, opt, loss_fn, x, y)


def make_op(lib, op: str, size: int, grad: bool, backward: bool):
    """One tiny op (``a+b``, ``a*b``, ``a@b``) on ``size`` elements, optionally with backward."""
    rng = np.random.default_rng(7)
    if op == "matmul":
        n = max(1, int(round(size ** 0.5)))
        shape = (n, n)
    else:
        shape = (size,)
    a = lib.tensor(rng.standard_normal(shape).astype(np.float32), requires_grad=grad)
    b = lib.tensor(rng.standard_normal(shape).astype(np.float32), requires_grad=grad)
    fn = {"add": lambda: a + b, "mul": lambda: a * b, "matmul": lambda: a @ b}[op]
    if backward:
        seed = lib.ones(shape)

        def step():
            fn().backward(seed)
    else:

        def step():
            fn()

    return step


WORKLOADS = {
    "seed net (2-3-1, batch 3, SGD)": make_seed_net,
    "MLP 784-256-256-10, batch 128, SGD momentum": make_mlp,
    "LeNet CNN 1x28x28, batch 64, SGD momentum": make_cnn,
    "LSTM 32→128, 35 steps, batch 32, Adam": make_lstm,
}

OPS = [
    (op, size, grad, backward)
    for op in ("add", "mul", "matmul")
    for size in (1, 1024)
    for grad, backward in ((False, False), (True, False), (True, True))
]
