"""The choices and defaults of the commands, in a module that imports nothing heavy.

``chainrule --help`` and argument errors only need these, so they answer without loading the
neural-network code.
"""

from __future__ import annotations

from dataclasses import dataclass

MODELS = ("mlp", "cnn", "lstm")
LOSSES = ("cross_entropy", "mse", "nll")
OPTIMIZERS = ("sgd", "adam", "adamw", "rmsprop")
SCHEDULERS = ("none", "step", "cosine", "exponential", "onecycle", "plateau")
DEFAULT_LR = {"sgd": 0.05, "adam": 1e-3, "adamw": 1e-3, "rmsprop": 1e-3}
DEFAULT_HIDDEN = {"mlp": [256, 128], "cnn": [128], "lstm": [64]}


@dataclass
class TrainConfig:
    """The settings of one training run (all stored in its checkpoints)."""

    data: str = "digits"
    label_column: str = "label"
    model: str = "mlp"
    hidden: list[int] | None = None
    loss: str = "cross_entropy"
    optimizer: str = "adam"
    lr: float | None = None
    momentum: float = 0.0
    weight_decay: float | None = None
    scheduler: str = "none"
    epochs: int = 10
    batch_size: int = 64
    val_split: float = 0.2
    seed: int = 0
    grad_stats: bool = False

    def learning_rate(self) -> float:
        return self.lr if self.lr is not None else DEFAULT_LR[self.optimizer]
