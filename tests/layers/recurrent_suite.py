"""Tests shared by our SimpleRNN, GRU and LSTM layers and cells.

A test file subclasses `RecurrentSuite` and names our layer, our cell and
the Keras built-ins they must match.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_seq.layers import PaddingMask
from tests.layer_checks import assert_round_trips, run_layer_test, without_mask_propagation

B, T, D, U = 3, 7, 4, 5
VOCAB = 11


def _inputs(seed=0):
    return np.random.default_rng(seed).normal(size=(B, T, D)).astype("float32")


def _tokens():
    """Token ids with zeros as padding: row 0 right-padded, row 1 left-padded."""
    ids = np.random.default_rng(1).integers(1, VOCAB, size=(B, T)).astype("int32")
    ids[0, 4:] = 0
    ids[1, :3] = 0
    return ids


def _flat(outputs):
    return [np.asarray(o) for o in tf.nest.flatten(outputs)]


def _weighted_sum(outputs):
    # distinct weights so that every output (and state) has its own gradient
    return sum(tf.reduce_sum(o * (k + 1.5)) for k, o in enumerate(tf.nest.flatten(outputs)))


class RecurrentSuite:
    ours = None  # our layer class
    ours_cell = None  # our cell class
    keras_layer = None  # the Keras built-in layer
    keras_cell = None
    extra = {}  # extra constructor arguments of the variant under test
    fusable = True  # whether the default configuration takes the fused kernel

    def test_default_configuration_takes_the_fused_kernel(self, monkeypatch):
        calls = []
        original = self.ours.run_fused

        def counting(layer, *args):
            calls.append(1)
            return original(layer, *args)

        monkeypatch.setattr(self.ours, "run_fused", counting)
        layer = self.ours(U, **self.extra)
        assert layer.can_fuse() is self.fusable
        layer(_inputs())
        assert bool(calls) is self.fusable
        calls.clear()
        self.ours(U, fused=False, **self.extra)(_inputs())
        assert not calls

    # ---------------------------------------------------------- equivalence
    def _pair(self, inputs, fused="auto", **kwargs):
        ref = self.keras_layer(U, **self.extra, **kwargs)
        ours = self.ours(U, fused=fused, **self.extra, **kwargs)
        ref(inputs)
        ours(inputs)
        ours.set_weights(ref.get_weights())
        return ours, ref

    @pytest.mark.parametrize("fused", ["auto", False])
    @pytest.mark.parametrize(
        "options",
        [
            {},
            {"return_sequences": True},
            {"return_state": True},
            {"return_sequences": True, "return_state": True, "go_backwards": True},
        ],
        ids=["last", "sequences", "state", "sequences-state-backwards"],
    )
    def test_matches_keras_outputs_and_gradients(self, fused, options):
        x = _inputs()
        ours, ref = self._pair(x, fused=fused, **options)
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x := tf.constant(x))
            a, b = ref(x), ours(x)
            loss_a, loss_b = _weighted_sum(a), _weighted_sum(b)
        for p, q in zip(_flat(a), _flat(b)):
            np.testing.assert_allclose(q, p, atol=1e-5)
        grads_a = tape.gradient(loss_a, ref.trainable_weights + [x])
        grads_b = tape.gradient(loss_b, ours.trainable_weights + [x])
        for p, q in zip(grads_a, grads_b):
            # gradients summed over the whole sequence reach ~100: float32's
            # rounding there is ~1e-5, so the bound is relative as well
            np.testing.assert_allclose(np.asarray(q), np.asarray(p), rtol=1e-6, atol=1e-5)

    @pytest.mark.parametrize("fused", ["auto", False])
    @pytest.mark.parametrize("go_backwards", [False, True])
    def test_matches_keras_with_embedding_mask(self, fused, go_backwards):
        ids = _tokens()
        embed = keras.layers.Embedding(VOCAB, D, mask_zero=True)
        vectors = embed(ids)
        mask = embed.compute_mask(ids)
        opts = dict(return_sequences=True, return_state=True, go_backwards=go_backwards)
        ours, ref = self._pair(vectors, fused=fused, **opts)
        with tf.GradientTape(persistent=True) as tape:
            a = ref(vectors, mask=mask)
            b = ours(vectors, mask=mask)
            loss_a, loss_b = _weighted_sum(a), _weighted_sum(b)
        for p, q in zip(_flat(a), _flat(b)):
            np.testing.assert_allclose(q, p, atol=1e-5)
        for p, q in zip(
            tape.gradient(loss_a, ref.trainable_weights),
            tape.gradient(loss_b, ours.trainable_weights),
        ):
            # gradients summed over the whole sequence reach ~100: float32's
            # rounding there is ~1e-5, so the bound is relative as well
            np.testing.assert_allclose(np.asarray(q), np.asarray(p), rtol=1e-6, atol=1e-5)

    def test_mask_from_embedding_in_a_model(self):
        ids = _tokens()

        def model(layer_class):
            keras.utils.set_random_seed(3)
            inp = keras.Input((T,), dtype="int32")
            h = keras.layers.Embedding(VOCAB, D, mask_zero=True)(inp)
            return keras.Model(inp, layer_class(U, **self.extra)(h))

        ref, ours = model(self.keras_layer), model(self.ours)
        ours.set_weights(ref.get_weights())
        np.testing.assert_allclose(ours.predict(ids, verbose=0), ref.predict(ids, verbose=0), atol=1e-5)

    def test_explicit_masks_in_bidirectional_without_mask_propagation(self):
        """Two bidirectional layers given `PaddingMask`'s mask, with no mask
        propagated by Keras, match Keras' own layers given the same mask;
        the layer declares its own mask semantics."""
        ids = _tokens()

        def model(layer_class):
            keras.utils.set_random_seed(3)
            inp = keras.Input((T,), dtype="int32")
            mask = PaddingMask()(inp)
            h = keras.layers.Embedding(VOCAB, D)(inp)
            h = keras.layers.Bidirectional(layer_class(U, return_sequences=True, **self.extra))(h, mask=mask)
            return keras.Model(inp, keras.layers.Bidirectional(layer_class(U, **self.extra))(h, mask=mask))

        ref = model(self.keras_layer)
        expected = ref.predict(ids, verbose=0)
        with without_mask_propagation():
            ours = model(self.ours)
            ours.set_weights(ref.get_weights())
            np.testing.assert_allclose(ours.predict(ids, verbose=0), expected, atol=1e-5)
        layer, mask = self.ours(U, return_sequences=True, return_state=True, **self.extra), ids != 0
        assert layer.supports_masking
        np.testing.assert_array_equal(layer.compute_mask(_inputs(), mask)[0], mask)
        assert all(m is None for m in layer.compute_mask(_inputs(), mask)[1:])

    def test_weights_move_both_ways(self):
        x = _inputs()
        ours, ref = self._pair(x, return_sequences=True)
        assert [w.shape for w in ours.get_weights()] == [w.shape for w in ref.get_weights()]
        # ours -> Keras: give ours fresh weights, copy them into a new Keras layer
        ours.set_weights([np.random.default_rng(5).normal(size=w.shape) * 0.3 for w in ours.get_weights()])
        ref2 = self.keras_layer(U, return_sequences=True, **self.extra)
        ref2(x)
        ref2.set_weights(ours.get_weights())
        np.testing.assert_allclose(np.asarray(ours(x)), np.asarray(ref2(x)), atol=1e-5)

    def test_fused_and_step_paths_agree_with_initial_state(self):
        x = _inputs()
        fast = self.ours(U, return_sequences=True, return_state=True, **self.extra)
        slow = self.ours(U, return_sequences=True, return_state=True, fused=False, **self.extra)
        fast(x)
        slow(x)
        slow.set_weights(fast.get_weights())
        n_states = len(fast.cell.state_size) if isinstance(fast.cell.state_size, list) else 1
        init = [tf.constant(np.random.default_rng(k).normal(size=(B, U)).astype("float32")) for k in range(n_states)]
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(init)
            a = fast(x, initial_state=init)
            b = slow(x, initial_state=init)
            la, lb = _weighted_sum(a), _weighted_sum(b)
        for p, q in zip(_flat(a), _flat(b)):
            np.testing.assert_allclose(p, q, atol=1e-5)
        for p, q in zip(tape.gradient(la, init), tape.gradient(lb, init)):
            np.testing.assert_allclose(np.asarray(p), np.asarray(q), atol=1e-5)

    @pytest.mark.parametrize("go_backwards", [False, True])
    def test_recurrent_dropout_runs_fused_and_matches_the_step_path_with_the_same_mask(self, go_backwards, monkeypatch):
        if not self.fusable:
            pytest.skip("this variant has no fused kernel")
        keras.utils.set_random_seed(
            0
        )  # weights of their own, whatever ran before: the check that dropout acts reads their size
        ids = _tokens()
        embed = keras.layers.Embedding(VOCAB, D, mask_zero=True)
        vectors, mask = embed(ids), embed.compute_mask(ids)
        options = dict(
            return_sequences=True,
            return_state=True,
            go_backwards=go_backwards,
            recurrent_dropout=0.4,
            seed=3,
            **self.extra,
        )
        fast, slow = self.ours(U, **options), self.ours(U, fused=False, **options)
        fast(vectors)
        slow(vectors)
        slow.set_weights(fast.get_weights())
        assert fast.can_fuse()
        calls = []
        original = self.ours.run_fused
        monkeypatch.setattr(
            self.ours, "run_fused", lambda layer, *args: calls.append(args[-1]) or original(layer, *args)
        )
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(vectors)
            a = fast(vectors, mask=mask, training=True)  # both draw the same mask: the same seed, drawn first
            b = slow(vectors, mask=mask, training=True)
            la, lb = _weighted_sum(a), _weighted_sum(b)
        assert len(calls) == 1 and calls[0] is not None, calls  # the fused kernel ran, with the dropout mask
        for p, q in zip(_flat(a), _flat(b)):
            np.testing.assert_allclose(p, q, atol=1e-5)
        for p, q in zip(
            tape.gradient(la, fast.trainable_weights + [vectors]), tape.gradient(lb, slow.trainable_weights + [vectors])
        ):
            np.testing.assert_allclose(np.asarray(p), np.asarray(q), rtol=1e-6, atol=1e-5)
        # and dropout did act: without it the outputs differ
        assert not np.allclose(_flat(a)[0], _flat(fast(vectors, mask=mask))[0], atol=1e-3)

    def test_stateful_matches_keras(self):
        x = _inputs()
        ours, ref = self._pair(x, stateful=True, return_sequences=True)
        ours.reset_state()
        ref.reset_state()
        for chunk in (x[:, :3], x[:, 3:]):
            np.testing.assert_allclose(np.asarray(ours(chunk)), np.asarray(ref(chunk)), atol=1e-5)
        first = np.asarray(ours(x[:, :3]))
        ours.reset_state()
        assert not np.allclose(np.asarray(ours(x[:, :3])), first)  # state was carried

    # ------------------------------------------------------------ the cell
    def test_cell_in_keras_rnn_matches_keras_cell(self):
        x = _inputs()
        ours = keras.layers.RNN(self.ours_cell(U, **self.extra), return_sequences=True)
        ref = keras.layers.RNN(self.keras_cell(U, **self.extra), return_sequences=True)
        ours(x)
        ref(x)
        ours.set_weights(ref.get_weights())
        np.testing.assert_allclose(np.asarray(ours(x)), np.asarray(ref(x)), atol=1e-5)

    def test_cell_round_trips(self, tmp_path):
        x = _inputs()
        layer = keras.layers.RNN(self.ours_cell(U, dropout=0.1, **self.extra), return_sequences=True)
        layer(x)
        cell = layer.cell
        clone = type(cell).from_config(cell.get_config())
        assert clone.get_config() == cell.get_config()
        assert_round_trips(layer, x, tmp_path)

    def test_stacked_cells(self):
        x = _inputs()
        stack = keras.layers.RNN([self.ours_cell(U, **self.extra), self.ours_cell(3, **self.extra)])
        assert tuple(stack(x).shape) == (B, 3)

    # ------------------------------------------------------ serialization
    def test_layer_checks(self, tmp_path):  # config, JSON, .keras, a fit step, mixed_bfloat16
        run_layer_test(self.ours, {"units": U, "return_sequences": True, **self.extra}, _inputs(), tmp_path, atol=1e-5)

    def test_cell_checks(self, tmp_path):  # the cell in keras.layers.RNN: config, JSON, .keras, fit, mixed_bfloat16
        run_layer_test(
            keras.layers.RNN,
            lambda: {"cell": self.ours_cell(U, **self.extra), "return_sequences": True},
            _inputs(),
            tmp_path,
            atol=1e-5,
        )

    def test_layer_round_trips(self, tmp_path):
        x = _inputs()
        layer = self.ours(U, return_sequences=True, dropout=0.2, recurrent_dropout=0.1, seed=4, **self.extra)
        layer(x)
        assert_round_trips(layer, x, tmp_path)
        config = layer.get_config()
        assert config["units"] == U and config["return_sequences"] is True and config["seed"] == 4

    def test_bidirectional_matches_keras_and_round_trips(self, tmp_path):
        x = _inputs()
        ids = _tokens()
        embed = keras.layers.Embedding(VOCAB, D, mask_zero=True)
        vectors, mask = embed(ids), embed.compute_mask(ids)
        ours = keras.layers.Bidirectional(self.ours(U, return_sequences=True, **self.extra))
        ref = keras.layers.Bidirectional(self.keras_layer(U, return_sequences=True, **self.extra))
        ours(x)
        ref(x)
        ours.set_weights(ref.get_weights())
        np.testing.assert_allclose(np.asarray(ours(vectors, mask=mask)), np.asarray(ref(vectors, mask=mask)), atol=1e-5)
        assert_round_trips(ours, x, tmp_path)

    # ----------------------------------------------------- training modes
    def test_stacked_layers_fit(self):
        keras.utils.set_random_seed(0)
        x = _inputs()
        y = np.random.default_rng(2).normal(size=(B, 1)).astype("float32")
        model = keras.Sequential(
            [
                keras.Input((T, D)),
                self.ours(8, return_sequences=True, dropout=0.1, **self.extra),
                self.ours(8, **self.extra),
                keras.layers.Dense(1),
            ]
        )
        model.compile(keras.optimizers.Adam(0.05), "mse")
        model.optimizer.build(model.trainable_variables)  # not inside the traced step, which would trace twice
        before = model.evaluate(x, y, verbose=0)
        model.fit(x, y, epochs=30, verbose=0)
        assert model.evaluate(x, y, verbose=0) < before * 0.5

    @pytest.mark.parametrize("fused", ["auto", False])
    def test_dropout_only_in_training(self, fused):
        x = _inputs()
        layer = self.ours(
            U, dropout=0.5, recurrent_dropout=0.0 if fused == "auto" else 0.3, seed=1, fused=fused, **self.extra
        )
        inference = np.asarray(layer(x))
        np.testing.assert_allclose(np.asarray(layer(x)), inference)  # deterministic
        assert not np.allclose(np.asarray(layer(x, training=True)), inference)

    def test_mixed_bfloat16(self):
        x = _inputs()
        ref = self.ours(U, return_sequences=True, **self.extra)
        expected = np.asarray(ref(x))
        keras.config.set_dtype_policy("mixed_bfloat16")
        layer = self.ours(U, return_sequences=True, **self.extra)
        out = layer(x)
        layer.set_weights(ref.get_weights())
        out = layer(x)
        assert keras.backend.standardize_dtype(out.dtype) == "bfloat16"
        assert layer.cell.kernel.dtype == "float32"
        np.testing.assert_allclose(np.asarray(tf.cast(out, tf.float32)), expected, atol=0.05)
        model = keras.Sequential([keras.Input((T, D)), layer, keras.layers.Dense(1)])
        model.compile("adam", "mse")
        history = model.fit(x, np.zeros((B, T, 1)), epochs=1, verbose=0)
        assert np.isfinite(history.history["loss"][0])

    def test_jit_compile(self):
        x = _inputs()
        y = np.zeros((B, 1), "float32")

        def make():
            keras.utils.set_random_seed(7)
            m = keras.Sequential([keras.Input((T, D)), self.ours(U, **self.extra), keras.layers.Dense(1)])
            return m

        plain, jitted = make(), make()
        plain.compile("sgd", "mse", jit_compile=False)
        jitted.compile("sgd", "mse", jit_compile=True)
        np.testing.assert_allclose(jitted.predict(x, verbose=0), plain.predict(x, verbose=0), atol=1e-5)
        plain.fit(x, y, epochs=2, verbose=0)
        jitted.fit(x, y, epochs=2, verbose=0)
        for p, q in zip(plain.get_weights(), jitted.get_weights()):
            np.testing.assert_allclose(q, p, atol=1e-4)

    # ----------------------------------------------------------- bad input
    @pytest.mark.parametrize("units", [0, -3, 2.5, "8"])
    def test_bad_units(self, units):
        with pytest.raises(ValueError, match="units"):
            self.ours(units)
        with pytest.raises(ValueError, match="units"):
            self.ours_cell(units)

    def test_unknown_activation(self):
        with pytest.raises(ValueError, match="activation.*tanhh"):
            self.ours(4, activation="tanhh")

    def test_non_3d_input(self):
        with pytest.raises(ValueError, match=r"3D input.*\(2, 5\)"):
            self.ours(4)(np.zeros((2, 5), "float32"))

    def test_mask_of_wrong_shape(self):
        with pytest.raises(ValueError, match=r"mask of shape \(3, 6\)"):
            self.ours(4)(_inputs(), mask=np.ones((3, 6), bool))

    def test_bad_fused_and_dropout(self):
        with pytest.raises(ValueError, match="fused"):
            self.ours(4, fused="yes")
        with pytest.raises(ValueError, match="fused=True"):
            self.ours(4, fused=True, unroll=True)
        assert (
            self.ours(4, recurrent_dropout=0.2, **self.extra).can_fuse() is self.fusable
        )  # recurrent dropout runs in the kernel
        with pytest.raises(ValueError, match="dropout"):
            self.ours(4, dropout=1.5)
