"""Checks shared by the attention layers' tests."""

import keras
import numpy as np
import pytest

from tests.layer_checks import run_layer_test

RNG = np.random.default_rng(0)
QUERY = RNG.normal(size=(2, 3, 6)).astype("float32")
VALUE = RNG.normal(size=(2, 5, 6)).astype("float32")
MASK = np.array([[True, True, True, False, False], [True] * 5])


class AttentionSuite:
    """Subclasses define `make(**kwargs)` and `reference(layer, q, v, mask)`."""

    def customize(self, layer):
        """Set weights away from their initial values (after build)."""

    def test_matches_numpy_reference(self):
        layer = self.make()
        layer(QUERY, VALUE)
        self.customize(layer)
        context, weights = layer(QUERY, VALUE, value_mask=MASK)
        ref_context, ref_weights = self.reference(layer, QUERY, VALUE, MASK)
        np.testing.assert_allclose(weights, ref_weights, atol=1e-5)
        np.testing.assert_allclose(context, ref_context, atol=1e-5)

    def test_weights_sum_to_one_and_are_zero_where_masked(self):
        _, weights = self.make()(QUERY, VALUE, value_mask=MASK)
        weights = keras.ops.convert_to_numpy(weights)
        np.testing.assert_allclose(weights.sum(-1), 1.0, atol=1e-6)
        assert np.all(weights[0, :, 3:] == 0.0)  # exactly zero
        assert np.all(weights[0, :, :3] > 0.0)

    def test_a_fully_masked_row_gets_zero_weights(self):
        mask = np.array([[False] * 5, [True] * 5])
        context, weights = self.make()(QUERY, VALUE, value_mask=mask)
        assert np.all(keras.ops.convert_to_numpy(weights)[0] == 0.0)
        assert np.all(np.isfinite(keras.ops.convert_to_numpy(context)))

    def test_single_step_query_drops_the_query_axis(self):
        layer = self.make()
        context, weights = layer(QUERY[:, 0], VALUE, value_mask=MASK)
        full_context, full_weights = layer(QUERY, VALUE, value_mask=MASK)
        assert tuple(context.shape) == (2, 6) and tuple(weights.shape) == (2, 5)
        np.testing.assert_allclose(weights, keras.ops.convert_to_numpy(full_weights)[:, 0], atol=1e-6)

    def test_mask_comes_from_an_embedding(self):
        tokens = np.array([[3, 4, 5, 0, 0], [1, 2, 3, 4, 5]])
        q = keras.Input((3, 6))
        v_tokens = keras.Input((5,), dtype="int32")
        value = keras.layers.Embedding(10, 6, mask_zero=True)(v_tokens)
        context, weights = self.make()(q, value)
        model = keras.Model([q, v_tokens], [context, weights])
        _, w = model.predict([QUERY, tokens], verbose=0)
        assert np.all(w[0, :, 3:] == 0.0)
        np.testing.assert_allclose(w.sum(-1), 1.0, atol=1e-6)

    def test_gradients_reach_every_weight(self):
        import tensorflow as tf

        layer = self.make()
        layer(QUERY, VALUE)
        with tf.GradientTape() as tape:
            context, _ = layer(QUERY, VALUE, value_mask=MASK)
            loss = tf.reduce_sum(context**2)
        grads = tape.gradient(loss, layer.trainable_weights)
        assert all(g is not None and np.any(g.numpy() != 0) for g in grads)

    def test_round_trips(self, tmp_path):
        layer = self.make()
        layer(QUERY, VALUE)
        clone = type(layer).from_config(layer.get_config())
        clone(QUERY, VALUE)
        clone.set_weights(layer.get_weights())
        np.testing.assert_allclose(clone(QUERY, VALUE)[1], layer(QUERY, VALUE)[1], atol=1e-6)
        assert clone.get_config() == layer.get_config()
        q, v = keras.Input((3, 6)), keras.Input((5, 6))
        model = keras.Model([q, v], list(layer(q, v)))
        path = str(tmp_path / "attention.keras")
        model.save(path)
        loaded = keras.saving.load_model(path, safe_mode=True)
        np.testing.assert_allclose(
            loaded.predict([QUERY, VALUE], verbose=0)[1], model.predict([QUERY, VALUE], verbose=0)[1], atol=1e-6
        )

    def test_layer_checks(self, tmp_path):  # config, JSON, .keras, a fit step, mixed_bfloat16
        layer = self.make()
        run_layer_test(type(layer), layer.get_config(), (QUERY, VALUE), tmp_path)

    def test_mixed_precision(self):
        keras.config.set_dtype_policy("mixed_bfloat16")
        context, weights = self.make()(QUERY, VALUE, value_mask=MASK)
        assert "bfloat16" in str(context.dtype)
        np.testing.assert_allclose(
            keras.ops.convert_to_numpy(keras.ops.cast(weights, "float32")).sum(-1), 1.0, atol=2e-2
        )

    def test_bad_value_rank(self):
        with pytest.raises(ValueError, match="value of shape"):
            self.make()(QUERY, VALUE[:, 0])

    def test_bad_mask_shape(self):
        with pytest.raises(ValueError, match="value_mask"):
            self.make()(QUERY, VALUE, value_mask=MASK[:, :4])
