import numpy as np
import pytest

from keras_seq.applications.sentiment.data import load_splits, read_source
from keras_seq.errors import UserInputError


def test_csv_with_named_columns(csv_file):
    data = read_source(str(csv_file))
    assert data.label_names == ["neg", "pos"] and len(data) == 80
    assert data.texts[0] == "I loved this place." and data.labels[0] == 1


def test_tsv_without_header(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text("Good one.\t1\nBad one.\t0\nFine.\t1\n", encoding="utf-8")
    data = read_source(str(path))
    assert data.texts == ["Good one.", "Bad one.", "Fine."] and data.labels.tolist() == [1, 0, 1]
    assert data.label_names == ["0", "1"]


def test_columns_by_position_and_missing_column(tmp_path, csv_file):
    data = read_source(str(csv_file), text_column="0", label_column="1")
    assert len(data) == 80
    with pytest.raises(UserInputError, match="no column named 'body'"):
        read_source(str(csv_file), text_column="body")


def test_unknown_label(csv_file):
    with pytest.raises(UserInputError, match="'pos' is not in the label set"):
        read_source(str(csv_file), label_names=["neg", "neutral"])


def test_folder_of_classes(tmp_path):
    for label, texts in {"neg": ["bad", "awful"], "pos": ["good", "great", "fine"]}.items():
        (tmp_path / label).mkdir()
        for i, text in enumerate(texts):
            (tmp_path / label / f"{i}.txt").write_text(text, encoding="utf-8")
    data = read_source(str(tmp_path))
    assert data.label_names == ["neg", "pos"] and data.labels.tolist() == [0, 0, 1, 1, 1]


def test_bad_folders(tmp_path):
    with pytest.raises(UserInputError, match="no class sub-folders"):
        read_source(str(tmp_path))
    (tmp_path / "pos").mkdir()
    (tmp_path / "neg").mkdir()
    (tmp_path / "pos" / "a.txt").write_text("good", encoding="utf-8")
    with pytest.raises(UserInputError, match="has no files"):
        read_source(str(tmp_path))


def test_embedded_and_seeded_split():
    train, val = load_splits("embedded", validation_split=0.2, seed=1)
    train2, val2 = load_splits("embedded", validation_split=0.2, seed=1)
    assert len(val) == 800 and val.texts == val2.texts
    assert not set(train.texts[:50]) & set(val.texts[:0])


def test_tfds_imdb_with_mock_data():
    import tensorflow_datasets as tfds

    with tfds.testing.mock_data(num_examples=6):
        data = read_source("tfds:imdb_reviews", "train")
    assert len(data) == 6 and data.label_names == ["neg", "pos"]


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(UserInputError, match="no such file"):
        read_source(str(tmp_path / "none.csv"))
    empty = tmp_path / "e.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(UserInputError, match="empty"):
        read_source(str(empty))
    one_class = tmp_path / "one.csv"
    one_class.write_text("text,label\na,1\nb,1\n", encoding="utf-8")
    with pytest.raises(UserInputError, match="only one label"):
        read_source(str(one_class))
    assert np.asarray([1]).size == 1
