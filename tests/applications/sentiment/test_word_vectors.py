import keras
import numpy as np
import pytest

from keras_seq.applications.sentiment import SentimentConfig, build_sentiment_classifier
from keras_seq.applications.sentiment.data import adapt_vocabulary
from keras_seq.applications.sentiment.word_vectors import load_word_vectors
from keras_seq.errors import UserInputError
from tests.applications.sentiment.frozen_checks import check_frozen_explained_and_saved


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


def test_missing_file_fails_before_building(tmp_path):
    with pytest.raises(UserInputError, match="word_vectors"):
        build_sentiment_classifier(SentimentConfig(word_vectors=str(tmp_path / "none.txt")), ["good"])


def test_wordllama_ships_with_its_package_and_knows_words_beyond_the_given_ones():
    words, vectors = load_word_vectors("wordllama", ["excellent", "superb", "dreadful", "table", "superb"])
    assert words[:4] == ["excellent", "superb", "dreadful", "table"]  # given words first, duplicates dropped
    assert len(words) > 5000 and len(set(words)) == len(words) and "wonderful" in words
    assert vectors.shape == (len(words), 256) and vectors.dtype == np.float32
    unit = vectors[:4] / np.linalg.norm(vectors[:4], axis=1, keepdims=True)
    similarity = unit @ unit.T  # (4, 4)
    assert similarity[0, 1] > similarity[0, 2] and similarity[0, 1] > similarity[0, 3]  # excellent ~ superb


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
