"""Application configs: one dataclass per application, whose fields carry
their defaults, help and choices, and generate the command-line flags.

Imports neither Keras nor TensorFlow, so that `--help` answers at once.
"""

import argparse
import dataclasses
import json
import typing

from keras_seq.errors import UserInputError


def field(default, help, choices=None, flag=True, none="none", bound="default", **kwargs):  # noqa: A002 (argparse's name)
    """A config field with what its command-line flag needs.

    Args:
        default: the default value (a list is copied for each instance).
        help: the flag's help text (the default is added to it).
        choices: the allowed values, if few.
        flag: False for fields set from the data (vocabulary sizes, labels).
        none: for a field whose default may be `None`, the flag value that
            means `None`.
        bound: what the flag accepts for a number: `"positive"`,
            `"non_negative"`, `"fraction"` (in (0, 1)) or None (any);
            by default ints must be positive and floats non-negative.
    """
    metadata = {"help": help, "choices": choices, "flag": flag, "none": none, "bound": bound}
    if isinstance(default, list):
        return dataclasses.field(default_factory=lambda: list(default), metadata=metadata, **kwargs)
    return dataclasses.field(default=default, metadata=metadata, **kwargs)


class AppConfig:
    """The base of every application's config dataclass: JSON round trip,
    `replace`, checks, and flags generated from the fields.

    A subclass is a `@dataclasses.dataclass` whose fields use `field(...)`
    and whose `validate()` raises `UserInputError` naming a bad field.
    """

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
        return self

    def check_positive_ints(self, *names):
        """Raise `UserInputError` naming the first field that is not an int > 0."""
        for name in names:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise UserInputError(f"{name} must be a positive integer; got {value!r}")

    def check_fractions(self, *names, closed=True):
        """Raise `UserInputError` naming the first field outside [0, 1) (or (0, 1) with `closed=False`)."""
        for name in names:
            value = getattr(self, name)
            if not (0 <= value < 1 if closed else 0 < value < 1):
                interval = "[0, 1)" if closed else "(0, 1)"
                raise UserInputError(f"{name} must be in {interval}; got {value!r}")

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
            text = meta["help"]
            kind = hints[f.name]
            if kind is bool:
                parser.add_argument(option, action=argparse.BooleanOptionalAction, default=default, help=f"{text} (default: {'on' if default else 'off'})")
                continue
            if kind is list:
                parser.add_argument(option, type=flags.comma_list, default=default, metavar="A,B,...", help=f"{text} (default: {','.join(map(str, default))})")
                continue
            optional = type(None) in typing.get_args(kind)
            plain = next(k for k in typing.get_args(kind) if k is not type(None)) if optional else kind
            base = _parser(plain, meta["bound"])
            parse = flags.or_none(base, meta["none"]) if optional or default is None else base
            shown = meta["none"] if default is None else default
            parser.add_argument(option, type=parse, default=default, choices=meta["choices"], help=f"{text} (default: {shown})")

    @classmethod
    def from_args(cls, args, **values):
        """The config of parsed flags (fields without a flag keep their
        default, or take `values`), validated."""
        names = {f.name for f in dataclasses.fields(cls) if f.metadata.get("flag", False)}
        given = {k: v for k, v in vars(args).items() if k in names}
        return cls(**{**given, **values}).validate()


def _parser(kind, bound):
    from keras_seq.applications import flags

    if kind is str:
        return str
    if bound == "default":
        bound = "positive" if kind is int else "non_negative"
    table = {
        (int, "positive"): flags.positive_int,
        (int, "non_negative"): flags.non_negative_int,
        (int, None): flags.integer,
        (float, "positive"): flags.positive_float,
        (float, "non_negative"): flags.non_negative_float,
        (float, None): flags.number,
        (float, "fraction"): flags.fraction,
    }
    return table[(kind, bound)]
