"""Property-based tests (hypothesis): any Unicode text round-trips through
the vocabularies and the normalization, and any file content is read or
refused with a `UserInputError`, never another exception."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keras_seq.data.char_vocabulary import CharVocabulary
from keras_seq.data.text import detokenize, normalize, read_text
from keras_seq.data.word_vocabulary import WordVocabulary
from keras_seq.errors import UserInputError

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(st.text())
def test_characters_round_trip(text):
    vocab = CharVocabulary.from_text(text)
    assert vocab.decode(vocab.encode(text)) == text
    again = CharVocabulary.from_json(vocab.to_json())
    assert again.chars == vocab.chars and again.decode(again.encode(text)) == text


@SETTINGS
@given(st.text(), st.text())
def test_unknown_characters_vanish_and_nothing_else_does(known, other):
    vocab = CharVocabulary.from_text(known)
    assert vocab.decode(vocab.encode(other)) == "".join(c for c in other if c in vocab)


@SETTINGS
@given(st.lists(st.text(), min_size=1, max_size=8))
def test_normalized_words_round_trip(sentences):
    normalized = [normalize(s) for s in sentences]
    assert [normalize(s) for s in normalized] == normalized  # idempotent
    assert all(token == token.strip() and token for s in normalized for token in s.split(" ") if s)
    vocab = WordVocabulary.build(normalized, max_size=10_000)
    for sentence in normalized:
        assert vocab.decode(vocab.encode(sentence)) == sentence
    rebuilt = WordVocabulary(vocab.words)
    assert [rebuilt.encode(s).tolist() for s in normalized] == [vocab.encode(s).tolist() for s in normalized]


@SETTINGS
@given(st.text())
def test_detokenize_only_removes_spaces(text):
    tokens = normalize(text)
    assert detokenize(tokens).replace(" ", "") == tokens.replace(" ", "")


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_are_read_or_refused_clearly(tmp_path, data):
    path = tmp_path / "any.txt"
    path.write_bytes(data)
    try:
        text = read_text(str(path))
    except UserInputError as error:
        assert "UTF-8" in str(error)
    else:
        assert text.encode("utf-8") == data


@pytest.mark.parametrize("app", ["translate", "sentiment", "caption"])
@SETTINGS
@given(data=st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8")))
def test_any_data_file_is_read_or_refused_clearly(tmp_path, app, data):
    import importlib

    path = tmp_path / ("data.tsv" if app == "translate" else "data.csv")
    path.write_bytes(data)
    reader = {
        "translate": ("keras_seq.applications.translate.data", "read_tsv"),
        "sentiment": ("keras_seq.applications.sentiment.data", "read_table"),
        "caption": ("keras_seq.applications.caption.data", "read_caption_rows"),
    }[app]
    read = getattr(importlib.import_module(reader[0]), reader[1])
    try:
        read(str(path))
    except UserInputError as error:
        assert str(error) and "\n" not in str(error)


def test_repeated_ngram_rate():
    from keras_seq.data import repeated_ngram_rate

    texts = ["a b c a b c", "a b c d", "x y x y", ""]
    assert repeated_ngram_rate(texts, 3) == 0.25  # "a b c" twice in the first only
    assert repeated_ngram_rate(texts, 2) == 0.5
    assert repeated_ngram_rate([], 3) == 0.0
