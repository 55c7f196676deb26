import json

import keras
import numpy as np
import pytest

from keras_seq.ops.crf import crf_log_likelihood, crf_pack
from keras_seq.training import CRFAccuracy, CRFLoss


def _packed(seed=0):
    rng = np.random.default_rng(seed)
    e = rng.normal(size=(3, 5, 4)).astype("float32")
    a, s, f = (rng.normal(size=shape).astype("float32") for shape in ((4, 4), (4,), (4,)))
    mask = np.arange(5)[None, :] < np.array([[5], [2], [0]])  # the last sentence is empty
    tags = rng.integers(0, 4, size=(3, 5))
    return crf_pack(e, a, s, f, mask), tags


def test_the_loss_is_the_mean_nll_over_sentences_with_tokens():
    packed, tags = _packed()
    log_likelihood = np.asarray(crf_log_likelihood(packed, tags)[0])
    assert float(CRFLoss()(tags, packed)) == pytest.approx(-log_likelihood[:2].mean(), rel=1e-6)
    weighted = float(CRFLoss()(tags, packed, sample_weight=np.array([1.0, 3.0, 5.0])))
    assert weighted == pytest.approx(-(log_likelihood[0] + 3 * log_likelihood[1]) / 4, rel=1e-6)


def test_the_accuracy_counts_real_tokens_only():
    packed, _ = _packed(1)
    from keras_seq.ops.crf import crf_decode

    best = np.asarray(crf_decode(packed)[0])
    gold = best.copy()
    gold[0, 0] = (gold[0, 0] + 1) % 4  # one of the 7 real tokens wrong
    gold[1, 4] = (gold[1, 4] + 1) % 4  # a padded token: does not count
    metric = CRFAccuracy()
    metric.update_state(gold, packed)
    assert float(metric.result()) == pytest.approx(6 / 7)
    metric.reset_state()
    assert float(metric.result()) == 0.0


def test_configs_round_trip():
    for obj in (CRFLoss(name="nll"), CRFAccuracy(name="acc")):
        revived = keras.saving.deserialize_keras_object(
            json.loads(json.dumps(keras.saving.serialize_keras_object(obj)))
        )
        assert type(revived) is type(obj) and revived.name == obj.name
