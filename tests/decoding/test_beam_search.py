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
