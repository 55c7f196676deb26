import keras
import numpy as np

from keras_seq.layers import AttentionPooling, MaskedGlobalMaxPooling
from tests.layer_checks import run_layer_test


def test_pools_with_weights_that_ignore_padding(tmp_path):
    tokens = np.array([[3, 4, 5, 0, 0], [1, 2, 3, 4, 5]])
    inputs = keras.Input((5,), dtype="int32")
    x = keras.layers.Embedding(10, 6, mask_zero=True)(inputs)
    pooled, weights = AttentionPooling(8, return_weights=True)(x)
    model = keras.Model(inputs, [pooled, weights])
    p, w = model.predict(tokens, verbose=0)
    assert p.shape == (2, 6) and w.shape == (2, 5)
    assert np.all(w[0, 3:] == 0.0)
    np.testing.assert_allclose(w.sum(-1), 1.0, atol=1e-6)
    embedded = keras.ops.convert_to_numpy(model.layers[1](tokens))
    np.testing.assert_allclose(p, np.einsum("bt,btd->bd", w, embedded), atol=1e-5)
    path = str(tmp_path / "pool.keras")
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_allclose(loaded.predict(tokens, verbose=0)[1], w, atol=1e-6)


def test_config_round_trip():
    layer = AttentionPooling(4, return_weights=True)
    assert AttentionPooling.from_config(layer.get_config()).get_config() == layer.get_config()


def test_masked_max_pooling_ignores_padding():
    from keras_seq.layers import MaskedGlobalMaxPooling

    x = -np.ones((2, 4, 3), "float32")
    x[0, 3] = 5.0  # a padded step with a large value
    mask = np.array([[True, True, True, False], [False] * 4])
    out = keras.ops.convert_to_numpy(MaskedGlobalMaxPooling()(x, mask=mask))
    np.testing.assert_array_equal(out, [[-1, -1, -1], [0, 0, 0]])
    assert MaskedGlobalMaxPooling.from_config(MaskedGlobalMaxPooling().get_config())


def test_layer_checks(tmp_path):  # config, JSON, .keras, a fit step, mixed_bfloat16
    x = np.random.default_rng(0).normal(size=(2, 5, 6)).astype("float32")
    run_layer_test(AttentionPooling, {"units": 4}, x, tmp_path)
    run_layer_test(MaskedGlobalMaxPooling, {}, x, tmp_path, fit=False)  # no weights
