import keras
import numpy as np
import pytest

from keras_seq.applications.sentiment import SentimentConfig, build_sentiment_classifier
from keras_seq.applications.sentiment.data import adapt_vocabulary
from keras_seq.errors import UserInputError
from tests.applications.sentiment.frozen_checks import check_frozen_explained_and_saved


def test_missing_file_fails_before_building(tmp_path):
    with pytest.raises(UserInputError, match="word_vectors"):
        build_sentiment_classifier(SentimentConfig(word_vectors=str(tmp_path / "none.txt")), ["good"])


def test_model_adds_frozen_word_vectors_for_words_training_never_saw(tmp_path):
    config = SentimentConfig(lexicon=None, units=4, embedding_dim=4, attention_units=4, dropout=0.0)
    model = build_sentiment_classifier(config, ["movie", "great"])
    assert model.get_layer("vectorize").get_vocabulary() == ["", "[UNK]", "movie", "great"]  # unchanged
    assert not model.get_layer("word_vectors").trainable
    probe = keras.Model(model.input, model.get_layer("with_word_vectors").output)
    features = probe.predict(np.array(["wonderful movie"], dtype=object), verbose=0)  # (1, T, E + 256)
    assert features.shape[-1] == 4 + 256
    assert np.abs(features[0, 0, 4:]).sum() > 0  # "wonderful" is not in the vocabulary but has a vector
    np.testing.assert_array_equal(features[0, 2:, 4:], 0.0)  # padding
    check_frozen_explained_and_saved(
        model, config, "word_vectors", ["great movie", "awful movie"], [1, 0], "wonderful movie", tmp_path
    )


def test_word_vectors_can_be_turned_off():
    model = build_sentiment_classifier(
        SentimentConfig(word_vectors=None, units=4, embedding_dim=4, attention_units=4), ["movie"]
    )
    assert "word_vectors" not in {layer.name for layer in model.layers}


def test_words_seen_once_get_no_trainable_row_but_keep_their_vector():
    vocabulary = adapt_vocabulary(["great movie", "great plot", "dull movie", "movie zxqv"], 100)
    assert list(vocabulary.items())[:2] == [("movie", 3), ("great", 2)] and {
        w: vocabulary[w] for w in ("plot", "dull", "zxqv")
    } == {
        "plot": 1,
        "dull": 1,
        "zxqv": 1,
    }
    config = SentimentConfig(min_count=2, lexicon=None, units=4, embedding_dim=4, attention_units=4, dropout=0.0)
    model = build_sentiment_classifier(config, vocabulary)
    assert model.get_layer("vectorize").get_vocabulary() == ["", "[UNK]", "movie", "great"]
    looked_up = model.get_layer("word_vectors_vectorize").get_vocabulary()
    assert {"plot", "dull", "zxqv"} <= set(looked_up)  # "zxqv" is no word the tokenizer knows: it comes from training
    probe = keras.Model(model.input, model.get_layer("with_word_vectors").output)
    features = probe.predict(np.array(["zxqv", "qqqqzzzz"], dtype=object), verbose=0)  # (2, T, 4 + 256)
    assert np.abs(features[0, 0, 4:]).sum() > 0 and np.abs(features[1, 0, 4:]).sum() == 0  # unseen anywhere: blank
    with pytest.raises(UserInputError, match="min_count=5"):
        build_sentiment_classifier(config.replace(min_count=5), vocabulary)
