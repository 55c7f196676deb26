import keras
import numpy as np
import pytest

from keras_seq.layers import PositionEmbedding
from tests.layer_checks import run_layer_test

X = np.random.default_rng(0).normal(size=(2, 6, 4)).astype("float32")


def test_layer_checks(tmp_path):
    run_layer_test(PositionEmbedding, {}, X, tmp_path)


def test_each_position_gets_its_own_vector_and_the_mask_passes():
    layer = PositionEmbedding(initializer="ones")
    tokens = keras.Input((6,), dtype="int32")
    embedded = keras.layers.Embedding(5, 4, mask_zero=True)(tokens)
    out = layer(embedded)
    layer.table.assign(np.arange(24, dtype="float32").reshape(6, 4))
    model = keras.Model(tokens, out)
    zeros = np.zeros((1, 6, 4), "float32")
    np.testing.assert_allclose(layer(zeros)[0], np.arange(24).reshape(6, 4))
    assert out._keras_mask is not None
    assert model(np.array([[1, 2, 0, 0, 0, 0]])).shape == (1, 6, 4)


def test_unknown_length_is_a_clear_error():
    with pytest.raises(ValueError, match="known sizes"):
        PositionEmbedding()(keras.Input((None, 4)))
