import keras
import keras_tuner
import numpy as np
import pytest

from keras_seq.applications.char_lm import CharLMConfig, CharLMHyperModel, build_char_lm
from keras_seq.errors import UserInputError
from keras_seq.layers import GRU, LSTM


def test_builds_our_layers_with_clipping_and_metrics():
    model = build_char_lm(CharLMConfig(vocab_size=30, units=16, layers=2, dropout=0.1))
    assert [type(layer) for layer in model.layers if "rnn" in layer.name] == [LSTM, LSTM]
    assert model.optimizer.global_clipnorm == 1.0
    x = np.random.default_rng(0).integers(0, 30, (4, 12))
    model.fit(x, x, epochs=1, verbose=0)
    names = set(model.get_metrics_result())
    assert {"bits_per_char", "perplexity", "loss"} <= names
    logs = model.get_metrics_result()
    np.testing.assert_allclose(float(logs["bits_per_char"]), float(logs["loss"]) / np.log(2), rtol=1e-4)


def test_tbptt_model_is_stateful_with_fixed_batch():
    model = build_char_lm(CharLMConfig(vocab_size=10, cell="gru", units=8, tbptt=True, batch_size=4))
    layer = model.get_layer("rnn_0")
    assert isinstance(layer, GRU) and layer.stateful
    assert model.input_shape[0] == 4


def test_bad_config():
    with pytest.raises(UserInputError, match="cell"):
        build_char_lm(CharLMConfig(vocab_size=10, cell="transformer"))
    with pytest.raises(UserInputError, match="vocab_size"):
        build_char_lm(CharLMConfig(vocab_size=0))
    with pytest.raises(UserInputError, match="units"):
        build_char_lm(CharLMConfig(vocab_size=10, units=0))


def test_hypermodel_builds_through_the_builder():
    hypermodel = CharLMHyperModel(CharLMConfig(vocab_size=12, batch_size=4))
    hp = keras_tuner.HyperParameters()
    model = hypermodel.build(hp)
    assert isinstance(model, keras.Model)
    assert {"cell", "units", "layers", "dropout", "learning_rate"} <= set(hp.values)


def test_ntm_cell_generates_step_by_step_like_the_layer():
    from keras_seq.applications.char_lm import CharLM
    from keras_seq.data import CharVocabulary
    from keras_seq.layers import NTM

    vocabulary = CharVocabulary.from_text("abcdefgh ")
    model = build_char_lm(CharLMConfig(cell="ntm", units=8, memory_size=6, memory_width=4, embedding_dim=4), vocabulary)
    assert isinstance(model.get_layer("rnn_0"), NTM)
    lm = CharLM(model)
    ids = vocabulary.encode("abc ab")[None]
    logits = model.predict(ids, verbose=0)
    state = lm.initial_state(1)
    for t in range(ids.shape[1]):
        step, state = lm.step(ids[:, t], state)
        np.testing.assert_allclose(step, logits[:, t], atol=1e-5)
    assert isinstance(lm.generate("ab", max_length=5, seed=0), str)
    with pytest.raises(UserInputError, match="no input dropout"):
        build_char_lm(CharLMConfig(cell="ntm", vocab_size=10, dropout=0.1))
