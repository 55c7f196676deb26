import pytest

from tests.applications.char_lm.conftest import TEXT


@pytest.fixture(scope="session")
def text_file(tmp_path_factory):
    """A small play, as the char LM reads it."""
    path = tmp_path_factory.mktemp("text") / "play.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path
