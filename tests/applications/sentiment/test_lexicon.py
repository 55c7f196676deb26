import keras
import numpy as np
import pytest

from keras_seq.applications.sentiment import SentimentConfig, build_sentiment_classifier
from keras_seq.applications.sentiment.lexicon import load_lexicon
from keras_seq.errors import UserInputError
from tests.applications.sentiment.frozen_checks import check_frozen_explained_and_saved


@pytest.fixture
def lexicon_file(tmp_path):
    path = tmp_path / "polarity.tsv"
    path.write_text("great\t3.0\t0.5\nawful\t-2\nDon't\t-1\n:)\t2\nwell done\t1\n\nGreat!\t1\n", encoding="utf-8")
    return str(path)


def test_reads_a_file_standardized_and_scaled(lexicon_file):
    polarity = load_lexicon(lexicon_file)
    # "Great!" becomes "great" and is averaged with it; ":)" and the phrase are dropped
    assert polarity == {"great": 1.0, "awful": -1.0, "dont": -0.5}


def test_vader_ships_with_its_package():
    polarity = load_lexicon("vader")
    assert len(polarity) > 5000
    assert polarity["excellent"] > 0.5 and polarity["horrible"] < -0.5
    assert all(-1 <= v <= 1 for v in polarity.values())


@pytest.mark.parametrize(
    "content, message", [("great 3\n", "line 1"), ("great\tvery\n", "line 1"), ("\n:)\t2\n", "no usable")]
)
def test_bad_files_are_clear_errors(tmp_path, content, message):
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UserInputError, match=message):
        load_lexicon(str(path))


def test_a_file_that_is_not_utf8_or_not_a_file_is_a_clear_error(tmp_path):
    latin = tmp_path / "latin1.tsv"
    latin.write_bytes("tr\xe8s bien\t2\n".encode("latin-1"))
    with pytest.raises(UserInputError, match="not UTF-8 text"):
        load_lexicon(str(latin))
    with pytest.raises(UserInputError, match="lexicon"):
        load_lexicon(str(tmp_path))  # a folder


def test_missing_file_fails_before_building(tmp_path):
    with pytest.raises(UserInputError, match="lexicon"):
        build_sentiment_classifier(SentimentConfig(lexicon=str(tmp_path / "none.tsv")), ["good"])


def test_model_adds_a_frozen_polarity_feature(lexicon_file, tmp_path):
    config = SentimentConfig(lexicon=lexicon_file, units=4, embedding_dim=4, attention_units=4)
    model = build_sentiment_classifier(config, ["movie", "great"])
    assert model.get_layer("vectorize").get_vocabulary() == ["", "[UNK]", "movie", "great"]  # unchanged
    words = model.get_layer("lexicon_vectorize").get_vocabulary()
    table = model.get_layer("lexicon").get_weights()[0][:, 0]
    assert dict(zip(words, table)) == {"": 0.0, "[UNK]": 0.0, "awful": -1.0, "dont": -0.5, "great": 1.0}
    probe = keras.Model(model.input, model.get_layer("with_lexicon").output)
    features = probe.predict(np.array(["awful great movie"], dtype=object), verbose=0)  # (1, T, E + 1)
    np.testing.assert_allclose(features[0, :4, -1], [-1.0, 1.0, 0.0, 0.0])  # "awful" is not in the vocabulary
    check_frozen_explained_and_saved(
        model, config, "lexicon", ["great movie", "awful movie", "dont"], [1, 0, 0], "awful movie", tmp_path
    )
