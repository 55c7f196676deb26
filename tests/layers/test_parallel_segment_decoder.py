import keras
import numpy as np
import pytest

from keras_seq.layers import ParallelSegmentDecoder
from tests.layer_checks import run_layer_test

STATES = np.random.default_rng(0).normal(size=(6, 8)).astype("float32")  # (B*C, U): B=2, C=3


def test_shapes_and_a_horizon_that_is_not_a_multiple():
    decoder = ParallelSegmentDecoder(5, 2, channels=3, units=8)
    assert tuple(decoder(STATES).shape) == (2, 5, 3)
    mixing = ParallelSegmentDecoder(5, 2, channels=3, units=8, independent=False)
    assert tuple(mixing(STATES[:2]).shape) == (2, 5, 3)


def test_channels_get_different_forecasts_from_the_same_state():
    decoder = ParallelSegmentDecoder(4, 2, channels=3, units=8, seed=1)
    same = np.repeat(STATES[:1], 3, axis=0)  # one window, three columns with one state
    out = np.asarray(decoder(same))[0]  # (H, C)
    assert not np.allclose(out[:, 0], out[:, 1])  # the channel embeddings tell them apart


def test_quantiles_never_cross():
    decoder = ParallelSegmentDecoder(4, 2, channels=3, units=8, quantiles=3)
    out = np.asarray(decoder(STATES * 10))  # (B, H, C, Q)
    assert out.shape == (2, 4, 3, 3) and np.all(np.diff(out, axis=-1) >= 0)


def test_future_covariates_change_the_forecast():
    decoder = ParallelSegmentDecoder(4, 2, channels=3, units=8)
    zeros, ones = np.zeros((2, 4, 2), "float32"), np.ones((2, 4, 2), "float32")
    assert not np.allclose(np.asarray(decoder(STATES, zeros)), np.asarray(decoder(STATES, ones)))


def test_lstm_states():
    decoder = ParallelSegmentDecoder(4, 2, channels=3, units=8, cell="lstm")
    assert tuple(decoder([STATES, STATES]).shape) == (2, 4, 3)


@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_layer_checks(cell, tmp_path):
    states = [STATES, STATES] if cell == "lstm" else STATES
    kwargs = {"horizon": 5, "segment_length": 2, "channels": 3, "units": 8, "cell": cell, "quantiles": 2}
    if cell == "lstm":  # a layer of two inputs: the checks call it with both
        layer = ParallelSegmentDecoder(**kwargs)
        inputs = [keras.Input((8,)), keras.Input((8,))]
        model = keras.Model(inputs, layer(inputs))
        path = tmp_path / "m.keras"
        model.save(path)
        loaded = keras.saving.load_model(path, safe_mode=True)
        np.testing.assert_allclose(np.asarray(loaded(states)), np.asarray(model(states)), atol=1e-6)
        return
    run_layer_test(ParallelSegmentDecoder, kwargs, states, tmp_path, fit=False, bfloat16=False)
    # channel-mixing keeps the batch, so a fit step can check that the weights learn
    run_layer_test(ParallelSegmentDecoder, {**kwargs, "independent": False}, states, tmp_path, bfloat16=False)


@pytest.mark.parametrize(
    "kwargs", [{"horizon": 0}, {"channels": 2.5}, {"cell": "ntm"}, {"dropout": 1.0}, {"quantiles": True}]
)
def test_bad_arguments(kwargs):
    base = {"horizon": 4, "segment_length": 2, "channels": 3, "units": 8}
    with pytest.raises(ValueError):
        ParallelSegmentDecoder(**{**base, **kwargs})


def test_attention_reads_the_encoders_outputs(tmp_path):
    memory = np.random.default_rng(1).normal(size=(6, 4, 8)).astype("float32")  # (B*C, N, U)
    decoder = ParallelSegmentDecoder(4, 2, channels=3, units=8, attention="bahdanau")
    out = np.asarray(decoder(STATES, memory=memory))
    assert out.shape == (2, 4, 3) and not np.allclose(out, np.asarray(decoder(STATES, memory=memory * 0)))
    with pytest.raises(ValueError, match="memory"):
        decoder(STATES)
    run_layer_test(
        ParallelSegmentDecoder,
        {"horizon": 4, "segment_length": 2, "channels": 3, "units": 8, "attention": "luong", "independent": False},
        (STATES[:2], np.zeros((2, 4, 1), "float32"), memory[:2]),
        tmp_path,
        bfloat16=False,
    )
