"""``chainrule demo``: the seed tutorial's network, then a digit classifier, with every output
written to a folder.

1. The seed's ``SimpleNN`` (Linear(2,3) - ReLU - Linear(3,1), MSELoss, SGD lr=0.01, 100 epochs)
   on the seed's three points as floats, printing the loss per epoch and the predictions.
2. An MLP on scikit-learn's bundled 8x8 digits, a progress bar per epoch, train loss and
   held-out accuracy per epoch (about 97% after 10 epochs, in seconds).
3. ``loss.png`` (curves), ``graph.mmd`` (Mermaid graph of one training step of the seed
   network), ``metrics.csv`` and ``model.safetensors`` in ``--out``; an earlier demo's files
   there are kept, and the new ones go into a ``run-N`` subfolder.
"""

from __future__ import annotations

import argparse
import os

import chainrule

from . import args as A
from .options import TrainConfig
from .outputs import choose_folder, write_new

OUTPUTS = ("loss.png", "graph.mmd", "metrics.csv", "model.safetensors")
SEED_EPOCHS = 100
DIGITS = TrainConfig(
    data="digits",
    model="mlp",
    hidden=[128, 64],
    optimizer="adam",
    lr=2e-3,
    epochs=10,
    batch_size=32,
    val_split=0.2,
    seed=0,
)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help="train the seed tutorial's network and a digit classifier; write plots",
        description="Train the seed tutorial's network (printing its loss per epoch), then an "
        "MLP on the bundled 8x8 digits, and write loss.png, graph.mmd, metrics.csv and "
        "model.safetensors into --out. Needs no arguments.",
    )
    p.add_argument(
        "--out",
        default="./chainrule-demo",
        metavar="DIR",
        help="output folder (default: ./chainrule-demo); earlier outputs are kept",
    )
    p.add_argument(
        "--epochs",
        type=A.positive_int,
        default=DIGITS.epochs,
        help=f"epochs of the digits MLP (default: {DIGITS.epochs})",
    )
    p.add_argument("--quiet", action="store_true", help="print only where the outputs went")
    p.set_defaults(run=run)


def seed_network(say) -> str:
    """Trains the seed's network; returns the Mermaid graph of its first training step."""
    from chainrule import nn, optim, teach

    # SimpleNN as the seed writes it; x and y as floats: the seed's integer tensors with
    # requires_grad=True are refused by torch (only floating point tensors can require grad).
    model, x, y = teach.seed_network(0)
    criterion = nn.MSELoss()
    optimizer = optim.SGD(model.parameters(), lr=0.01)
    mermaid = ""
    row: list[str] = []
    for epoch in range(SEED_EPOCHS):
        optimizer.zero_grad()
        output = model(x)
        loss = criterion(output, y)
        if epoch == 0:
            mermaid = teach.graph(loss, params=model.named_parameters()).to_mermaid()
        loss.backward()
        optimizer.step()
        row.append(f"epoch {epoch + 1:>3}  loss {loss.item():.4f}")
        if len(row) == 4 or epoch == SEED_EPOCHS - 1:
            say("  " + "   ".join(row))
            row = []
    with chainrule.no_grad():
        predicted = model(x)
    say(f"Predicted: {predicted}")
    say(f"Targets:   {y}")
    return mermaid


def run(options: argparse.Namespace) -> int:
    from . import data, models, trainer
    from .plots import plot_history

    say = (lambda *a: None) if options.quiet else print
    say(
        f"1/3  The seed tutorial's network: Linear(2,3)-ReLU-Linear(3,1), MSELoss, SGD lr=0.01, "
        f"{SEED_EPOCHS} epochs on x=[[1,2],[2,3],[3,4]], y=[[1],[2],[3]] (as floats)"
    )
    mermaid = seed_network(say)

    config = TrainConfig(**{**DIGITS.__dict__, "epochs": options.epochs})
    dataset = data.load("digits")
    run_ = trainer.Run(config, dataset)
    say("")
    say(
        f"2/3  An MLP on the bundled 8x8 digits ({len(run_.train_set)} training, "
        f"{len(run_.val_set)} held-out images): {models.describe(run_.spec)}, adam "
        f"lr {config.learning_rate():g}, batch {config.batch_size}"
    )
    trainer.fit(
        run_,
        on_epoch=lambda r, res: say("  " + trainer.format_epoch(res, config.epochs)),
        show_bar=not options.quiet,
    )
    last = run_.history[-1]

    folder, note = choose_folder(options.out, OUTPUTS)
    say("")
    say("3/3  Outputs")
    if note:
        print(note)

    def text_writer(text: str):
        def write(tmp: str) -> None:
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(text)

        return write

    from chainrule.serialization import save_safetensors

    paths = {name: os.path.join(folder, name) for name in OUTPUTS}
    write_new(
        paths["loss.png"],
        lambda tmp: plot_history(
            run_.history, tmp, f"chainrule demo: 8x8 digits, {models.describe(run_.spec)}"
        ),
    )
    write_new(paths["graph.mmd"], text_writer(mermaid))
    write_new(paths["metrics.csv"], lambda tmp: trainer.write_metrics(tmp, run_.history))
    write_new(
        paths["model.safetensors"], lambda tmp: save_safetensors(run_.model.state_dict(), tmp)
    )
    print(f"digits: held-out accuracy {100 * last['val_accuracy']:.2f}% after {run_.epoch} epochs")
    described = {
        "loss.png": "loss and accuracy curves per epoch",
        "graph.mmd": "Mermaid graph of one training step of the seed network",
        "metrics.csv": "per-epoch loss, accuracy, learning rate, time",
        "model.safetensors": "the digits MLP's weights (load with "
        "chainrule.serialization.load_safetensors)",
    }
    for name in OUTPUTS:
        print(f"  {paths[name]:<40}  {described[name]}")
    return 0
