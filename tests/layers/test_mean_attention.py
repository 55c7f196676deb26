import keras
import numpy as np

from keras_seq.layers import AttentionDecoder, AttentionDecoderCell, GRUCell, MeanAttention
from tests.layer_checks import run_layer_test
from tests.layers.attention_suite import QUERY, VALUE, AttentionSuite


class TestMeanAttention(AttentionSuite):
    def make(self, **kwargs):
        return MeanAttention(**kwargs)

    def reference(self, layer, q, v, mask):
        keep = mask.astype("float32")  # (B, Tv)
        weights = np.repeat((keep / keep.sum(-1, keepdims=True))[:, None], q.shape[1], axis=1)  # (B, Tq, Tv)
        return weights @ v, weights

    def test_layer_checks(self, tmp_path):  # no weights, so no fit step
        run_layer_test(MeanAttention, {}, (QUERY, VALUE), tmp_path, fit=False)


def test_the_query_does_not_matter_and_there_are_no_weights():
    layer = MeanAttention()
    context, _ = layer(QUERY, VALUE)
    other, _ = layer(-3 * QUERY, VALUE)
    np.testing.assert_allclose(context, other)
    np.testing.assert_allclose(np.asarray(context)[:, 0], VALUE.mean(axis=1), atol=1e-6)
    assert not layer.weights


def test_it_drives_a_decoder_cell_as_the_other_attentions_do():
    cell = AttentionDecoderCell(GRUCell(4), MeanAttention())
    outputs, _ = AttentionDecoder(cell)(keras.ops.ones((2, 3, 5)), VALUE)
    assert tuple(outputs.shape)[:2] == (2, 3)
