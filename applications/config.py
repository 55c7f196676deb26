"""Application configs: one dataclass per application, whose fields carry
their defaults, help and choices, and generate the command-line flags.

Imports neither Keras nor TensorFlow, so that `--help` answers at once.
"""

import argparse
import dataclasses
import json
import typing

from keras_seq.errors import UserInputError
from keras_seq.limits import MAX_BEAM_WIDTH, MAX_DECODE_LENGTH

UNTIL_BUDGET = 1_000_000  # "epochs" of a run that a time budget ends

# `--attention` of the apps with an attention decoder: `keras_seq.layers.make_attention`'s
# names, written here too so that `--help` imports no TensorFlow (a test checks they agree)
ATTENTIONS = ("bahdanau", "location", "luong", "none")


def field(default, help, choices=None, flag=True, none="none", bound="default", maximum=None, **kwargs):  # noqa: A002 (argparse's name)
    """A config field with what its command-line flag needs.

    Args:
        default: the default value (a list is copied for each instance).
        help: the flag's help text (the default is added to it).
        choices: the allowed values, if few.
        flag: False for fields set from the data (vocabulary sizes, labels).
        none: for a field whose default may be `None`, the flag value that
            means `None`.
        bound: what a number may be, for the flag and for
            `AppConfig.check_fields`: `"positive"`, `"non_negative"`,
            `"fraction"` (in (0, 1)), `"rate"` (in [0, 1)), `"ngram"` (0, or
            an integer >= 2) or None (any);
            by default ints must be positive and floats non-negative.
        maximum: the largest value allowed, or None (a cap on what would
            exhaust memory: a beam width, a decoding length).
    """
    metadata = {"help": help, "choices": choices, "flag": flag, "none": none, "bound": bound, "maximum": maximum}
    if isinstance(default, list):
        return dataclasses.field(default_factory=lambda: list(default), metadata=metadata, **kwargs)
    return dataclasses.field(default=default, metadata=metadata, **kwargs)


