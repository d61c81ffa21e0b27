"""``chainrule train``: train a classifier on a data set, with checkpoints every epoch.

Writes into ``--out`` (a new ``run-N`` subfolder when it already holds an earlier run):
``checkpoint.ckpt`` (replaced atomically after each epoch), ``metrics.csv``, ``loss.png``
(when matplotlib is installed) and, with ``--grad-stats``, ``grad_stats.png``.
``--resume CHECKPOINT`` continues a run from its last checkpoint, in the checkpoint's folder
unless ``--out`` is given; the result is bit-for-bit the run that was never interrupted. On
resume the checkpoint's settings are used, except those given on the command line.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import asdict, fields

from . import args as A
from . import options as O
from .errors import EXIT_INTERRUPTED, CLIError

CHECKPOINT_NAME = "checkpoint.ckpt"
OUTPUTS = (CHECKPOINT_NAME, "metrics.csv", "loss.png", "grad_stats.png")
EXAMPLES = """examples:
  chainrule train --data digits --epochs 10
  chainrule train --data moons --hidden 32,32 --optimizer sgd --lr 0.1 --momentum 0.9
  chainrule train --data csv:flowers.csv --label-column species --scheduler cosine
  chainrule train --data mnist:./mnist --model cnn --epochs 3 --out runs/cnn
  chainrule train --resume runs/cnn/checkpoint.ckpt"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "train",
        help="train a classifier (mlp, cnn, lstm) on a data set",
        description="Train a classifier, printing loss and accuracy per epoch and writing a "
        "checkpoint after every epoch.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # Defaults are None here and filled in by resolve(), so that on --resume we can tell what
    # the user set on the command line from what the checkpoint already says.
    d = O.TrainConfig()
    p.add_argument(
        "--data", type=A.data_spec, metavar="DATA", help=f"{A.DATA_HELP} (default: {d.data})"
    )
    p.add_argument(
        "--label-column",
        metavar="NAME",
        help=f"the label column of a CSV file (default: {d.label_column})",
    )
    p.add_argument("--model", choices=O.MODELS, help=f"(default: {d.model})")
    p.add_argument(
        "--hidden",
        type=A.sizes,
        metavar="SIZES",
        help="hidden layer sizes, e.g. 256,128 (default: mlp 256,128; cnn 128; "
        "lstm 64 -- for cnn/lstm, the first size after the conv/LSTM part)",
    )
    p.add_argument("--loss", choices=O.LOSSES, help=f"(default: {d.loss})")
    p.add_argument("--optimizer", choices=O.OPTIMIZERS, help=f"(default: {d.optimizer})")
    p.add_argument(
        "--lr",
        type=A.positive_float,
        metavar="LR",
        help="learning rate (default: sgd 0.05, adam/adamw/rmsprop 0.001)",
    )
    p.add_argument("--momentum", type=A.nonnegative_float, help="for sgd and rmsprop (default 0)")
    p.add_argument(
        "--weight-decay",
        type=A.nonnegative_float,
        metavar="WD",
        help="L2 penalty (default: the optimizer's own, as in torch)",
    )
    p.add_argument("--scheduler", choices=O.SCHEDULERS, help=f"(default: {d.scheduler})")
    p.add_argument("--epochs", type=A.positive_int, help=f"(default: {d.epochs})")
    p.add_argument("--batch-size", type=A.positive_int, help=f"(default: {d.batch_size})")
    p.add_argument(
        "--val-split",
        type=A.fraction,
        metavar="FRACTION",
        help=f"fraction held out for validation (default: {d.val_split})",
    )
    p.add_argument("--seed", type=A.nonnegative_int, help=f"(default: {d.seed})")
    p.add_argument(
        "--out",
        metavar="DIR",
        help="output folder (default: ./chainrule-runs; with --resume, the checkpoint's folder, "
        "where the run goes on)",
    )
    p.add_argument("--resume", metavar="CHECKPOINT", help="continue the run of this checkpoint")
    p.add_argument(
        "--grad-stats",
        action="store_true",
        default=None,
        help="record gradient statistics per epoch and plot them",
    )
    p.add_argument("--quiet", action="store_true", help="print only the final summary")
    p.set_defaults(run=run)


