import keras
import numpy as np

from keras_seq.layers import TiedEmbedding
from tests.layer_checks import run_layer_test


def test_embeds_like_embedding_and_reverses_with_the_same_table():
    layer = TiedEmbedding(12, 4, mask_zero=True)
    ids = np.array([[3, 5, 0], [1, 2, 11]])
    vectors = layer(ids)
    table = layer.embeddings.numpy()
    np.testing.assert_allclose(vectors, table[ids], rtol=1e-6)
    layer.reverse_bias.assign(np.arange(12, dtype="float32"))
    x = np.random.default_rng(0).normal(size=(2, 3, 4)).astype("float32")
    logits = layer(x, reverse=True)
    assert logits.shape == (2, 3, 12)
    np.testing.assert_allclose(logits, x @ table.T + np.arange(12), rtol=1e-5, atol=1e-5)
    assert len(layer.trainable_weights) == 2


def test_masks_of_both_directions():
    layer = TiedEmbedding(12, 4, mask_zero=True)
    ids = np.array([[3, 5, 0]])
    np.testing.assert_array_equal(layer.compute_mask(ids), [[True, True, False]])
    vectors = keras.ops.ones((1, 3, 4))
    previous = np.array([[True, False, False]])
    np.testing.assert_array_equal(layer.compute_mask(vectors, previous), previous)


def test_output_gradient_reaches_rows_never_embedded_and_saving(tmp_path):
    keras.utils.set_random_seed(0)
    ids = keras.Input((None,), dtype="int32")
    layer = TiedEmbedding(10, 6, mask_zero=True, name="tied")
    logits = layer(keras.layers.Dense(6)(layer(ids)), reverse=True)
    model = keras.Model(ids, logits)
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    x = np.array([[1, 2, 3], [3, 2, 1]])
    y = np.array([[9, 9, 9], [8, 8, 8]])  # 8 and 9 only appear as targets
    before = layer.embeddings.numpy().copy()
    model.fit(x, y, epochs=1, verbose=0)
    changed = np.abs(layer.embeddings.numpy() - before).sum(-1) > 0
    assert changed[8] and changed[9]  # never embedded: only the output side can move them
    path = str(tmp_path / "tied.keras")
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5)
    assert isinstance(loaded.get_layer("tied"), TiedEmbedding)


def test_get_config_round_trip():
    layer = TiedEmbedding(7, 3, use_bias=False, mask_zero=True, name="t")
    clone = TiedEmbedding.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
    clone.build()
    assert clone.reverse_bias is None and len(clone.trainable_weights) == 1


def test_layer_checks(tmp_path):  # config, JSON, .keras, a fit step, mixed_bfloat16
    ids = np.array([[1, 2, 3], [4, 0, 0]], dtype="int32")
    run_layer_test(TiedEmbedding, {"input_dim": 6, "output_dim": 4}, ids, tmp_path)
