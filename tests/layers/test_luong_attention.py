import numpy as np
import pytest

from keras_seq.layers import LuongAttention
from tests.layers import attention_reference as ref
from tests.layers.attention_suite import QUERY, VALUE, AttentionSuite


def _weights(layer):
    return {w.path.split("/")[-1]: np.asarray(w.numpy()) for w in layer.weights}


class TestLuongDot(AttentionSuite):
    def make(self, **kwargs):
        return LuongAttention("dot", scale=True, **kwargs)

    def customize(self, layer):
        layer.score_scale.assign(0.5)  # a scale other than its initial 1

    def reference(self, layer, q, v, mask):
        return ref.luong(q, v, "dot", {}, mask, scale=float(layer.score_scale.numpy()))

    def test_dot_needs_equal_sizes(self):
        with pytest.raises(ValueError, match="same feature size"):
            LuongAttention("dot")(QUERY[..., :4], VALUE)


class TestLuongGeneral(AttentionSuite):
    def make(self, **kwargs):
        return LuongAttention("general", **kwargs)

    def reference(self, layer, q, v, mask):
        return ref.luong(q, v, "general", _weights(layer), mask)


class TestLuongConcat(AttentionSuite):
    def make(self, **kwargs):
        return LuongAttention("concat", units=7, **kwargs)

    def reference(self, layer, q, v, mask):
        return ref.luong(q, v, "concat", _weights(layer), mask)


def test_unknown_score_mode():
    with pytest.raises(ValueError, match="score_mode"):
        LuongAttention("cosine")


def test_dot_has_no_weights_and_general_one():
    dot, general = LuongAttention("dot"), LuongAttention("general")
    dot(QUERY, VALUE)
    general(QUERY, VALUE)
    assert len(dot.trainable_weights) == 0
    assert [tuple(w.shape) for w in general.trainable_weights] == [(6, 6)]
