import pytest

from keras_seq.data import CharVocabulary


def test_round_trip_and_unknown_characters(tmp_path):
    vocab = CharVocabulary.from_text("hello world")
    assert vocab.size == len(set("hello world")) + 1
    assert vocab.decode(vocab.encode("hello")) == "hello"
    assert vocab.encode("hé").tolist()[1] == 0 and vocab.decode(vocab.encode("hé")) == "h"
    path = tmp_path / "v.json"
    vocab.save(path)
    assert CharVocabulary.load(path).chars == vocab.chars


def test_bad_characters():
    with pytest.raises(ValueError, match="distinct"):
        CharVocabulary(["a", "a"])
    with pytest.raises(ValueError, match="single"):
        CharVocabulary(["ab"])
