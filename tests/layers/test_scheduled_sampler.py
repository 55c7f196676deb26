import keras
import numpy as np
import pytest

from keras_seq.layers import ScheduledSampler
from tests.layer_checks import run_layer_test

GOLD = np.array([[2, 5, 6, 7, 0], [2, 8, 9, 3, 4]], "int32")
# the model predicts token 1 everywhere, with certainty
LOGITS = np.where(np.arange(10) == 1, 20.0, -20.0)[None, None, :].repeat(5, 1).repeat(2, 0).astype("float32")


def test_probability_zero_and_inference_keep_the_gold_inputs():
    sampler = ScheduledSampler(0.0, seed=1)
    np.testing.assert_array_equal(sampler(GOLD, LOGITS, training=True), GOLD)
    sampler.probability.assign(1.0)
    np.testing.assert_array_equal(sampler(GOLD, LOGITS, training=False), GOLD)


def test_probability_one_feeds_the_shifted_predictions():
    mixed = np.asarray(ScheduledSampler(1.0, seed=1)(GOLD, LOGITS, training=True))
    np.testing.assert_array_equal(mixed[:, 0], GOLD[:, 0])  # start token kept
    np.testing.assert_array_equal(mixed[1, 1:], 1)
    np.testing.assert_array_equal(mixed[0, 1:4], 1)
    assert mixed[0, 4] == 0  # padding stays padding


def test_intermediate_probability_mixes():
    gold = np.full((200, 30), 5, "int32")
    logits = np.where(np.arange(10) == 1, 20.0, -20.0)[None, None, :].repeat(30, 1).repeat(200, 0).astype("float32")
    mixed = np.asarray(ScheduledSampler(0.3, seed=2)(gold, logits, training=True))
    share = (mixed[:, 1:] == 1).mean()
    assert 0.25 < share < 0.35


def test_round_trip_and_bad_probability():
    sampler = ScheduledSampler(0.2, greedy=True, seed=3)
    assert ScheduledSampler.from_config(sampler.get_config()).get_config() == sampler.get_config()
    with pytest.raises(ValueError, match="probability"):
        ScheduledSampler(1.5)


def test_two_pass_model_trains_and_saves(tmp_path):
    tokens = keras.Input((5,), dtype="int32")
    embed = keras.layers.Embedding(10, 8)
    rnn = keras.layers.GRU(8, return_sequences=True)
    dense = keras.layers.Dense(10)
    first = dense(rnn(embed(tokens)))
    mixed = ScheduledSampler(0.5, seed=0)(tokens, first)
    logits = dense(rnn(embed(mixed)))
    model = keras.Model(tokens, logits)
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(GOLD, GOLD, epochs=3, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    path = str(tmp_path / "ss.keras")
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_allclose(loaded.predict(GOLD, verbose=0), model.predict(GOLD, verbose=0), atol=1e-5)


def test_layer_checks(tmp_path):  # config, JSON, .keras (no weights to fit; integer output)
    run_layer_test(
        ScheduledSampler, {"probability": 0.5, "seed": 1}, (GOLD, LOGITS), tmp_path, fit=False, bfloat16=False
    )
