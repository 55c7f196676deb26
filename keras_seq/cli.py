"""The `keras-seq` command line."""

import argparse
import os
import sys

import keras_seq


from keras_seq.cli_args import positive_float as _positive_float
from keras_seq.cli_args import positive_int as _positive_int
from keras_seq.errors import UserInputError

UserError = UserInputError  # the name earlier code used

APPLICATIONS = {
    # command -> module of keras_seq.applications with add_parser / run
    "char-lm": "char_lm",
    "sentiment": "sentiment",
    "translate": "translate",
}


def build_parser():
    parser = argparse.ArgumentParser(
        prog="keras-seq",
        description="Recurrent sequence models for Keras 3: train, evaluate, "
        "generate and export ready-made applications.",
    )
    parser.add_argument("--version", action="version", version=f"keras-seq {keras_seq.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="<command>")

    quick = commands.add_parser(
        "quickstart",
        help="the demo: train the char LM on text shipped with Python, print "
        "samples, export it and generate from the export in a fresh process (no download)",
        description="Train the char LM (keras-seq char-lm) on Python's help topics "
        "for --time-budget seconds, print samples, export a SavedModel, reload "
        "it in a process that never imports keras_seq and generate from it.",
    )
    quick.add_argument("--model-dir", default=os.path.join("saved_models", "char_lm"),
                       help="where the model, vocabulary and export go (default: %(default)s)")
    quick.add_argument("--time-budget", type=_positive_float, default=120.0,
                       help="seconds of training (default: %(default)s)")
    quick.add_argument("--units", type=_positive_int, default=256, help="LSTM units (default: %(default)s)")
    quick.add_argument("--batch-size", type=_positive_int, default=64, help="(default: %(default)s)")
    quick.add_argument("--seed", type=int, default=0, help="(default: %(default)s)")
    quick.add_argument("--quiet", action="store_true", help="no progress bar")

    import importlib

    for command, module in APPLICATIONS.items():
        app = importlib.import_module(f"keras_seq.applications.{module}.cli")
        app.add_parser(commands, command)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        if args.command in APPLICATIONS:
            return args.run(args) or 0
        if args.command == "quickstart":
            from keras_seq.applications.char_lm import quickstart

            quickstart.run(
                args.model_dir,
                time_budget=args.time_budget,
                seed=args.seed,
                units=args.units,
                batch_size=args.batch_size,
                verbose=0 if args.quiet else 1,
            )
    except UserInputError as error:
        print(f"keras-seq: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("keras-seq: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
