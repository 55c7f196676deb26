"""The CRF layer: the shared layer checks, a BiLSTM-CRF that learns a toy
tagging task through `compile`/`fit`, saves and reloads with its loss and
metric, decodes inside an exported SavedModel, and respects masks."""

import keras
import numpy as np
import pytest

from keras_seq.layers import CRF, LSTM, CRFDecode, PaddingMask
from keras_seq.training import CRFAccuracy, CRFLoss
from tests.layer_checks import run_layer_test, without_mask_propagation

TAGS = ["O", "B-NUM", "I-NUM"]


def _emissions(seed=0, shape=(4, 6, 3)):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def test_layer_checks(tmp_path):
    mask = np.arange(6)[None, :] < np.array([[6], [3], [1], [5]])
    kwargs = {"num_tags": 3, "transitions_initializer": "glorot_uniform"}
    run_layer_test(CRF, kwargs, (_emissions(), mask), tmp_path, bfloat16=False)
    run_layer_test(CRF, {"num_tags": 3, "tags": TAGS, "scheme": "iob2"}, _emissions(1), tmp_path, bfloat16=False)


def test_mixed_precision_scores_in_float32():
    keras.config.set_dtype_policy("mixed_bfloat16")
    try:  # the forward algorithm's sums stay in float32, as a softmax output does under mixed precision
        packed = CRF(3)(keras.ops.cast(_emissions(), "bfloat16"))
    finally:
        keras.config.set_dtype_policy("float32")
    assert keras.backend.standardize_dtype(packed.dtype) == "float32" and np.all(np.isfinite(np.asarray(packed)))


