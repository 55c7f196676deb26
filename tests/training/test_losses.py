import keras
import numpy as np
import pytest

from keras_seq.training import SmoothedSparseCrossEntropy

RNG = np.random.default_rng(0)
LOGITS = RNG.normal(size=(2, 4, 6)).astype("float32")
TARGETS = np.array([[1, 2, 3, 0], [4, 5, 0, 0]])


def masked_nll_mean(logits, targets):
    logp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    nll = -np.take_along_axis(logp, targets[..., None], -1)[..., 0]
    return nll[targets != 0].mean(), nll


@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_matches_keras_categorical_cross_entropy(smoothing):
    ours = SmoothedSparseCrossEntropy(smoothing)(TARGETS, LOGITS)
    theirs = keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=smoothing)(
        keras.ops.one_hot(TARGETS, 6), LOGITS
    )
    np.testing.assert_allclose(float(ours), float(theirs), rtol=1e-5)


def test_ignore_class_gives_the_mean_over_real_targets():
    expected, nll = masked_nll_mean(LOGITS, TARGETS)
    loss = SmoothedSparseCrossEntropy(ignore_class=0)
    np.testing.assert_allclose(float(loss(TARGETS, LOGITS)), expected, rtol=1e-5)
    # without it, padding counts
    assert abs(float(SmoothedSparseCrossEntropy()(TARGETS, LOGITS)) - nll.mean()) < 1e-5
    per_token = keras.ops.convert_to_numpy(SmoothedSparseCrossEntropy(ignore_class=0, reduction=None)(TARGETS, LOGITS))
    np.testing.assert_allclose(per_token, np.where(TARGETS != 0, nll, 0.0), rtol=1e-5)
    weighted = float(loss(TARGETS, LOGITS, sample_weight=np.array([1.0, 0.0])))
    np.testing.assert_allclose(weighted, nll[0][TARGETS[0] != 0].mean(), rtol=1e-5)


def test_config_round_trip_and_bad_arguments():
    loss = SmoothedSparseCrossEntropy(0.2, ignore_class=0)
    again = SmoothedSparseCrossEntropy.from_config(loss.get_config())
    assert (again.label_smoothing, again.ignore_class) == (0.2, 0)
    with pytest.raises(ValueError, match="label_smoothing"):
        SmoothedSparseCrossEntropy(1.0)
    with pytest.raises(ValueError, match="ignore_class"):
        SmoothedSparseCrossEntropy(ignore_class=0.5)
