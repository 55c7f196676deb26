"""Argument types and the flags every application's command line shares.
Imports neither Keras nor TensorFlow."""

import argparse
import os

from keras_seq.applications import default_model_dir
from keras_seq.applications.distribute import STRATEGIES


def _number(kind, noun, minimum=None, strict=True):
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {noun}, got {text!r}") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise argparse.ArgumentTypeError(
                f"expected a finite {noun[2:] if noun.startswith('a ') else noun}, got {text!r}"
            )
        if minimum is not None and (value <= minimum if strict else value < minimum):
            bound = f"> {minimum}" if strict else f">= {minimum}"
            raise argparse.ArgumentTypeError(f"expected {noun} {bound}, got {text!r}")
        return value

    return parse


integer = _number(int, "an integer")
number = _number(float, "a number")
positive_int = _number(int, "an integer", 0)
positive_float = _number(float, "a number", 0)
non_negative_int = _number(int, "an integer", 0, strict=False)
non_negative_float = _number(float, "a number", 0, strict=False)


def fraction(text):
    value = number(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"expected a fraction between 0 and 1, got {text!r}")
    return value


def rate(text):
    value = number(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"expected a number in [0, 1), got {text!r}")
    return value


def ngram(text):
    value = non_negative_int(text)
    if value == 1:
        raise argparse.ArgumentTypeError(f"expected 0 (off) or an n-gram length >= 2, got {text!r}")
    return value


def comma_list(text):
    return [part.strip() for part in text.split(",") if part.strip()]


def or_none(parse, none="none"):
    """`parse`, except that `none` means `None`."""

    def parse_or_none(text):
        return None if text.lower() == none else parse(text)

    parse_or_none.__name__ = getattr(parse, "__name__", "value")
    return parse_or_none


def add_data(parser, what, sources=True):
    """`--data`: `what` the application reads, then the sources every
    reader takes (unless `sources` is False: an application that
    generates its data says all in `what`)."""
    more = ", tfds:NAME[/CONFIG], or 'embedded' for the offline default" if sources else ""
    parser.add_argument("--data", default="embedded", help=f"{what}{more} (default: %(default)s)")


def add_model_dir(parser, app):
    parser.add_argument(
        "--model-dir",
        default=default_model_dir(app),
        help="where train writes and the other actions read (default: %(default)s)",
    )


def add_run(
    parser, budget_help="stop training after this many seconds (finishing the current step), then save as usual"
):
    """`--time-budget` and `--quiet`: how a run goes, not what it builds."""
    parser.add_argument("--time-budget", type=positive_float, default=None, help=budget_help)
    parser.add_argument("--quiet", action="store_true", help="no progress bar and no samples")


def add_checkpoint(parser):
    """`--checkpoint-every`: how often `train` writes a checkpoint."""
    parser.add_argument(
        "--checkpoint-every",
        type=positive_int,
        default=None,
        metavar="STEPS",
        help="write a checkpoint every STEPS training steps (default: about every 60 s of training), and at each "
        "epoch's end; "
        "a killed run resumes from the last one when the same command runs again",
    )


def add_strategy(parser):
    """`--strategy` and `--cpu-replicas`: where training runs."""
    parser.add_argument(
        "--strategy",
        choices=STRATEGIES,
        default="default",
        help=(
            "default: one device; mirrored: tf.distribute.MirroredStrategy over the visible GPUs; multiworker: "
            "MultiWorkerMirroredStrategy over the processes of TF_CONFIG, started alike on each host "
            "(--batch-size is the global batch, split among the replicas)"
        ),
    )
    parser.add_argument(
        "--cpu-replicas",
        type=positive_int,
        default=None,
        help="with --strategy mirrored and no GPU: split the CPU into N logical devices (for trying it out)",
    )


def add_split(parser):
    parser.add_argument(
        "--split",
        default="validation",
        help="validation (default), all (the whole --data), or a tfds split name such as test",
    )


def read_inputs(items, input_path, noun):
    """Texts from the command line, then one per non-empty line of
    `input_path`; `UserInputError` if there are none or the file is bad."""
    from keras_seq.data.text import read_lines
    from keras_seq.errors import UserInputError

    texts = list(items)
    if input_path:
        texts += [line for line in read_lines(input_path) if line.strip()]
    if not texts:
        raise UserInputError(f"no {noun} given: pass them as arguments or --input FILE")
    return texts


def check_output_folder(path):
    """`UserInputError` unless the folder of the output file `path` exists."""
    from keras_seq.errors import UserInputError

    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise UserInputError(f"cannot write {path}: no folder {folder}")
