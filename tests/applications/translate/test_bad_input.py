"""The translator's actions and Python entry points, given bad input with a trained model."""

import pytest

from keras_seq.errors import UserInputError
from tests.applications.shared import each_unusable, refuses_each


def test_every_action_refuses_bad_input_in_one_line(trained, tmp_path, capsys):
    model = str(trained[-1])
    cases = each_unusable("translate", "predict", "--model-dir", model, "--input")
    cases += each_unusable("translate", "evaluate", "--model-dir", model, "--data")
    cases += [
        (["translate", "predict", "--model-dir", model, "a cat", "--beam-width", "65"], "at most 64"),
        (["translate", "predict", "--model-dir", model, "a cat", "--beam-width", "0"], "--beam-width"),
        (["translate", "predict", "--model-dir", model, "a cat", "--no-repeat-ngram", "1"], "--no-repeat-ngram"),
        (
            ["translate", "train", "--data", "embedded", "--model-dir", "{dir}/out", "--no-repeat-ngram", "-2"],
            "--no-repeat-ngram",
        ),
        (["translate", "predict", "--model-dir", model, "a cat", "--length-penalty", "nan"], "--length-penalty"),
        (["translate", "predict", "--model-dir", model, "a cat", "--length-penalty", "inf"], "--length-penalty"),
        (
            ["translate", "predict", "--model-dir", model, "a cat", "--plot", "{dir}/no/such/folder/map.png"],
            "no/such/folder",
        ),
        (["translate", "predict", "--model-dir", model, "   "], "empty"),
        (
            ["translate", "plot", "--model-dir", model, "a cat", "--output", "{dir}/no/such/folder/map.png"],
            "no/such/folder",
        ),
        (["translate", "plot", "--model-dir", model, "a cat", "--output", "{dir}/a_folder"], None),
        (["translate", "plot", "--model-dir", model, ""], "empty"),
        (["translate", "evaluate", "--model-dir", model, "--data", "embedded", "--beam-width", "1000"], "at most 64"),
        (["translate", "export", "--model-dir", model, "--export-dir", "{dir}/model_is_a_file"], None),
        (["translate", "predict", "--model-dir", "{dir}/a_folder", "a cat"], "no trained translator"),
    ]
    refuses_each(capsys, tmp_path, cases)  # each case refused in one line of its own


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"sentences": []}, "no sentence"),
        ({"sentences": [None]}, "sentence 1 is not a string"),
        ({"sentences": ["a cat", 3]}, "sentence 2 is not a string"),
        ({"sentences": b"a cat"}, "not bytes"),
        ({"sentences": 3}, "a list of sentences"),
        ({"sentences": ["a cat"], "beam_width": 65}, "from 1 to 64"),
        ({"sentences": ["a cat"], "beam_width": 2.5}, "beam_width"),
        ({"sentences": ["a cat"], "max_length": 10**9}, "from 1 to 1024"),
        ({"sentences": ["a cat"], "length_penalty": float("nan")}, "length_penalty"),
    ],
)
def test_translate_refuses_bad_arguments_clearly(trained, kwargs, match):
    translator = trained[0]
    with pytest.raises((UserInputError, TypeError, ValueError), match=match):
        translator.translate(**kwargs)
