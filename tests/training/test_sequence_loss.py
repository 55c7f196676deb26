import keras
import numpy as np
import pytest

from keras_seq.training import SequenceLoss, sequence_loss

B, T, V = 3, 5, 7
RNG = np.random.default_rng(0)
LOGITS = RNG.normal(size=(B, T, V)).astype("float32")
TARGETS = RNG.integers(1, V, size=(B, T)).astype("int32")
TARGETS[0, 3:] = 0  # a ragged batch: 3, 5 and 1 real tokens
TARGETS[2, 1:] = 0
WEIGHTS = (TARGETS != 0).astype("float32")


def _token_losses(smoothing=0.0):
    """By hand: -sum_k q_k log p_k, q = (1 - s) one-hot + s / V."""
    log_p = LOGITS - np.log(np.exp(LOGITS).sum(-1, keepdims=True))  # (B, T, V)
    q = np.full((B, T, V), smoothing / V)
    q[np.arange(B)[:, None], np.arange(T)[None, :], TARGETS] += 1.0 - smoothing
    return -(q * log_p).sum(-1)  # (B, T)


@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_the_reductions_against_a_hand_computed_loss(smoothing):
    ce = _token_losses(smoothing) * WEIGHTS
    expected = {
        (True, True, False, False): ce.sum() / WEIGHTS.sum(),  # the mean over the 9 real tokens
        (True, False, False, False): ce.sum(1) / WEIGHTS.sum(1),  # (B,): each sequence's mean
        (False, True, False, False): ce.sum(0) / np.maximum(WEIGHTS.sum(0), 1),  # (T,); no zero column here
        (False, False, True, True): ce.sum() / np.count_nonzero(WEIGHTS),
        (False, False, True, False): ce.sum(1) / np.count_nonzero(WEIGHTS, axis=1),
        (False, False, False, False): ce,
    }
    for (avg_t, avg_b, sum_t, sum_b), want in expected.items():
        got = sequence_loss(LOGITS, TARGETS, WEIGHTS, avg_t, avg_b, sum_t, sum_b, label_smoothing=smoothing)
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-5, atol=1e-6)
    # not the mean over every position, padding included (the mistake of averaging by B * T)
    assert abs(float(sequence_loss(LOGITS, TARGETS, WEIGHTS)) - ce.sum() / (B * T)) > 0.1


def test_a_sequence_without_tokens_gives_zero_not_nan():
    weights = WEIGHTS.copy()
    weights[1] = 0.0
    per_sequence = np.asarray(sequence_loss(LOGITS, TARGETS, weights, average_across_batch=False))
    assert per_sequence[1] == 0.0 and np.isfinite(per_sequence).all()
    assert float(sequence_loss(LOGITS, TARGETS, np.zeros_like(WEIGHTS))) == 0.0


def test_the_loss_class_matches_the_function_and_weights_sequences():
    loss = SequenceLoss(ignore_class=0, label_smoothing=0.1)
    np.testing.assert_allclose(
        float(loss(TARGETS, LOGITS)), float(sequence_loss(LOGITS, TARGETS, WEIGHTS, label_smoothing=0.1)), rtol=1e-6
    )
    per_sequence = np.array([1.0, 0.0, 2.0], "float32")
    weighted = float(loss(TARGETS, LOGITS, sample_weight=per_sequence))
    expected = float(sequence_loss(LOGITS, TARGETS, WEIGHTS * per_sequence[:, None], label_smoothing=0.1))
    np.testing.assert_allclose(weighted, expected, rtol=1e-6)
    again = SequenceLoss.from_config(loss.get_config())
    assert again.get_config() == loss.get_config()
    assert (
        keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(loss)).get_config()
        == loss.get_config()
    )


def test_in_compile_and_fit_on_padded_targets(tmp_path):
    keras.utils.set_random_seed(0)
    inputs = keras.Input((T,), dtype="int32")
    hidden = keras.layers.Embedding(V, 8)(inputs)
    model = keras.Model(inputs, keras.layers.Dense(V)(hidden))
    model.compile(keras.optimizers.Adam(0.05), SequenceLoss())
    history = model.fit(TARGETS, TARGETS, epochs=20, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0] * 0.3  # learns the identity on real tokens
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras", safe_mode=True)
    assert loaded.loss.get_config() == model.loss.get_config()


def test_bad_arguments():
    with pytest.raises(ValueError, match="cannot both"):
        sequence_loss(LOGITS, TARGETS, WEIGHTS, average_across_timesteps=True, sum_over_timesteps=True)
    with pytest.raises(ValueError, match="shapes"):
        sequence_loss(LOGITS[0], TARGETS, WEIGHTS)
    with pytest.raises(ValueError, match="label_smoothing"):
        SequenceLoss(label_smoothing=1.0)
    with pytest.raises(ValueError, match="ignore_class"):
        SequenceLoss(ignore_class=0.5)
