"""The sentiment classifier's actions and Python entry points, given bad input with a trained model."""

import pytest

from keras_seq.errors import UserInputError
from tests.applications.shared import each_unusable, refuses_each


def test_every_action_refuses_bad_input_in_one_line(trained, tmp_path, capsys):
    model = str(trained[-1])
    cases = each_unusable("sentiment", "predict", "--model-dir", model, "--input")
    cases += each_unusable("sentiment", "evaluate", "--model-dir", model, "--data")
    cases += [
        (
            ["sentiment", "predict", "--model-dir", model, "great", "--explain", "{dir}/no/such/folder/why.html"],
            "no/such/folder",
        ),
        (["sentiment", "predict", "--model-dir", model, "great", "--explain", "{dir}/why.pdf"], None),
        (["sentiment", "predict", "--model-dir", model, "great", "--explain", "{dir}/a_folder"], None),
        (
            ["sentiment", "evaluate", "--model-dir", model, "--data", "embedded", "--validation-split", "1.5"],
            "--validation-split",
        ),
        (["sentiment", "export", "--model-dir", model, "--export-dir", "{dir}/model_is_a_file"], "is a file"),
    ]
    refuses_each(capsys, tmp_path, cases)  # each case refused in one line of its own


@pytest.mark.parametrize("method", ["classify", "explain"])
@pytest.mark.parametrize(
    "texts, match",
    [
        ([], "no text"),
        ([None], "text 1 is not a string"),
        (["fine", ""], "text 2 is empty"),
        (b"great", "not bytes"),
        (7, "a list of texts"),
    ],
)
def test_the_python_entry_points_refuse_bad_texts_clearly(trained, method, texts, match):
    with pytest.raises(UserInputError, match=match):
        getattr(trained[0], method)(texts)