def test_decode_layer_round_trips_and_ranks(tmp_path):
    packed = CRF(3)(_emissions(2))
    tags, scores = CRFDecode(top_k=3)(packed)
    assert tags.shape == (4, 3, 6) and scores.shape == (4, 3)
    assert np.all(np.diff(np.asarray(scores), axis=1) <= 0)  # best first
    clone = CRFDecode.from_config(CRFDecode(top_k=3).get_config())
    np.testing.assert_array_equal(np.asarray(clone(packed)[0]), np.asarray(tags))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"num_tags": 0}, "num_tags"),
        ({"num_tags": 3, "scheme": "iob2"}, "needs the tag names"),
        ({"num_tags": 2, "tags": TAGS}, "names 3 tags"),
        ({"num_tags": 3, "tags": TAGS, "scheme": "bilou"}, "scheme must be one of"),
        ({"num_tags": 3, "tags": ["O", "X", "Y"], "scheme": "iob2"}, "not a IOB2 tag"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        CRF(**kwargs)


def test_bad_shapes():
    with pytest.raises(ValueError, match="emissions"):
        CRF(4)(_emissions())
    with pytest.raises(ValueError, match="mask"):
        CRF(3)(_emissions(), mask=np.ones((4, 5), bool))


def _numbers_task(count, seed):
    """Words 1-9 are numbers, 10-19 are not; a run of numbers is one NUM
    entity (B- then I-). Ids padded with 0 to length 8."""
    rng = np.random.default_rng(seed)
    ids, tags = np.zeros((count, 8), "int32"), np.zeros((count, 8), "int32")
    for row in range(count):
        length = rng.integers(2, 9)
        numbers = rng.random(length) < 0.4
        ids[row, :length] = np.where(numbers, rng.integers(1, 10, length), rng.integers(10, 20, length))
        for t in range(length):
            tags[row, t] = 0 if not numbers[t] else (2 if t and numbers[t - 1] else 1)
    return ids, tags


def _tagger(scheme=None):
    ids = keras.Input((None,), dtype="int32")
    mask = PaddingMask()(ids)
    x = keras.layers.Embedding(20, 8)(ids)
    x = keras.layers.Bidirectional(LSTM(8, return_sequences=True))(x, mask=mask)
    outputs = CRF(3, tags=TAGS, scheme=scheme, name="crf")(keras.layers.Dense(3)(x), mask=mask)
    model = keras.Model(ids, outputs)
    model.compile(keras.optimizers.Adam(0.05), loss=CRFLoss(), metrics=[CRFAccuracy()])
    return model


@pytest.fixture(scope="module")
def trained():
    keras.utils.set_random_seed(0)
    model = _tagger(scheme="iob2")
    ids, tags = _numbers_task(400, 0)
    history = model.fit(ids, tags, batch_size=32, epochs=8, verbose=0)
    return model, history


def test_a_bilstm_crf_learns_to_tag(trained):
    model, history = trained
    assert history.history["loss"][-1] < 0.2 * history.history["loss"][0]
    ids, tags = _numbers_task(200, 1)
    result = model.evaluate(ids, tags, verbose=0, return_dict=True)
    assert result["accuracy"] > 0.97, result
    decoded, _ = model.get_layer("crf").viterbi_decode(model.predict(ids, verbose=0))
    real = ids != 0
    assert np.mean(np.asarray(decoded)[real] == tags[real]) > 0.97
    assert not np.asarray(decoded)[~real].any()  # padding decodes to 0


def test_save_load_keeps_loss_metric_and_outputs(trained, tmp_path):
    model, _ = trained
    ids, tags = _numbers_task(64, 2)
    path = str(tmp_path / "tagger.keras")
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_allclose(loaded.predict(ids, verbose=0), model.predict(ids, verbose=0), atol=1e-6)
    before = model.evaluate(ids, tags, verbose=0, return_dict=True)
    after = loaded.evaluate(ids, tags, verbose=0, return_dict=True)
    assert after["loss"] == pytest.approx(before["loss"], abs=1e-5)  # a small difference of two large sums
    assert after["accuracy"] == pytest.approx(before["accuracy"])
    loaded.fit(ids, tags, epochs=1, verbose=0)  # trains on without a rebuild


def test_padding_changes_nothing(trained):
    model, _ = trained
    ids, tags = _numbers_task(16, 3)
    wider = np.pad(ids, ((0, 0), (0, 9)))
    crf = model.get_layer("crf")
    narrow_tags, narrow_scores = crf.viterbi_decode(model.predict(ids, verbose=0))
    wide_tags, wide_scores = crf.viterbi_decode(model.predict(wider, verbose=0))
    np.testing.assert_array_equal(np.asarray(wide_tags)[:, :8], np.asarray(narrow_tags))
    np.testing.assert_allclose(np.asarray(wide_scores), np.asarray(narrow_scores), rtol=1e-5)
    loss = CRFLoss()
    np.testing.assert_allclose(
        float(loss(np.pad(tags, ((0, 0), (0, 9))), model(wider))), float(loss(tags, model(ids))), rtol=1e-5
    )


def test_the_mask_is_explicit(trained):
    model, _ = trained
    ids, _ = _numbers_task(16, 4)
    expected = model.predict(ids, verbose=0)
    with without_mask_propagation():
        fresh = _tagger(scheme="iob2")
        fresh.set_weights(model.get_weights())
        np.testing.assert_allclose(fresh.predict(ids, verbose=0), expected, atol=1e-5)


def test_decoding_inside_an_exported_savedmodel(trained, tmp_path):
    import tensorflow as tf

    model, _ = trained
    ids, _ = _numbers_task(8, 5)
    decoder = keras.Model(model.input, CRFDecode()(model.output))
    expected_tags, expected_scores = decoder.predict(ids, verbose=0)
    decoder.export(str(tmp_path / "export"), verbose=False)
    served = tf.saved_model.load(str(tmp_path / "export"))
    tags, scores = served.serve(tf.constant(ids))
    np.testing.assert_array_equal(tags.numpy(), expected_tags)
    np.testing.assert_allclose(scores.numpy(), expected_scores, rtol=1e-5)
