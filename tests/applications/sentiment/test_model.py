import keras
import keras_tuner
import numpy as np
import pytest

from keras_seq.applications.sentiment import SentimentConfig, SentimentHyperModel, build_sentiment_classifier
from keras_seq.errors import UserInputError
from keras_seq.layers import GRU, LSTM, AttentionPooling

VOCAB = ["good", "bad", "movie", "not"]


@pytest.mark.parametrize("pooling", ["attention", "last", "mean", "max"])
def test_builds_from_strings_with_each_pooling(pooling):
    model = build_sentiment_classifier(SentimentConfig(cell="lstm", units=8, embedding_dim=8, pooling=pooling), VOCAB)
    out = model.predict(np.array(["good movie", "not good at all and more words"], dtype=object), verbose=0)
    assert out.shape == (2, 1) and np.all((out > 0) & (out < 1))
    assert isinstance(model.get_layer("rnn_0"), keras.layers.Bidirectional)
    assert isinstance(model.get_layer("rnn_0").forward_layer, LSTM)
    if pooling == "attention":
        assert isinstance(model.get_layer("pooling"), AttentionPooling)


def test_multiclass_gru_unidirectional():
    config = SentimentConfig(labels=["a", "b", "c"], cell="gru", bidirectional=False, units=8, embedding_dim=8)
    model = build_sentiment_classifier(config, VOCAB)
    assert isinstance(model.get_layer("rnn_0"), GRU)
    out = model.predict(np.array(["good"], dtype=object), verbose=0)
    assert out.shape == (1, 3)
    np.testing.assert_allclose(out.sum(-1), 1.0, atol=1e-5)


def test_saves_and_loads_safely(tmp_path):
    model = build_sentiment_classifier(SentimentConfig(units=8, embedding_dim=8), VOCAB)
    path = str(tmp_path / "s.keras")
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    x = np.array(["good movie", "bad"], dtype=object)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)


def test_bad_config():
    with pytest.raises(UserInputError, match="pooling"):
        build_sentiment_classifier(SentimentConfig(pooling="sum"), VOCAB)
    with pytest.raises(UserInputError, match="labels"):
        build_sentiment_classifier(SentimentConfig(labels=["only"]), VOCAB)


def test_hypermodel():
    hp = keras_tuner.HyperParameters()
    model = SentimentHyperModel(SentimentConfig(embedding_dim=8), vocabulary=VOCAB).build(hp)
    assert isinstance(model, keras.Model) and {"cell", "units", "pooling"} <= set(hp.values)


@pytest.mark.slow  # 27 s; the NTM in an application runs by default in the char LM's tests
def test_ntm_cell_bidirectional_trains_and_saves(tmp_path):
    from keras_seq.layers import NTM

    config = SentimentConfig(
        cell="ntm",
        units=8,
        memory_size=6,
        memory_width=4,
        embedding_dim=8,
        sequence_length=6,
        lexicon=None,
        word_vectors=None,
    )
    model = build_sentiment_classifier(config, VOCAB)
    assert (
        isinstance(model.get_layer("rnn_0").forward_layer, NTM) and model.get_layer("rnn_0").backward_layer.go_backwards
    )
    x = np.array(["good movie", "bad", "great fun", "awful"], dtype=object)
    model.fit(x, np.array([1, 0, 1, 0]), epochs=1, verbose=0)
    path = str(tmp_path / "ntm.keras")
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-5)
