"""The `keras-seq` command line."""

import argparse
import os
import sys

import keras_seq


class UserError(Exception):
    """A problem with the user's input: one line, exit status 2."""


def _positive(kind, noun):
    """An argparse type: `kind` (int or float) that must be > 0."""

    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {noun}, got {text!r}")
        if value <= 0:
            raise argparse.ArgumentTypeError(f"expected a positive {noun.split()[-1]}, got {text!r}")
        return value

    return parse


_positive_float = _positive(float, "a number")
_positive_int = _positive(int, "an integer")


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
        help="train a small LSTM character model on text shipped with Python, "
        "save it, reload it and print a sample (no download)",
        description="Train Embedding -> LSTM -> Dense on Python's help topics "
        "for --time-budget seconds, save it as .keras, reload it with "
        "safe_mode=True and print generated text.",
    )
    quick.add_argument("--model-dir", default=os.path.join("saved_models", "quickstart"),
                       help="where the model and vocabulary go (default: %(default)s)")
    quick.add_argument("--time-budget", type=_positive_float, default=60.0,
                       help="seconds of training (default: %(default)s)")
    quick.add_argument("--units", type=_positive_int, default=256, help="LSTM units (default: %(default)s)")
    quick.add_argument("--batch-size", type=_positive_int, default=64, help="(default: %(default)s)")
    quick.add_argument("--seed", type=int, default=0, help="(default: %(default)s)")
    quick.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        if args.command == "quickstart":
            from keras_seq import quickstart

            quickstart.run(
                args.model_dir,
                time_budget=args.time_budget,
                seed=args.seed,
                units=args.units,
                batch_size=args.batch_size,
                verbose=0 if args.quiet else 1,
            )
    except UserError as error:
        print(f"keras-seq: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("keras-seq: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
