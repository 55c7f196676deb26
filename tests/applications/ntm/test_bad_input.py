"""The NTM's actions and Python entry points, given bad input with a trained model."""

import numpy as np
import pytest

from keras_seq.errors import UserInputError
from tests.applications.shared import refuses_each


def test_every_action_refuses_bad_input_in_one_line(trained, tmp_path, capsys):
    model = str(trained[-1])
    cases = [
        (["ntm", "plot", "--model-dir", model, "--length", "0"], "--length"),
        (["ntm", "plot", "--model-dir", model, "--length", "100000"], None),
        (["ntm", "plot", "--model-dir", model, "--items", "3"], "does not apply"),
        (["ntm", "plot", "--model-dir", model, "--output", "{dir}/no/such/folder/plot.png"], "no/such/folder"),
        (["ntm", "plot", "--model-dir", model, "--output", "{dir}/a_folder"], None),
        (["ntm", "evaluate", "--model-dir", model, "--length", "-1"], "--length"),
        (["ntm", "evaluate", "--model-dir", model, "--repeats", "0"], "--repeats"),
        (["ntm", "evaluate", "--model-dir", model, "--data", "{dir}/binary.bin"], None),
        (["ntm", "export", "--model-dir", model, "--export-dir", "{dir}/model_is_a_file"], "is a file"),
    ]
    refuses_each(capsys, tmp_path, cases)  # each case refused in one line of its own


@pytest.mark.parametrize(
    "inputs, match",
    [
        (np.zeros((2, 5, 3), "float32"), "shape"),
        (np.zeros((2, 0, 8), "float32"), "shape"),
        (np.zeros((5,), "float32"), "shape"),
        ([["a", "b"]], "takes bits"),
        (None, "takes bits"),
        (np.full((1, 5, 9), np.nan, "float32"), "NaN or infinite"),
        (np.full((1, 5, 9), np.inf, "float32"), "NaN or infinite"),
    ],
)
def test_run_refuses_bad_bits_clearly(trained, inputs, match):
    task = trained[0]
    if task.config.task == "copy":
        with pytest.raises(UserInputError, match=match):
            task.run(inputs)
