"""Optimizers (``chainrule.optim``) and learning-rate schedulers (``optim.lr_scheduler``).

Every algorithm follows torch 2.13's single-tensor implementation step for step (same update
order, same state keys, same ``state_dict`` layout), on raw arrays and outside the graph.
``swa_utils`` has weight averaging (SWA/EMA) and ``SWALR``.
"""

from . import lr_scheduler, swa_utils
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .adamax import Adamax
from .asgd import ASGD
from .lbfgs import LBFGS
from .nadam import NAdam
from .optimizer import (
    Optimizer,
    register_optimizer_step_post_hook,
    register_optimizer_step_pre_hook,
)
from .radam import RAdam
from .rmsprop import RMSprop
from .rprop import Rprop
from .sgd import SGD

__all__ = [
    "ASGD",
    "LBFGS",
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "NAdam",
    "Optimizer",
    "RAdam",
    "RMSprop",
    "Rprop",
    "lr_scheduler",
    "register_optimizer_step_post_hook",
    "register_optimizer_step_pre_hook", "swa_utils",
]


_NOT_IMPLEMENTED = ("SparseAdam", "Adafactor", "Muon", "swap_in_optimizer_params_and_state")


def __getattr__(name: str):
    if name in _NOT_IMPLEMENTED:
        raise AttributeError(
            f"torch.optim.{name} is not implemented in chainrule (dense optimizers: "
            f"{', '.join(a for a in __all__ if a[0].isupper() and a != 'Optimizer')})"
        )
    raise AttributeError(f"module 'chainrule.optim' has no attribute '{name}'")