class AppConfig:
    """The base of every application's config dataclass: JSON round trip,
    `replace`, checks, and flags generated from the fields.

    A subclass is a `@dataclasses.dataclass` whose fields use `field(...)`
    and whose `validate()` raises `UserInputError` naming a bad field. An
    application's config also names the application, once for the command
    line, the task and the saved models: `app` (its `keras-seq` command)
    and `noun` (what messages call its model).

    A training application's `epochs` field defaults to None: its
    `default_epochs` without a time budget, and with one, as many epochs
    as the budget allows (`epochs_to_run`). An `epochs` given caps the run
    either way.
    """

    app = None
    noun = None
    default_epochs = 10

    def epochs_to_run(self, time_budget=None):
        """The epochs a training run has: `epochs` when given; otherwise
        until `time_budget` runs out when there is one, else
        `default_epochs`."""
        if getattr(self, "epochs", None) is not None:
            return self.epochs
        return UNTIL_BUDGET if time_budget else self.default_epochs

    def to_dict(self):
        return dataclasses.asdict(self)

    def to_json(self):
        return json.dumps(self.to_dict(), indent=2)

    @classmethod
    def from_dict(cls, values):
        """A config from a dict; unknown keys (from a newer or older
        version) are ignored, missing ones take their default."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in names})

    @classmethod
    def from_json(cls, text):
        return cls.from_dict(json.loads(text))

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)

    def validate(self):
        """The config itself, once its fields pass `check_fields`; a
        subclass adds the checks that involve several fields."""
        self.check_fields()
        return self

    def check_fields(self):
        """Raise `UserInputError` naming the first flagged field outside its
        choices or its bound (the checks of its command-line flag)."""
        hints = typing.get_type_hints(type(self))
        for f in dataclasses.fields(self):
            meta, value = f.metadata, getattr(self, f.name)
            if not meta.get("flag", False) or value is None:
                continue
            if meta["choices"] is not None:
                self.check_choice(f.name, meta["choices"])
                continue
            kind = _plain(hints[f.name])
            if kind not in (int, float) or meta["bound"] is None:
                continue
            bound = _bound(kind, meta["bound"])
            if isinstance(value, bool) or not isinstance(value, int if kind is int else (int, float)):
                raise UserInputError(f"{f.name} must be {'an integer' if kind is int else 'a number'}; got {value!r}")
            test, what = _BOUNDS[(kind is int, bound)]
            if not test(value):
                raise UserInputError(f"{f.name} must be {what}; got {value!r}")
            if meta.get("maximum") is not None and value > meta["maximum"]:
                raise UserInputError(f"{f.name} must be at most {meta['maximum']}; got {value!r}")

    def check_choice(self, name, choices):
        value = getattr(self, name)
        if value not in choices:
            raise UserInputError(f"{name} must be one of {', '.join(map(str, choices))}; got {value!r}")

    # ------------------------------------------------------------ flags
    @classmethod
    def add_flags(cls, parser, only=None):
        """Add a `--flag-name` for each flagged field (or those in `only`)."""
        from keras_seq.applications import flags

        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            meta = f.metadata
            if not meta.get("flag", False) or (only is not None and f.name not in only):
                continue
            default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
            option = "--" + f.name.replace("_", "-")
            text = meta["help"].replace("{default_epochs}", str(cls.default_epochs))
            kind = hints[f.name]
            if kind is bool:
                parser.add_argument(
                    option,
                    action=argparse.BooleanOptionalAction,
                    default=default,
                    help=f"{text} (default: {'on' if default else 'off'})",
                )
                continue
            if kind is list:
                parser.add_argument(
                    option,
                    type=flags.comma_list,
                    default=default,
                    metavar="A,B,...",
                    help=f"{text} (default: {','.join(map(str, default))})",
                )
                continue
            optional = type(None) in typing.get_args(kind)
            base = _parser(_plain(kind), meta["bound"])
            parse = flags.or_none(base, meta["none"]) if optional or default is None else base
            shown = meta["none"] if default is None else default
            parser.add_argument(
                option, type=parse, default=default, choices=meta["choices"], help=f"{text} (default: {shown})"
            )

    @classmethod
    def from_args(cls, args, **values):
        """The config of parsed flags (fields without a flag keep their
        default, or take `values`), validated."""
        names = {f.name for f in dataclasses.fields(cls) if f.metadata.get("flag", False)}
        given = {k: v for k, v in vars(args).items() if k in names}
        return cls(**{**given, **values}).validate()


@dataclasses.dataclass
class NTMCellFields:
    """The memory of `--cell ntm`, for the configs whose recurrent layers
    may be NTMs (the arguments of `keras_seq.layers.make_recurrent`).

    A config dataclass lists it among its bases (as `CharLMConfig` does);
    its fields then come first among the config's.

    Attributes:
        memory_size, memory_width: memory slots and the width of a slot.
    """

    memory_size: int = field(32, "memory slots of the NTM (--cell ntm)")
    memory_width: int = field(16, "width of an NTM memory slot (--cell ntm)")

    def memory(self):
        """`make_recurrent`'s memory keyword arguments."""
        return {"memory_size": self.memory_size, "memory_width": self.memory_width}


DECODER_CELLS = ("gru", "lstm")


