"""Checks every keras_seq layer must pass: config, JSON, .keras round trips."""

import json
import os

import keras
import numpy as np


def assert_round_trips(layer, inputs, tmp_path, atol=1e-6):
    """`layer` (already built by a call on `inputs`) survives get_config,
    JSON serialization and a `.keras` save/load with safe_mode=True, with
    the same outputs."""
    expected = keras.ops.convert_to_numpy(_first(layer(inputs)))

    clone = type(layer).from_config(layer.get_config())
    clone(inputs)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(_np(clone(inputs)), expected, atol=atol)
    assert clone.get_config() == layer.get_config()

    revived = keras.saving.deserialize_keras_object(json.loads(json.dumps(keras.saving.serialize_keras_object(layer))))
    assert type(revived) is type(layer)

    x = keras.Input(inputs.shape[1:], dtype=inputs.dtype)
    model = keras.Model(x, layer(x))
    path = os.path.join(str(tmp_path), "model.keras")
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_allclose(_np(loaded(inputs)), expected, atol=atol)
    return loaded


def _first(outputs):
    return outputs[0] if isinstance(outputs, (list, tuple)) else outputs


def _np(outputs):
    return keras.ops.convert_to_numpy(_first(outputs))
