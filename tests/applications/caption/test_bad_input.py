"""The captioner's actions and Python entry points, given bad input with a trained model."""

import numpy as np
import pytest

from keras_seq.errors import UserInputError
from tests.applications.shared import each_unusable, refuses_each


def test_every_action_refuses_bad_input_in_one_line(trained, tmp_path, capsys):
    model = str(trained[-1])
    cases = each_unusable("caption", "predict", "--model-dir", model)
    cases += each_unusable("caption", "predict", "--model-dir", model, "--input")
    cases += each_unusable("caption", "evaluate", "--model-dir", model, "--data")
    cases += [
        (["caption", "plot", "--model-dir", model, "{dir}/binary.bin"], None),
        (["caption", "predict", "--model-dir", model, "{dir}/binary.bin", "--beam-width", "65"], "at most 64"),
        (
            ["caption", "predict", "--model-dir", model, "{dir}/binary.bin", "--length-penalty", "-inf"],
            "--length-penalty",
        ),
        (["caption", "export", "--model-dir", model, "--export-dir", "{dir}/model_is_a_file"], "is a file"),
    ]
    refuses_each(capsys, tmp_path, cases)  # each case refused in one line of its own


def test_plot_refuses_a_path_in_a_missing_folder(trained, strips_folder, tmp_path, capsys):
    image = str(sorted(strips_folder.glob("*.png"))[0])
    case = (
        ["caption", "plot", "--model-dir", str(trained[-1]), image, "--output", "{dir}/no/such/overlay.png"],
        "no/such",
    )
    (line,) = refuses_each(capsys, tmp_path, [case])
    assert "overlay.png" in line


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"images": []}, "no image"),
        ({"images": b"not an image"}, None),
        ({"images": [None]}, None),
        ({"images": np.zeros((0, 5, 3), "uint8")}, None),
        ({"images": np.full((8, 8, 3), np.nan, "float32")}, None),
        ({"images": np.zeros((8, 8, 7), "uint8")}, None),
        ({"images": np.zeros((8, 8, 3), "uint8"), "beam_width": 65}, "from 1 to 64"),
        ({"images": np.zeros((8, 8, 3), "uint8"), "max_length": 10**9}, "from 1 to 1024"),
        ({"images": np.zeros((8, 8, 3), "uint8"), "length_penalty": float("nan")}, "length_penalty"),
    ],
)
def test_caption_refuses_bad_images_and_arguments_clearly(trained, kwargs, match):
    error = (
        ValueError if "images" in kwargs and len(kwargs) > 1 else UserInputError
    )  # a bad argument, or bad input (a ValueError too)
    with pytest.raises(error, match=match):
        trained[0].caption(**kwargs)
