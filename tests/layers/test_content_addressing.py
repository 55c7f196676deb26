import keras
import numpy as np
import pytest

from keras_seq.layers import AttentionBase, ContentAddressing
from tests.layer_checks import run_layer_test

RNG = np.random.default_rng(3)
MEMORY = RNG.normal(size=(2, 7, 4)).astype("float32")
KEYS = RNG.normal(size=(2, 3, 4)).astype("float32")
STRENGTH = np.array([[[0.5], [2.0], [10.0]]] * 2, "float32")


def reference(keys, strength, memory):
    cos = np.einsum("bhm,bnm->bhn", keys, memory)
    cos /= np.linalg.norm(keys, axis=-1)[..., None] * np.linalg.norm(memory, axis=-1)[:, None, :]
    scores = strength * cos
    e = np.exp(scores - scores.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def test_weights_are_a_softmax_of_strength_times_cosine():
    layer = ContentAddressing()
    assert isinstance(layer, AttentionBase)
    query = layer.scaled_query(KEYS, STRENGTH)
    reads, weights = layer(query, MEMORY)
    np.testing.assert_allclose(weights, reference(KEYS, STRENGTH, MEMORY), atol=1e-5)
    np.testing.assert_allclose(reads, np.einsum("bhn,bnm->bhm", weights, MEMORY), atol=1e-5)
    # a key equal to a row, with a large strength, finds that row
    query = layer.scaled_query(MEMORY[:, 4:5] * 3.0, np.full((2, 1, 1), 50.0, "float32"))
    assert np.all(np.argmax(keras.ops.convert_to_numpy(layer(query, MEMORY)[1]), -1) == 4)


def test_masked_slots_get_no_weight_and_zero_rows_no_nan():
    memory = MEMORY.copy()
    memory[0, 2] = 0.0  # an all-zero slot scores 0 instead of dividing by zero
    mask = np.ones((2, 7), bool)
    mask[1, 5:] = False
    layer = ContentAddressing()
    _, weights = layer(layer.scaled_query(KEYS, STRENGTH), memory, mask)
    weights = keras.ops.convert_to_numpy(weights)
    assert np.all(np.isfinite(weights)) and np.all(weights[1, :, 5:] == 0.0)
    np.testing.assert_allclose(weights.sum(-1), 1.0, atol=1e-5)


def test_bad_arguments():
    with pytest.raises(ValueError, match="epsilon"):
        ContentAddressing(epsilon=0)
    with pytest.raises(ValueError, match="as wide as the memory rows"):
        ContentAddressing()(KEYS[..., :3], MEMORY)


def test_layer_checks(tmp_path):
    run_layer_test(ContentAddressing, {"epsilon": 1e-5}, (KEYS, MEMORY), tmp_path, fit=False)  # no weights
