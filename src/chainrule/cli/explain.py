"""``chainrule explain``: one training step of the seed tutorial's network, narrated.

Builds the seed's network and data with :func:`chainrule.teach.seed_network`, runs one forward
pass and ``backward()``, and prints what :func:`chainrule.teach.explain` records: each node of
the graph in the order the engine visits it, the local derivative it applies, the gradient that
flows through it, and the SGD update ``w <- w - lr * dL/dw`` of every parameter.
"""

from __future__ import annotations

import argparse

from . import args as A


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "explain",
        help="narrate one backprop step of the seed tutorial's network",
        description="Explain one training step (forward, backward, SGD update) of the seed "
        "tutorial's network Linear(2,3)-ReLU-Linear(3,1) on x=[[1,2],[2,3],[3,4]], "
        "y=[[1],[2],[3]] with MSELoss, step by step with the numbers.",
    )
    p.add_argument(
        "--format",
        choices=("text", "md"),
        default="text",
        help="plain text, or Markdown with tables (default: text)",
    )
    p.add_argument(
        "--lr",
        type=A.positive_float,
        default=0.01,
        help="the SGD learning rate of the update shown (default: 0.01)",
    )
    p.add_argument(
        "--seed",
        type=A.nonnegative_int,
        default=0,
        help="random seed of the initial weights (default: 0)",
    )
    p.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    from chainrule import nn, teach

    model, x, y = teach.seed_network(options.seed)
    loss = nn.MSELoss()(model(x), y)
    # explain() runs backward and prints each step itself (to stdout).
    teach.explain(loss, params=model.named_parameters(), lr=options.lr, format=options.format)
    return 0
