import numpy as np
import pytest

from keras_seq.applications.char_lm.data import load_corpus, stream_dataset, window_dataset
from keras_seq.errors import UserInputError


def test_file_split_by_position(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("abcdefghij" * 30, encoding="utf-8")
    corpus = load_corpus(str(path), validation_split=0.2, sequence_length=10)
    assert corpus.train + corpus.validation == "abcdefghij" * 30
    assert len(corpus.validation) == 60


def test_folder_of_txt_files(tmp_path):
    (tmp_path / "b.txt").write_text("second " * 40, encoding="utf-8")
    (tmp_path / "a.txt").write_text("first " * 40, encoding="utf-8")
    (tmp_path / "skip.csv").write_text("not read", encoding="utf-8")
    corpus = load_corpus(str(tmp_path), validation_split=0.1, sequence_length=10)
    assert corpus.train.startswith("first") and "not read" not in corpus.train + corpus.validation


def test_embedded_needs_no_download():
    corpus = load_corpus("embedded")
    assert len(corpus.train) > 100_000 and "pydoc" in corpus.description


def test_tfds_source_with_mock_data():
    import tensorflow_datasets as tfds

    with tfds.testing.mock_data(num_examples=1, policy=tfds.testing.MockPolicy.USE_CODE):
        corpus = load_corpus("tfds:tiny_shakespeare", sequence_length=5)
    assert corpus.train and corpus.validation and corpus.description == "tfds:tiny_shakespeare"


@pytest.mark.parametrize(
    "content,match",
    [("", "empty"), ("   \n\t  \n", "empty"), ("short text", "fewer than one window")],
)
def test_bad_texts(tmp_path, content, match):
    path = tmp_path / "t.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UserInputError, match=match):
        load_corpus(str(path), sequence_length=100)


def test_non_utf8_missing_path_and_empty_folder(tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("caf\xe9 ".encode("latin-1") * 100)
    with pytest.raises(UserInputError, match="not UTF-8"):
        load_corpus(str(bad))
    with pytest.raises(UserInputError, match="no such file"):
        load_corpus(str(tmp_path / "missing.txt"))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(UserInputError, match="no .txt files"):
        load_corpus(str(empty))


def test_windows_are_next_character_pairs():
    ids = np.arange(101, dtype=np.int32)
    x, y = next(iter(window_dataset(ids, 10, 4, shuffle=False)))
    np.testing.assert_array_equal(y.numpy(), x.numpy() + 1)
    assert x.shape == (4, 10)


def test_streams_continue_across_batches():
    ids = np.arange(1001, dtype=np.int32)
    batches = [x.numpy() for x, _ in stream_dataset(ids, sequence_length=10, batch_size=4)]
    assert len(batches) == 25  # 250 characters per stream, 25 windows
    for k in range(len(batches) - 1):
        np.testing.assert_array_equal(batches[k + 1][:, 0], batches[k][:, -1] + 1)  # row b continues
    with pytest.raises(UserInputError, match="too few"):
        stream_dataset(np.arange(30, dtype=np.int32), 10, 4)
