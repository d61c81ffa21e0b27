"""The training loop behind ``chainrule train`` and ``chainrule demo``.

One :func:`fit` call: split the data, build the model, optimizer, scheduler and DataLoader,
then per epoch train on shuffled mini-batches, measure the held-out split, step the scheduler,
write the metrics and a checkpoint. Everything random comes from seeded generators whose state
the checkpoint keeps, so ``--resume`` continues bit-for-bit where the run stopped.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

import chainrule
from chainrule import nn
from chainrule.datasets import ArrayDataset

from . import checkpoint as ckpt
from . import models
from .errors import CLIError
from .options import LOSSES, OPTIMIZERS, SCHEDULERS, TrainConfig
from .progress import bar

METRIC_FIELDS = (
    "epoch",
    "train_loss",
    "train_accuracy",
    "val_loss",
    "val_accuracy",
    "lr",
    "seconds",
)


@dataclass
class EpochResult:
    epoch: int
    train_loss: float
    train_accuracy: float
    val_loss: float | None
    val_accuracy: float | None
    lr: float
    seconds: float


# -- building blocks -------------------------------------------------------------------------


def make_optimizer(config: TrainConfig, params) -> chainrule.optim.Optimizer:
    from chainrule import optim

    lr = config.learning_rate()
    extra = {} if config.weight_decay is None else {"weight_decay": config.weight_decay}
    if config.optimizer == "sgd":
        return optim.SGD(params, lr=lr, momentum=config.momentum, **extra)
    if config.optimizer == "adam":
        return optim.Adam(params, lr=lr, **extra)
    if config.optimizer == "adamw":
        return optim.AdamW(params, lr=lr, **extra)
    if config.optimizer == "rmsprop":
        return optim.RMSprop(params, lr=lr, momentum=config.momentum, **extra)
    raise CLIError(f"unknown optimizer {config.optimizer!r} (choose from {', '.join(OPTIMIZERS)})")


def make_scheduler(config: TrainConfig, optimizer, steps_per_epoch: int):
    """The LR schedule; ``onecycle`` steps per batch, ``plateau`` on the validation loss."""
    from chainrule.optim import lr_scheduler as sched

    kind, epochs = config.scheduler, config.epochs
    if kind == "none":
        return None
    if kind == "step":
        return sched.StepLR(optimizer, step_size=max(1, epochs // 3), gamma=0.1)
    if kind == "cosine":
        return sched.CosineAnnealingLR(optimizer, T_max=max(1, epochs))
    if kind == "exponential":
        return sched.ExponentialLR(optimizer, gamma=0.9)
    if kind == "onecycle":
        return sched.OneCycleLR(
            optimizer, max_lr=config.learning_rate(), total_steps=max(1, epochs * steps_per_epoch)
        )
    if kind == "plateau":
        return sched.ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=2)
    raise CLIError(f"unknown scheduler {kind!r} (choose from {', '.join(SCHEDULERS)})")


def make_criterion(loss: str) -> nn.Module:
    if loss == "cross_entropy":
        return nn.CrossEntropyLoss()
    if loss == "nll":
        return nn.NLLLoss()
    if loss == "mse":
        return nn.MSELoss()
    raise CLIError(f"unknown loss {loss!r} (choose from {', '.join(LOSSES)})")


def loss_target(loss: str, labels: chainrule.Tensor, num_classes: int) -> chainrule.Tensor:
    """Class indices for cross entropy / NLL; one-hot float rows for MSE."""
    if loss == "mse":
        return nn.functional.one_hot(labels, num_classes).float()
    return labels


def evaluate(
    model: nn.Module, dataset: ArrayDataset, loss: str, batch_size: int = 1000
) -> tuple[float, float, np.ndarray]:
    """Mean loss, accuracy (0..1) and predicted classes of ``model`` over ``dataset``."""
    criterion = make_criterion(loss)
    was_training = model.training
    model.eval()
    total, correct, predictions = 0.0, 0, []
    with chainrule.no_grad():
        for start in range(0, len(dataset), batch_size):
            x = chainrule.from_numpy(dataset.features[start : start + batch_size])
            y = chainrule.from_numpy(dataset.labels[start : start + batch_size])
            out = model(x)
            total += float(criterion(out, loss_target(loss, y, dataset.num_classes))) * len(y)
            predicted = out.argmax(1).numpy()
            predictions.append(predicted)
            correct += int((predicted == dataset.labels[start : start + batch_size]).sum())
    model.train(was_training)
    n = max(len(dataset), 1)
    return total / n, correct / n, np.concatenate(predictions) if predictions else np.array([])


# -- the run ---------------------------------------------------------------------------------


class Run:
    """Everything one training run holds; built fresh or from a checkpoint."""

    def __init__(
        self,
        config: TrainConfig,
        dataset: ArrayDataset,
        resume: dict[str, Any] | None = None,
        resume_path: str = "",
    ) -> None:
        from chainrule.utils.data import DataLoader

        self.config = config
        self.train_set, self.val_set = dataset.split(config.val_split, seed=config.seed)
        if len(self.train_set) == 0:
            raise CLIError(f"{dataset.name}: no samples left for training")
        chainrule.manual_seed(config.seed)
        np.random.seed(config.seed % 2**32)
        self.spec = models.make_spec(config.model, config.hidden, config.loss, dataset)
        self.model = models.build(self.spec, self.train_set.features)
        self.criterion = make_criterion(config.loss)
        self.optimizer = make_optimizer(config, self.model.parameters())
        # The loader has its own generator, seeded from the run's seed, so its shuffles are
        # independent of how many numbers model init drew, and its state can be saved.
        self.loader_generator = chainrule.Generator().manual_seed(config.seed + 1)
        self.loader = DataLoader(
            self.train_set,
            batch_size=config.batch_size,
            shuffle=True,
            generator=self.loader_generator,
        )
        self.scheduler = make_scheduler(config, self.optimizer, len(self.loader))
        self.epoch = 0
        self.history: list[dict[str, Any]] = []
        self.grad_history: list[Any] = []
        if resume is not None:
            self._restore(resume, resume_path)

    def _restore(self, state: dict[str, Any], path: str) -> None:
        ckpt.load_weights(self.model, state["model"], path)
        self.optimizer.load_state_dict(state["optimizer"])
        if self.scheduler is not None and state.get("scheduler") is not None:
            self.scheduler.load_state_dict(state["scheduler"])
        self.epoch = int(state["epoch"])
        self.history = list(state.get("history") or [])
        self.grad_history = list(state.get("grad_stats") or [])
        ckpt.set_rng_state(state["rng"], self.loader_generator)

    def lr(self) -> float:
        return float(self.optimizer.param_groups[0]["lr"])

    def train_epoch(self, show_bar: bool) -> EpochResult:
        config, model = self.config, self.model
        start = time.perf_counter()
        model.train()
        total, correct, seen = 0.0, 0, 0
        steps = bar(
            self.loader,
            desc=f"epoch {self.epoch + 1}/{config.epochs}",
            total=len(self.loader),
            enabled=show_bar,
        )
        for x, y in steps:
            self.optimizer.zero_grad()
            out = model(x)
            loss = self.criterion(out, loss_target(config.loss, y, self.spec["num_classes"]))
            loss.backward()
            self.optimizer.step()
            if config.scheduler == "onecycle":
                self.scheduler.step()
            value = float(loss)
            if not math.isfinite(value):
                raise CLIError(
                    f"the loss became {value} in epoch {self.epoch + 1}; the learning rate "
                    f"{self.lr():g} is probably too high (try --lr {self.lr() / 10:g})"
                )
            total += value * len(y)
            correct += int((out.argmax(1) == y).sum())
            seen += len(y)
            steps.set_postfix_str(f"loss {value:.4f}", refresh=False)
        steps.close()
        if config.grad_stats:
            from chainrule import teach

            # as_dict(): plain numbers and names, which a checkpoint can hold
            self.grad_history.append(teach.grad_stats(model).as_dict())
        lr_used = self.lr()
        val_loss = val_acc = None
        if len(self.val_set):
            val_loss, val_acc, _ = evaluate(model, self.val_set, config.loss)
        if config.scheduler == "plateau":
            self.scheduler.step(val_loss if val_loss is not None else total / seen)
        elif self.scheduler is not None and config.scheduler != "onecycle":
            self.scheduler.step()
        self.epoch += 1
        result = EpochResult(
            self.epoch,
            total / seen,
            correct / seen,
            val_loss,
            val_acc,
            lr_used,
            time.perf_counter() - start,
        )
        self.history.append(asdict(result))
        return result

    def checkpoint_payload(self) -> dict[str, Any]:
        return {
            "spec": self.spec,
            "config": asdict(self.config),
            "epoch": self.epoch,
            "history": self.history,
            "grad_stats": self.grad_history,
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "scheduler": None if self.scheduler is None else self.scheduler.state_dict(),
            "rng": ckpt.rng_state(self.loader_generator),
        }

    def save_checkpoint(self, folder: str) -> str:
        path = os.path.join(folder, "checkpoint.ckpt")
        ckpt.save(path, self.checkpoint_payload())
        return path


def format_epoch(r: EpochResult | dict[str, Any], epochs: int) -> str:
    """``epoch  3/10  train loss 0.1234  acc 96.10%  val loss 0.1456  acc 95.30%  lr 0.001``"""
    r = r if isinstance(r, dict) else asdict(r)
    width = len(str(epochs))
    text = (
        f"epoch {r['epoch']:>{width}}/{epochs}  train loss {r['train_loss']:.4f}  "
        f"acc {100 * r['train_accuracy']:6.2f}%"
    )
    if r["val_loss"] is not None:
        text += f"  val loss {r['val_loss']:.4f}  acc {100 * r['val_accuracy']:6.2f}%"
    return text + f"  lr {r['lr']:.3g}  ({r['seconds']:.1f}s)"


def write_metrics(path: str, history: list[dict[str, Any]]) -> None:
    """The per-epoch metrics as CSV (one row per epoch, empty cells where not measured)."""
    lines = [",".join(METRIC_FIELDS)]
    for row in history:
        cells = []
        for name in METRIC_FIELDS:
            value = row.get(name)
            cells.append(
                "" if value is None else (str(value) if name == "epoch" else f"{float(value):.6g}")
            )
        lines.append(",".join(cells))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def fit(run: Run, *, on_epoch: Callable[[Run, EpochResult], None], show_bar: bool) -> None:
    """Trains ``run`` up to ``run.config.epochs``, calling ``on_epoch`` after each epoch."""
    while run.epoch < run.config.epochs:
        result = run.train_epoch(show_bar)
        on_epoch(run, result)
