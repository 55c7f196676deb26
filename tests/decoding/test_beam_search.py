import numpy as np
import pytest

from keras_seq.decoding import beam_search, greedy_search, length_penalty_factor
from tests.decoding.toy_models import END, TinyLM, table_step, trap_table


def test_beam_width_one_equals_greedy():
    lm = TinyLM(seed=7)
    start = np.arange(5, dtype="int32")
    greedy_tokens, greedy_lengths = greedy_search(lm.step, lm.initial_state(5), start, 12, end_token=END)
    out = beam_search(lm.step, lm.initial_state(5), start, 12, end_token=END, beam_width=1, length_penalty=0.6)
    np.testing.assert_array_equal(out["tokens"][:, 0], greedy_tokens)
    np.testing.assert_array_equal(out["lengths"][:, 0], greedy_lengths)


def test_finds_what_greedy_misses():
    step = table_step(trap_table())
    greedy_tokens, _ = greedy_search(step, (), np.zeros(1, "int32"), 4, end_token=1)
    assert list(np.asarray(greedy_tokens)[0, :3]) == [2, 4, 1]  # p = 0.5 / 6
    out = beam_search(step, (), np.zeros(1, "int32"), 4, end_token=1, beam_width=3)
    assert list(np.asarray(out["tokens"])[0, 0, :2]) == [3, 1]  # p = 0.4 * 0.9
    np.testing.assert_allclose(out["log_probs"][0, 0], np.log(0.36), atol=1e-4)


@pytest.mark.parametrize("alpha", [0.0, 0.6, 1.0])
def test_scores_are_log_probabilities_over_the_length_penalty(alpha):
    lm = TinyLM(seed=8, sharpness=1.0)
    start = np.array([0, 2], "int32")
    out = beam_search(lm.step, lm.initial_state(2), start, 6, end_token=END, beam_width=4, length_penalty=alpha)
    tokens, lengths = np.asarray(out["tokens"]), np.asarray(out["lengths"])
    for row in range(2):
        for beam in range(4):
            n = int(lengths[row, beam])
            expected = lm.log_prob(int(start[row]), tokens[row, beam], n)
            np.testing.assert_allclose(out["log_probs"][row, beam], expected, atol=1e-4)
            penalty = ((5 + n) / 6) ** alpha
            np.testing.assert_allclose(out["scores"][row, beam], expected / penalty, atol=1e-4)
        assert np.all(np.diff(np.asarray(out["scores"])[row]) <= 1e-6)  # best first


def test_length_penalty_factor():
    np.testing.assert_allclose(length_penalty_factor(np.array([1, 7]), 0.0), [1.0, 1.0])
    np.testing.assert_allclose(length_penalty_factor(np.array([1, 7]), 1.0), [1.0, 2.0])


def test_constants_give_the_same_result_as_carrying_them_in_the_state():
    lm = TinyLM(seed=9, sharpness=1.0)
    bias = np.array([[0.0] * 12, [2.0] + [0.0] * 11], "float32")  # row 1 leans to the end token

    def with_constants(tokens, state, constants):
        logits, state = lm.step(tokens, state)
        return logits + constants, state

    def with_state(tokens, state):
        logits, new = lm.step(tokens, state[:1])
        return logits + state[1], [new[0], state[1]]

    start = np.zeros(2, "int32")
    a = beam_search(with_constants, lm.initial_state(2), start, 6, end_token=END, beam_width=3, constants=bias)
    b = beam_search(with_state, lm.initial_state(2) + [bias], start, 6, end_token=END, beam_width=3)
    np.testing.assert_array_equal(a["tokens"], b["tokens"])
    np.testing.assert_allclose(a["scores"], b["scores"], atol=1e-5)
    plain = beam_search(lm.step, lm.initial_state(2), start, 6, end_token=END, beam_width=3)
    assert not np.allclose(a["scores"][1], plain["scores"][1])  # the constants mattered


def test_bad_arguments():
    lm = TinyLM()
    with pytest.raises(ValueError, match="beam_width"):
        beam_search(lm.step, lm.initial_state(1), np.zeros(1, "int32"), 3, end_token=END, beam_width=0)
    with pytest.raises(ValueError, match="end_token"):
        beam_search(lm.step, lm.initial_state(1), np.zeros(1, "int32"), 3, end_token=None)
    with pytest.raises(ValueError, match="length_penalty"):
        beam_search(lm.step, lm.initial_state(1), np.zeros(1, "int32"), 3, end_token=END, length_penalty=-1)


def _cycling_step(vocab=8):
    """A model that always wants token (previous + 1) mod 3 + 4: it loops 4 5 6 4 5 6 ...,
    with token 7 a close second and the end token 1 far behind."""
    import keras

    def step(tokens, state):
        wanted = keras.ops.mod(keras.ops.maximum(tokens - 4, 0) + 1, 3) + 4  # (N,)
        logits = keras.ops.one_hot(wanted, vocab) * 4.0 + keras.ops.one_hot(keras.ops.full_like(tokens, 7), vocab) * 3.0
        return logits, state

    return step


def _trigrams(row):
    return [tuple(row[j : j + 3]) for j in range(len(row) - 2)]


def test_no_repeat_ngram_forbids_repeating_a_trigram_and_is_off_by_default():
    start = np.full((2,), 4, "int32")
    plain = np.asarray(beam_search(_cycling_step(), (), start, 12, end_token=1, beam_width=3)["tokens"])[:, 0]
    assert len(set(_trigrams(plain[0]))) < len(_trigrams(plain[0]))  # the loop repeats itself
    out = beam_search(_cycling_step(), (), start, 12, end_token=1, beam_width=3, no_repeat_ngram=3)
    for row, length in zip(np.asarray(out["tokens"])[:, 0], np.asarray(out["lengths"])[:, 0]):
        grams = _trigrams(list(row[:length]))  # the tokens chosen (the start token is not in the buffer)
        assert len(set(grams)) == len(grams), row


def test_repeated_ngram_ban_by_hand():
    from keras_seq.decoding.beam_search import repeated_ngram_ban

    buffer = np.zeros((1, 2, 8), "int32")
    buffer[0, 0, :5] = [4, 5, 6, 4, 5]  # the next 6 would repeat "4 5 6"
    buffer[0, 1, :5] = [4, 5, 6, 7, 5]  # nothing to repeat after "7 5"
    banned = np.asarray(repeated_ngram_ban(buffer, 5, 3, 9))
    assert banned[0, 0].tolist() == [v == 6 for v in range(9)]
    assert not banned[0, 1].any()
    assert not np.asarray(repeated_ngram_ban(buffer, 2, 3, 9)).any()  # too early for any trigram


def test_bad_no_repeat_ngram():
    with pytest.raises(ValueError, match="no_repeat_ngram"):
        beam_search(_cycling_step(), (), np.zeros(1, "int32"), 5, end_token=1, no_repeat_ngram=1)