def resolve(options: argparse.Namespace, saved: dict | None) -> O.TrainConfig:
    """Command-line values, else the checkpoint's, else the defaults."""
    base = O.TrainConfig(**saved) if saved else O.TrainConfig()
    values = asdict(base)
    for f in fields(O.TrainConfig):
        given = getattr(options, f.name, None)
        if given is not None:
            values[f.name] = given
    return O.TrainConfig(**values)


def run(options: argparse.Namespace) -> int:
    from . import checkpoint as ckpt
    from . import data, models, trainer
    from .outputs import choose_folder, write_atomic

    saved = None
    if options.resume:
        saved = ckpt.load(options.resume)
    config = resolve(options, saved["config"] if saved else None)
    if saved and config.scheduler == "onecycle" and config.epochs != saved["config"]["epochs"]:
        raise CLIError(
            "a onecycle schedule is planned for its number of epochs and cannot be "
            f"changed on resume (the run was planned for {saved['config']['epochs']})"
        )
    if saved and saved["epoch"] >= config.epochs:
        raise CLIError(
            f"{options.resume}: the run already finished its {saved['epoch']} epochs; "
            "give --epochs N with a larger N to train on"
        )
    dataset = data.load(config.data, label_column=config.label_column)
    run_ = trainer.Run(config, dataset, resume=saved, resume_path=options.resume or "")
    if saved and options.out is None:
        # The same run goes on in its own folder: its checkpoint and metrics are updated.
        folder, note = os.path.dirname(os.path.abspath(options.resume)), None
    else:
        folder, note = choose_folder(options.out or "./chainrule-runs", OUTPUTS)
    say = (lambda *a: None) if options.quiet else print
    if note:
        print(note)
    say(
        f"data: {dataset.name}: {len(run_.train_set)} training and {len(run_.val_set)} "
        f"validation samples, {dataset.num_features} features, {dataset.num_classes} classes"
    )
    say(
        f"model: {models.describe(run_.spec)}; {config.optimizer} lr {config.learning_rate():g}"
        f"; scheduler {config.scheduler}; batch {config.batch_size}; seed {config.seed}"
    )
    if saved:
        say(f"resuming from {options.resume} after epoch {run_.epoch}")
        for row in run_.history:
            say("  " + trainer.format_epoch(row, config.epochs))
    metrics_path = os.path.join(folder, "metrics.csv")

    def on_epoch(r: trainer.Run, result: trainer.EpochResult) -> None:
        r.save_checkpoint(folder)
        write_atomic(metrics_path, lambda tmp: trainer.write_metrics(tmp, r.history))
        say(trainer.format_epoch(result, config.epochs))

    try:
        trainer.fit(run_, on_epoch=on_epoch, show_bar=not options.quiet)
    except KeyboardInterrupt:
        path = os.path.join(folder, CHECKPOINT_NAME)
        if run_.epoch:
            hint = f"resume with: chainrule train --resume {path}"
        else:
            hint = "no epoch finished, nothing saved"
        print(f"\nchainrule: interrupted in epoch {run_.epoch + 1}; {hint}")
        return EXIT_INTERRUPTED
    written = [CHECKPOINT_NAME, "metrics.csv"]
    try:
        from .plots import plot_history

        png = os.path.join(folder, "loss.png")
        write_atomic(
            png, lambda tmp: plot_history(run_.history, tmp, f"chainrule train: {dataset.name}")
        )
        written.append("loss.png")
    except ImportError as exc:
        say(f"(no loss.png: {exc})")
    if config.grad_stats and run_.grad_history:
        from chainrule import teach

        png = os.path.join(folder, "grad_stats.png")
        write_atomic(png, lambda tmp: teach.plot_grad_stats(run_.grad_history, tmp))
        written.append("grad_stats.png")
    last = run_.history[-1]
    summary = f"finished {run_.epoch} epochs: train loss {last['train_loss']:.4f}"
    if last["val_accuracy"] is not None:
        summary += f", validation accuracy {100 * last['val_accuracy']:.2f}%"
    print(summary)
    print(f"wrote {', '.join(written)} to {folder}")
    return 0
