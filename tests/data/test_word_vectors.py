import numpy as np
import pytest

from keras_seq.data.word_vectors import load_word_vectors
from keras_seq.errors import UserInputError


@pytest.fixture
def vectors_file(tmp_path):
    path = tmp_path / "vectors.txt"
    path.write_text("3 2\nGood 1 0\nbad -1 0\nmovie 0 1\ngood 9 9\n", encoding="utf-8")  # word2vec header; "good" twice
    return str(path)


def test_reads_a_text_file_in_the_given_word_order(vectors_file):
    words, vectors = load_word_vectors(vectors_file, ["movie", "good", "plot"])
    assert words == ["movie", "good", "plot"]
    # the first "good" wins; "plot" has no vector and stays zero; the others are centred and scaled
    np.testing.assert_allclose(vectors, [[-1, 1], [1, -1], [0, 0]], rtol=1e-5)


@pytest.mark.parametrize(
    "content, message",
    [("good 1 x\n", "line 1"), ("good 1 2\nbad 1\n", "line 2: 1 numbers, expected 2"), ("table 1 2\n", "none of the")],
)
def test_bad_files_are_clear_errors(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UserInputError, match=message):
        load_word_vectors(str(path), ["good", "bad"])


def test_wordllama_ships_with_its_package_and_knows_words_beyond_the_given_ones():
    words, vectors = load_word_vectors("wordllama", ["excellent", "superb", "dreadful", "table", "superb"])
    assert words[:4] == ["excellent", "superb", "dreadful", "table"]  # given words first, duplicates dropped
    assert len(words) > 5000 and len(set(words)) == len(words) and "wonderful" in words
    assert vectors.shape == (len(words), 256) and vectors.dtype == np.float32
    unit = vectors[:4] / np.linalg.norm(vectors[:4], axis=1, keepdims=True)
    similarity = unit @ unit.T  # (4, 4)
    assert similarity[0, 1] > similarity[0, 2] and similarity[0, 1] > similarity[0, 3]  # excellent ~ superb


def test_the_caller_says_how_a_word_is_written(tmp_path):
    path = tmp_path / "vectors.txt"
    path.write_text("Paris 1 0\n1990 0 1\n", encoding="utf-8")
    words, vectors = load_word_vectors(
        str(path), ["paris", "0000"], lambda w: "".join("0" if c.isdigit() else c for c in w.lower())
    )
    assert words == ["paris", "0000"] and np.all(np.any(vectors != 0, axis=1))
