import numpy as np
import pytest

from keras_seq.layers import ParallelSegmentDecoder, RecursiveSegmentDecoder
from tests.layer_checks import run_layer_test

STATES = np.random.default_rng(0).normal(size=(6, 8)).astype("float32")  # (B*C, U): B=2, C=3


def test_each_segment_reads_the_one_before():
    decoder = RecursiveSegmentDecoder(6, 2, channels=3, units=8, seed=0)
    out = np.asarray(decoder(STATES))
    assert out.shape == (2, 6, 3)
    # the first segment is the parallel decoder's step with a zero feedback: change the feedback's weights and
    # only the later segments move
    kernel, bias = decoder.loop.cell.feedback.get_weights()
    decoder.loop.cell.feedback.set_weights([kernel + 1.0, bias])
    moved = np.asarray(decoder(STATES))
    np.testing.assert_allclose(moved[:, :2], out[:, :2], atol=1e-6)
    assert not np.allclose(moved[:, 2:], out[:, 2:])


@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_layer_checks(cell, tmp_path):
    kwargs = {"horizon": 5, "segment_length": 2, "channels": 3, "units": 8, "cell": cell, "independent": False}
    states = (STATES[:2], STATES[:2]) if cell == "lstm" else STATES[:2]
    if cell == "lstm":  # two state inputs: the checks call the layer with a list
        layer = RecursiveSegmentDecoder(**kwargs)
        assert tuple(layer(list(states)).shape) == (2, 5, 3)
        clone = RecursiveSegmentDecoder.from_config(layer.get_config())
        clone(list(states))
        clone.set_weights(layer.get_weights())
        np.testing.assert_allclose(np.asarray(clone(list(states))), np.asarray(layer(list(states))), atol=1e-6)
        return
    run_layer_test(RecursiveSegmentDecoder, kwargs, states, tmp_path, bfloat16=False)


def test_no_attention_and_no_unused_weights():
    with pytest.raises(ValueError, match="attention"):
        RecursiveSegmentDecoder(4, 2, channels=3, units=8, attention="luong")
    recursive = RecursiveSegmentDecoder(4, 2, channels=3, units=8)
    recursive(STATES)
    parallel = ParallelSegmentDecoder(4, 2, channels=3, units=8)
    parallel(STATES)
    assert len(recursive.trainable_weights) == len(parallel.trainable_weights) + 2  # the feedback's kernel and bias
