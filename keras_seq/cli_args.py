"""Argument types and the flags every application's command line shares
(see ../shared/APPLICATIONS.md)."""

import argparse
import os


def _number(kind, noun, minimum=None, strict=True):
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {noun}, got {text!r}")
        if minimum is not None and (value <= minimum if strict else value < minimum):
            bound = f"> {minimum}" if strict else f">= {minimum}"
            raise argparse.ArgumentTypeError(f"expected {noun} {bound}, got {text!r}")
        return value

    return parse


positive_int = _number(int, "an integer", 0)
positive_float = _number(float, "a number", 0)
non_negative_int = _number(int, "an integer", 0, strict=False)
non_negative_float = _number(float, "a number", 0, strict=False)


def fraction(text):
    value = _number(float, "a number")(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"expected a fraction between 0 and 1, got {text!r}")
    return value


def probability(text):
    value = _number(float, "a number")(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"expected a number in (0, 1], got {text!r}")
    return value


def add_data(parser, what):
    parser.add_argument(
        "--data",
        default="embedded",
        help=f"{what}, tfds:NAME[/CONFIG], or 'embedded' for the offline default (default: %(default)s)",
    )


def add_model_dir(parser, app):
    parser.add_argument(
        "--model-dir",
        default=os.path.join("saved_models", app),
        help="where train writes and the other actions read (default: %(default)s)",
    )


def add_training(parser, epochs, batch_size):
    parser.add_argument("--epochs", type=positive_int, default=epochs, help="(default: %(default)s)")
    parser.add_argument("--batch-size", type=positive_int, default=batch_size, help="(default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="(default: %(default)s)")
    parser.add_argument(
        "--time-budget",
        type=positive_float,
        default=None,
        help="stop training after this many seconds (finishing the current step), then save as usual",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def add_validation_split(parser, default):
    parser.add_argument(
        "--validation-split",
        type=fraction,
        default=default,
        help="part of --data held out for validation when it has no split of its own (default: %(default)s)",
    )


def read_inputs(items, input_path, noun):
    """Texts from the command line, then one per non-empty line of
    `input_path`; `UserInputError` if there are none or the file is bad."""
    from keras_seq.errors import UserInputError

    texts = list(items)
    if input_path:
        try:
            with open(input_path, encoding="utf-8") as f:
                texts += [line.rstrip("\n") for line in f if line.strip()]
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or "not UTF-8 text"
            raise UserInputError(f"cannot read {input_path}: {reason}") from None
    if not texts:
        raise UserInputError(f"no {noun} given: pass them as arguments or --input FILE")
    return texts
