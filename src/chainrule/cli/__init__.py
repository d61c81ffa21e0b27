"""The ``chainrule`` command: ``demo``, ``train``, ``evaluate``, ``predict``, ``explain``.

``main(argv)`` parses the arguments, runs one command, and turns any problem into one line on
stderr (``chainrule: error: ...``) with a non-zero exit status -- never a traceback (set
``CHAINRULE_DEBUG=1`` to see one).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from .errors import EXIT_INTERRUPTED, debug_enabled, describe, report

COMMANDS = ("demo", "train", "evaluate", "predict", "explain")


def build_parser():
    """The argument parser with one subcommand per module in :data:`COMMANDS`."""
    import importlib

    import chainrule

    from .args import Parser

    parser = Parser(
        prog="chainrule",
        description="Backpropagation from scratch on NumPy, with the PyTorch API. Train, "
        "evaluate and explain small neural networks from the command line.",
        epilog="Start with 'chainrule demo'. Each command has --help.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"chainrule {chainrule.chainrule_version} (PyTorch API {chainrule.__version__})",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}").add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Runs ``chainrule`` with ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    try:
        parser = build_parser()
        options = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
        if options.command is None:
            parser.print_help()
            return 0
        return int(options.run(options) or 0)
    except KeyboardInterrupt:
        print("\nchainrule: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `chainrule predict ... | head`: the reader left; not an error worth a message.
        sys.stderr.close()
        return 0
    except Exception as exc:
        if debug_enabled():
            raise
        message, status = describe(exc)
        report(message)
        return status