@dataclasses.dataclass
class WordDecoderFields:
    """The word decoder with attention of the translator and the captioner:
    its vocabulary, sizes, attention and beam search defaults.

    A config dataclass lists it among its bases; its fields then come first
    among the config's.

    Attributes:
        max_vocab: at most this many words (per language).
        max_length: tokens per sentence or caption (longer ones are
            truncated, with a warning).
        cell: `"gru"` or `"lstm"`.
        embedding_dim: word embedding size.
        decoder_units: units of the decoder cell.
        input_feeding: feed the previous attentional output to the decoder
            cell with the next input.
        attention: `"bahdanau"` (additive, the default; see docs/benchmarks.md),
            `"location"` (additive, reading where it looked before:
            `LocationSensitiveAttention`), `"luong"` (general score) or `"none"` (the context is the
            memory's mean: the classic encoder-decoder whose decoder sees
            its input as one vector, to see what attention buys).
        beam_width, length_penalty: defaults of decoding and the export.
        no_repeat_ngram: 0, or n >= 2: decoding (and the export) never
            repeats one of an output's n-grams (`keras_seq.decoding.beam_search`).
    """

    max_vocab: int = field(8000, "words per language")
    max_length: int = field(
        40, "tokens per sentence; longer ones are truncated with a warning", maximum=MAX_DECODE_LENGTH
    )
    cell: str = field("gru", "recurrent cell of the encoder and the decoder", choices=DECODER_CELLS)
    embedding_dim: int = field(256, "word embedding size")
    decoder_units: int = field(512, "units of the decoder cell")
    attention: str = field(
        "bahdanau", "attention score; none: the mean of the encoder's outputs, no attention", choices=ATTENTIONS
    )
    input_feeding: bool = field(False, "feed the attentional output back into the decoder")
    beam_width: int = field(5, "default beam width of decoding and the export; 1 is greedy", maximum=MAX_BEAM_WIDTH)
    length_penalty: float = field(0.6, "default GNMT length penalty alpha of beam search")
    no_repeat_ngram: int = field(
        0,
        "decoding never repeats an n-gram of this length in an output; 0: off",
        bound="ngram",
        maximum=MAX_DECODE_LENGTH,
    )


@dataclasses.dataclass
class DecodeOptions:
    """How `evaluate`, `predict` and `plot` decode (flags; None keeps the
    model's own). A base of an application's evaluate-options config."""

    beam_width: typing.Optional[int] = field(None, "1 is greedy; none: the model's", maximum=MAX_BEAM_WIDTH)
    length_penalty: typing.Optional[float] = field(None, "GNMT alpha; none: the model's")
    no_repeat_ngram: typing.Optional[int] = field(
        None,
        "never repeat an n-gram of this length (0: off); none: the model's",
        bound="ngram",
        maximum=MAX_DECODE_LENGTH,
    )


def _plain(kind):
    """`int` for `typing.Optional[int]`, and so on."""
    return next((k for k in typing.get_args(kind) if k is not type(None)), kind)


def _bound(kind, bound):
    if bound == "default":
        return "positive" if kind is int else "non_negative"
    return bound


# (an int field?, bound) -> (test, what the message says the value must be); NaN fails every test
_BOUNDS = {
    (True, "positive"): (lambda v: v > 0, "a positive integer"),
    (True, "non_negative"): (lambda v: v >= 0, "an integer >= 0"),
    (False, "positive"): (lambda v: v > 0, "> 0"),
    (False, "non_negative"): (lambda v: v >= 0, ">= 0"),
    (False, "fraction"): (lambda v: 0 < v < 1, "in (0, 1)"),
    (False, "rate"): (lambda v: 0 <= v < 1, "in [0, 1)"),
    (True, "ngram"): (lambda v: v == 0 or v >= 2, "0 (off) or an integer >= 2"),
}


def _parser(kind, bound):
    from keras_seq.applications import flags

    if kind is str:
        return str
    bound = _bound(kind, bound)
    table = {
        (int, "positive"): flags.positive_int,
        (int, "non_negative"): flags.non_negative_int,
        (int, None): flags.integer,
        (float, "positive"): flags.positive_float,
        (float, "non_negative"): flags.non_negative_float,
        (float, None): flags.number,
        (float, "fraction"): flags.fraction,
        (float, "rate"): flags.rate,
        (int, "ngram"): flags.ngram,
    }
    return table[(kind, bound)]
