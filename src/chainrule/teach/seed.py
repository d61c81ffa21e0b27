"""The network of the tutorial chainrule grew from (``SimpleNN``: Linear(2,3)-ReLU-Linear(3,1),
trained with MSE on three points), ready for the explainer and the demo."""

from __future__ import annotations

from .. import _creation, nn

__all__ = ["SimpleNN", "seed_network"]


class SimpleNN(nn.Module):
    """The seed's model: ``fc2(relu(fc1(x)))`` with ``fc1 = Linear(2, 3)``, ``fc2 = Linear(3, 1)``.

    Shape: ``(N, 2) -> (N, 1)``. Parameters ``fc1.weight (3, 2)``, ``fc1.bias (3,)``,
    ``fc2.weight (1, 3)``, ``fc2.bias (1,)``, named as in the tutorial's PyTorch code.
    """

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(2, 3)
        self.fc2 = nn.Linear(3, 1)
        self.relu = nn.ReLU()

    def forward(self, x):
        x = self.fc1(x)
        x = self.relu(x)
        x = self.fc2(x)
        return x


def seed_network(seed: int = 0):
    """``(model, x, y)``: the seed's architecture and data, with a seeded init.

    ``x = [[1, 2], [2, 3], [3, 4]]`` and ``y = [[1], [2], [3]]`` as float32 (the tutorial wrote
    integer tensors with ``requires_grad=True``, which torch refuses; neither needs a gradient).
    The global random state is left as it was.

    Example:
        >>> model, x, y = seed_network()
        >>> [name for name, _ in model.named_parameters()]
        ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
        >>> tuple(model(x).shape)
        (3, 1)
    """
    state = _creation.get_rng_state()
    try:
        _creation.manual_seed(seed)
        model = SimpleNN()
    finally:
        _creation.set_rng_state(state)
    x = _creation.tensor([[1.0, 2.0], [2.0, 3.0], [3.0, 4.0]])
    y = _creation.tensor([[1.0], [2.0], [3.0]])
    return model, x, y
