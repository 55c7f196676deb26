"""The config base: checks and flags both come from the fields."""

import argparse
import dataclasses
import importlib
import typing

import pytest

from keras_seq.applications import cli
from keras_seq.applications.config import AppConfig, field
from keras_seq.errors import UserInputError


@dataclasses.dataclass
class Toy(AppConfig):
    app = "toy"
    noun = "toy model"

    size: int = field(4, "a count")
    offset: int = field(0, "may be 0", bound="non_negative")
    seed: int = field(0, "any integer", bound=None)
    rate: float = field(1e-3, "a learning rate", bound="positive")
    split: float = field(0.1, "held out", bound="fraction")
    dropout: float = field(0.0, "a dropout rate", bound="rate")
    cell: str = field("gru", "a cell", choices=("gru", "lstm"))
    limit: typing.Optional[int] = field(None, "none: no limit")
    vocab_size: int = field(0, "set from the data", flag=False)


def test_defaults_pass_and_fields_set_from_the_data_are_not_checked():
    assert Toy().validate() == Toy()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"size": 0}, "size must be a positive integer; got 0"),
        ({"size": 2.5}, "size must be an integer; got 2.5"),
        ({"size": True}, "size must be an integer; got True"),
        ({"offset": -1}, "offset must be an integer >= 0; got -1"),
        ({"rate": 0.0}, "rate must be > 0; got 0.0"),
        ({"rate": float("nan")}, "rate must be > 0; got nan"),
        ({"split": 1.0}, "split must be in (0, 1); got 1.0"),
        ({"dropout": 1.0}, "dropout must be in [0, 1); got 1.0"),
        ({"cell": "rnn"}, "cell must be one of gru, lstm; got 'rnn'"),
        ({"limit": 0}, "limit must be a positive integer; got 0"),
    ],
)
def test_a_value_outside_its_bound_names_the_field(changes, message):
    with pytest.raises(UserInputError) as error:
        Toy(**changes).validate()
    assert str(error.value) == message


def test_unbounded_and_none_values_pass():
    assert Toy(seed=-5, limit=None, dropout=0.0).validate().seed == -5


def test_the_flags_check_what_the_fields_check():
    parser = cli.Parser(prog="toy")
    Toy.add_flags(parser)
    args = parser.parse_args(["--size", "3", "--dropout", "0.5", "--limit", "none", "--seed", "-1"])
    assert Toy.from_args(args) == Toy(size=3, dropout=0.5, limit=None, seed=-1)
    for bad in (["--dropout", "1"], ["--split", "0"], ["--size", "0"], ["--cell", "rnn"], ["--vocab-size", "3"]):
        with pytest.raises(SystemExit) as exit_:
            parser.parse_args(bad)
        assert exit_.value.code == 2


@pytest.mark.parametrize("app", sorted(cli.APPLICATIONS))
def test_each_app_names_itself_once(app):
    """The config's `app` is the command, the task's `app` and what its models are stamped with."""
    command = importlib.import_module(f"keras_seq.applications.{cli.APPLICATIONS[app]}.cli").COMMAND
    task = command.task_class()
    assert command.name == task.app == command.config_class.app == app
    assert task.noun == command.config_class.noun and task.noun
    signatures = task.serving_class().signatures  # the export tests call each
    assert signatures and all(isinstance(name, str) for name in signatures)


@pytest.mark.parametrize("app", sorted(cli.APPLICATIONS))
def test_each_apps_defaults_validate_and_a_bad_count_is_refused(app):
    command = importlib.import_module(f"keras_seq.applications.{cli.APPLICATIONS[app]}.cli").COMMAND
    config = command.config_class().validate()
    with pytest.raises(UserInputError, match="batch_size must be a positive integer"):
        config.replace(batch_size=0).validate()


def test_evaluate_options_become_flags_and_keyword_arguments():
    @dataclasses.dataclass
    class Sizes(AppConfig):
        length: typing.Optional[int] = field(None, "none: the trained one")

    class ToyCommand(cli.AppCommand):
        config_class = Toy
        evaluate_options = Sizes

    command = ToyCommand()
    assert command.name == "toy"
    parser = argparse.ArgumentParser()
    command.add_evaluate_flags(parser)
    assert command.evaluate_kwargs(parser.parse_args(["--length", "7"])) == {"length": 7}
    assert command.evaluate_kwargs(parser.parse_args([])) == {"length": None}


def test_the_attention_choices_are_the_librarys():
    from keras_seq.applications.config import ATTENTIONS
    from keras_seq.layers import ATTENTIONS as LIBRARY

    assert ATTENTIONS == LIBRARY
