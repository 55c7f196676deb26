import keras
import numpy as np
import pytest

from keras_seq.layers import AttentionDecoder, AttentionDecoderCell, GRUCell, LocationSensitiveAttention
from tests.layer_checks import run_layer_test
from tests.layers import attention_reference as ref
from tests.layers.attention_suite import MASK, QUERY, VALUE, AttentionSuite

RNG = np.random.default_rng(2)
PREVIOUS = RNG.dirichlet(np.ones(5), size=2).astype("float32")  # (2, 5)
CUMULATIVE = (PREVIOUS + RNG.dirichlet(np.ones(5), size=2)).astype("float32")
TARGET = RNG.normal(size=(2, 6, 8)).astype("float32")


def _np(w):
    return np.asarray(w.numpy() if hasattr(w, "numpy") else w)


def _reference(layer, q, v, mask, previous, cumulative):
    location = ref.location_features(previous, cumulative, _np(layer.location_kernel), _np(layer.location_projection))
    return ref.bahdanau(
        q, v, _np(layer.query_kernel), _np(layer.key_kernel), _np(layer.score_vector), mask, location=location
    )


class TestLocationSensitiveAttention(AttentionSuite):
    """A call of its own starts from no history: the location term is zero."""

    def make(self, **kwargs):
        return LocationSensitiveAttention(8, filters=4, kernel_size=3, **kwargs)

    def reference(self, layer, q, v, mask):
        nothing = np.zeros((2, 5), "float32")
        return _reference(layer, q, v, mask, nothing, nothing)

    def test_gradients_reach_every_weight(self):
        # the location weights only once there is a history to read
        import tensorflow as tf

        layer = self.make()
        layer(QUERY, VALUE)
        with tf.GradientTape() as tape:
            context, _ = layer.attend(QUERY, layer.prepare_keys(VALUE), VALUE, MASK, (PREVIOUS, CUMULATIVE))
            loss = tf.reduce_sum(context**2)
        grads = tape.gradient(loss, layer.trainable_weights)
        assert len(grads) == 5 and all(g is not None and np.any(g.numpy() != 0) for g in grads)


@pytest.mark.parametrize("kernel_size", [3, 4])  # odd and even widths pad alike
def test_the_score_reads_the_previous_and_the_summed_alignments(kernel_size):
    layer = LocationSensitiveAttention(8, filters=4, kernel_size=kernel_size)
    layer(QUERY, VALUE)
    layer.location_kernel.assign(RNG.normal(size=(kernel_size, 2, 4)).astype("float32"))
    keys = layer.prepare_keys(VALUE)
    weights = layer.attention_weights(QUERY, keys, MASK, (PREVIOUS, CUMULATIVE))
    _, want = _reference(layer, QUERY, VALUE, MASK, PREVIOUS, CUMULATIVE)
    np.testing.assert_allclose(weights, want, atol=1e-5)
    without = layer.attention_weights(QUERY, keys, MASK)
    assert not np.allclose(weights, without, atol=1e-3)  # where it looked moves the attention


def test_in_a_decoder_the_state_carries_the_last_and_the_summed_alignments():
    decoder = AttentionDecoder(AttentionDecoderCell(GRUCell(16), LocationSensitiveAttention(8)), return_state=True)
    outputs, alignments, *states = decoder(TARGET, VALUE, memory_mask=MASK)
    cell = decoder.cell
    assert cell.tracks_alignments and cell.state_size == [16, 16, None, None]
    a = keras.ops.convert_to_numpy(alignments)  # (2, 6, 5)
    np.testing.assert_allclose(a.sum(-1), 1.0, atol=1e-5)
    assert np.all(a[0, :, 3:] == 0.0)
    np.testing.assert_allclose(states[-2], a[:, -1], atol=1e-6)
    np.testing.assert_allclose(states[-1], a.sum(1), atol=1e-5)
    # step by step, from the state complete_state makes, as decoding does
    memory = cell.prepare_memory(VALUE, MASK)
    step_states = cell.complete_state([], memory)
    for t in range(TARGET.shape[1]):
        out, step_states = cell(TARGET[:, t], step_states, memory=memory)
        step_out, step_weights = cell.split_output(out)
        np.testing.assert_allclose(step_out, outputs[:, t], atol=1e-5)
        np.testing.assert_allclose(step_weights, alignments[:, t], atol=1e-5)


def test_its_state_needs_the_memory():
    cell = AttentionDecoderCell(GRUCell(4), LocationSensitiveAttention(4))
    with pytest.raises(ValueError, match="complete_state"):
        cell.get_initial_state(batch_size=2)
    AttentionDecoder(cell)(TARGET, VALUE)
    with pytest.raises(ValueError, match="needs the memory"):
        cell.complete_state([np.zeros((2, 4), "float32")])


def test_bad_arguments():
    with pytest.raises(ValueError, match="units"):
        LocationSensitiveAttention(4, filters=0)
    with pytest.raises(ValueError, match="units"):
        LocationSensitiveAttention(4, kernel_size=-1)


def test_layer_checks(tmp_path):  # config, JSON, .keras, a fit step, mixed_bfloat16
    def kwargs():
        return {"cell": AttentionDecoderCell(GRUCell(8), LocationSensitiveAttention(6, filters=3, kernel_size=5))}

    run_layer_test(AttentionDecoder, kwargs, (TARGET, VALUE), tmp_path, atol=1e-5)
    config = LocationSensitiveAttention(6, filters=3, kernel_size=5).get_config()
    assert (config["filters"], config["kernel_size"]) == (3, 5)
