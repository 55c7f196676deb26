"""The applications pass their masks explicitly: with no mask propagated
by Keras (`without_mask_propagation`, stricter than Keras' next release),
attention never looks at padding and every loss on a padded batch is the
one Keras 3.15's propagation gives."""

import keras
import numpy as np
import pytest

from keras_seq.applications.caption import build_captioner
from keras_seq.applications.sentiment import SentimentConfig, build_sentiment_classifier
from keras_seq.applications.translate import build_translator
from keras_seq.data import WordVocabulary
from tests.applications.caption.conftest import SMALL as SMALL_CAPTIONER
from tests.applications.translate.conftest import SMALL as SMALL_TRANSLATOR
from tests.layer_checks import without_mask_propagation

RNG = np.random.default_rng(0)
SOURCE = np.array([[5, 6, 7, 8, 0, 0, 0], [9, 10, 0, 0, 0, 0, 0]], "int32")  # (B, Ts), right-padded
TARGET_IN = np.array([[1, 5, 6, 7, 0], [1, 8, 0, 0, 0]], "int32")  # (B, Tt), [START] first
TARGET_OUT = np.array([[5, 6, 7, 2, 0], [8, 2, 0, 0, 0]], "int32")


def _padded(ids, extra):
    return np.pad(ids, [(0, 0), (0, extra)])


def _loss(model, x, y):
    return model.evaluate(x, y, batch_size=len(y), verbose=0, return_dict=True)["loss"]


def _both_ways(build, x, y):
    """The loss of `build()` on `(x, y)` without mask propagation, and of
    the same weights with Keras' propagation."""
    with without_mask_propagation():
        strict = build()
        strict_loss = _loss(strict, x, y)
    usual = build()
    usual.set_weights(strict.get_weights())
    return strict, strict_loss, _loss(usual, x, y)


@pytest.mark.parametrize("attention", ["bahdanau", "luong", "location"])
def test_the_translator_never_attends_to_padding(attention):
    config = SMALL_TRANSLATOR.replace(
        attention=attention, src_vocab_size=12, tgt_vocab_size=12, cell="lstm" if attention == "luong" else "gru"
    )
    with without_mask_propagation():
        model = build_translator(config)
        backbone = model.get_layer("backbone")
        encoded = backbone.encode_memory(SOURCE, training=True)
        weights = keras.ops.convert_to_numpy(backbone.decode(encoded, TARGET_IN, training=True)[1])  # (B, Tt, Ts)
        assert np.all(weights[SOURCE[:, None, :].repeat(TARGET_IN.shape[1], 1) == 0] == 0.0)  # exactly 0, training mode
        np.testing.assert_allclose(weights[0, 0].sum(), 1.0, atol=1e-5)
        # one sentence alone and with 9 padding tokens after it: the same logits
        alone = keras.ops.convert_to_numpy(model([SOURCE[:1, :4], TARGET_IN[:1, :4]]))
        padded = keras.ops.convert_to_numpy(model([_padded(SOURCE[:1, :4], 9), TARGET_IN[:1, :4]]))
        np.testing.assert_allclose(padded, alone, atol=1e-6)


def test_the_translator_loss_is_unchanged_by_padding_and_propagation():
    config = SMALL_TRANSLATOR.replace(src_vocab_size=12, tgt_vocab_size=12, encoder_layers=2)
    model, strict, usual = _both_ways(lambda: build_translator(config), [SOURCE, TARGET_IN], TARGET_OUT)
    assert strict == pytest.approx(usual, abs=1e-6)
    with without_mask_propagation():
        more = _loss(model, [_padded(SOURCE, 9), _padded(TARGET_IN, 3)], _padded(TARGET_OUT, 3))
    assert more == pytest.approx(strict, abs=1e-6)


def test_the_captioner_loss_and_penalty_are_unchanged_by_padding_and_propagation():
    vocabulary = WordVocabulary(["one", "two", "three", "four", "five", "six"])
    images = RNG.integers(0, 255, (2, 20, 50, 3)).astype("uint8")
    config = SMALL_CAPTIONER.replace(attention_penalty=0.5)
    model, strict, usual = _both_ways(lambda: build_captioner(config, vocabulary), [images, TARGET_IN], TARGET_OUT)
    assert strict == pytest.approx(usual, abs=1e-5)
    with without_mask_propagation():
        more = _loss(model, [images, _padded(TARGET_IN, 4)], _padded(TARGET_OUT, 4))
    assert more == pytest.approx(strict, abs=1e-5)


# attention (the default) and the last state (where padding would show first) by default; mean and max
# (about 6 s each) with -m slow
@pytest.mark.parametrize(
    "pooling",
    ["attention", "last", pytest.param("mean", marks=pytest.mark.slow), pytest.param("max", marks=pytest.mark.slow)],
)
def test_the_classifier_is_unchanged_by_padding_and_propagation(pooling):
    words = ["good", "bad", "movie", "not", "a", "at", "all"]
    texts = np.array(["good movie", "not a good movie at all", "bad"], dtype=object)
    labels = np.array([1, 0, 0])
    config = SentimentConfig(cell="gru", units=8, embedding_dim=8, pooling=pooling, sequence_length=8, layers=2)
    model, strict, usual = _both_ways(lambda: build_sentiment_classifier(config, words), texts, labels)
    assert strict == pytest.approx(usual, abs=1e-6)
    with without_mask_propagation():  # the same weights, 22 more padding tokens after every text
        longer = build_sentiment_classifier(config.replace(sequence_length=30), words)
        longer.set_weights(model.get_weights())
        np.testing.assert_allclose(
            keras.ops.convert_to_numpy(longer(texts)), keras.ops.convert_to_numpy(model(texts)), atol=1e-6
        )
