import numpy as np
import pytest

from keras_seq.layers import BahdanauAttention
from tests.layers import attention_reference as ref
from tests.layers.attention_suite import QUERY, VALUE, AttentionSuite


def _np(w):
    return np.asarray(w.numpy() if hasattr(w, "numpy") else w)


class TestBahdanauAttention(AttentionSuite):
    def make(self, **kwargs):
        return BahdanauAttention(8, **kwargs)

    def reference(self, layer, q, v, mask):
        return ref.bahdanau(q, v, _np(layer.query_kernel), _np(layer.key_kernel), _np(layer.score_vector), mask)


class TestNormalizedBahdanauAttention(AttentionSuite):
    def make(self, **kwargs):
        return BahdanauAttention(8, normalize=True, **kwargs)

    def customize(self, layer):
        layer.score_bias.assign(np.linspace(-1, 1, 8).astype("float32"))
        layer.score_gain.assign(2.0)

    def reference(self, layer, q, v, mask):
        return ref.bahdanau(
            q,
            v,
            _np(layer.query_kernel),
            _np(layer.key_kernel),
            _np(layer.score_vector),
            mask,
            gain=_np(layer.score_gain),
            bias=_np(layer.score_bias),
        )


def test_bad_units():
    with pytest.raises(ValueError, match="units"):
        BahdanauAttention(0)


def test_query_must_be_2d_or_3d():
    with pytest.raises(ValueError, match="query"):
        BahdanauAttention(4)(QUERY[:, :, :, None], VALUE)


def test_normalize_adds_gain_and_bias():
    plain, normalized = BahdanauAttention(4), BahdanauAttention(4, normalize=True)
    plain(QUERY, VALUE)
    normalized(QUERY, VALUE)
    assert len(normalized.trainable_weights) == len(plain.trainable_weights) + 2
