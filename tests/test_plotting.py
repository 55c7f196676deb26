import numpy as np
import pytest

from keras_seq.plotting import plot_memory


def test_writes_a_png_of_every_panel(tmp_path):
    path = str(tmp_path / "heads.png")
    rng = np.random.default_rng(0)
    assert plot_memory(path, [("input", rng.random((9, 5))), ("read", rng.random((9, 16)))], title="copy") == path
    assert open(path, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    assert not (tmp_path / "heads.png.tmp.png").exists()


def test_bad_panels():
    with pytest.raises(ValueError, match="at least one"):
        plot_memory("x.png", [])
    with pytest.raises(ValueError, match="'read' must be"):
        plot_memory("x.png", [("read", np.zeros((2, 3, 4)))])


def test_a_path_in_a_missing_folder_or_a_folder_is_a_clear_error(tmp_path):
    from keras_seq.errors import UserInputError

    with pytest.raises(UserInputError, match="does not exist"):
        plot_memory(str(tmp_path / "nowhere" / "heads.png"), [("read", np.ones((2, 3)))])
    with pytest.raises(UserInputError, match="is a folder"):
        plot_memory(str(tmp_path), [("read", np.ones((2, 3)))])
    assert not (tmp_path / "nowhere").exists()
