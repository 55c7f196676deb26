"""The char LM's actions and Python entry points, given bad input with a trained model."""

import pytest

from keras_seq.errors import UserInputError
from tests.applications.shared import each_unusable, refuses_each


def test_every_action_refuses_bad_input_in_one_line(trained, tmp_path, capsys):
    model = str(trained[-1])
    cases = each_unusable("char-lm", "evaluate", "--model-dir", model, "--data")
    cases += [
        (["char-lm", "generate", "--model-dir", model, "--max-length", "1000000"], "100,000"),
        (["char-lm", "generate", "--model-dir", model, "--max-length", "nan"], "--max-length"),
        (["char-lm", "generate", "--model-dir", model, "--temperature", "inf"], "--temperature"),
        (["char-lm", "generate", "--model-dir", model, "--top-p", "0"], "--top-p"),
        (["char-lm", "generate", "--model-dir", model, "--top-p", "1.5"], "top_p"),
        (["char-lm", "generate", "--model-dir", model, "--top-k", "-1"], "--top-k"),
        (["char-lm", "export", "--model-dir", model, "--export-dir", "{dir}/model_is_a_file"], "is a file"),
        (["char-lm", "generate", "--model-dir", "{dir}/model_is_a_file"], None),
    ]
    refuses_each(capsys, tmp_path, cases)  # each case refused in one line of its own


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"prompts": []}, "no prompt"),
        ({"prompts": [None]}, "prompt 1 is not a string"),
        ({"prompts": b"To"}, "not bytes"),
        ({"prompts": "To", "max_length": 10**9}, "100,000"),
        ({"prompts": "To", "max_length": 2.5}, "max_length"),
        ({"prompts": "To", "temperature": float("nan")}, "temperature"),
        ({"prompts": "To", "top_p": float("inf")}, "top_p"),
        ({"prompts": "To", "top_k": -1}, "top_k"),
    ],
)
def test_generate_refuses_bad_arguments_clearly(trained, kwargs, match):
    with pytest.raises(UserInputError, match=match):
        trained[0].generate(**kwargs)


def test_a_blank_prompt_is_fine(trained):
    assert isinstance(
        trained[0].generate(["", "  "], max_length=5, seed=0)[1], str
    )  # the start of a line, as documented
