import numpy as np
import pytest
import tensorflow as tf

from keras_seq.decoding import greedy_search
from tests.decoding.toy_models import END, TinyLM, table_step, trap_table


def test_picks_the_argmax_and_stops_at_the_end_token():
    tokens, lengths = greedy_search(table_step(trap_table()), (), np.zeros(2, "int32"), 6, end_token=1)
    np.testing.assert_array_equal(tokens, [[2, 4, 1, 1, 1, 1]] * 2)
    np.testing.assert_array_equal(lengths, [3, 3])


def test_matches_a_python_loop_over_the_model():
    lm = TinyLM(seed=3)
    start = np.array([0, 5, 7], "int32")
    tokens, lengths = greedy_search(lm.step, lm.initial_state(3), start, 10, end_token=END)
    state, prev = lm.initial_state(3), start
    expected = []
    for _ in range(10):
        logits, state = lm.step(prev, state)
        prev = np.argmax(logits.numpy(), -1).astype("int32")
        expected.append(prev)
    expected = np.stack(expected, 1)
    for row in range(3):
        n = int(lengths[row])
        np.testing.assert_array_equal(tokens[row, :n], expected[row, :n])
        assert n == 10 or expected[row, n - 1] == END


def test_without_end_token_runs_to_max_length():
    lm = TinyLM(seed=1)
    tokens, lengths = greedy_search(lm.step, lm.initial_state(2), np.zeros(2, "int32"), 7)
    assert tuple(tokens.shape) == (2, 7)
    np.testing.assert_array_equal(lengths, [7, 7])


def test_runs_inside_tf_function_with_a_tensor_max_length():
    lm = TinyLM(seed=2)
    start = np.array([0, 3], "int32")
    eager = greedy_search(lm.step, lm.initial_state(2), start, 9, end_token=END)[0]

    @tf.function(input_signature=[tf.TensorSpec([None], tf.int32), tf.TensorSpec([], tf.int32)])
    def run(start, max_length):
        return greedy_search(lm.step, lm.initial_state(tf.shape(start)[0]), start, max_length, end_token=END)[0]

    np.testing.assert_array_equal(run(start, tf.constant(9)), eager)


def test_bad_input():
    lm = TinyLM()
    with pytest.raises(ValueError, match="max_length"):
        greedy_search(lm.step, lm.initial_state(1), np.zeros(1, "int32"), -1)
    with pytest.raises(ValueError, match="start_tokens"):
        greedy_search(lm.step, lm.initial_state(1), np.zeros((1, 1), "int32"), 3)


def test_decoding_in_chunks_with_return_state_equals_one_call():
    lm = TinyLM(seed=10)
    start = np.array([0, 4], "int32")
    whole, _ = greedy_search(lm.step, lm.initial_state(2), start, 9)
    first, _, state = greedy_search(lm.step, lm.initial_state(2), start, 4, return_state=True)
    second, _ = greedy_search(lm.step, state, np.asarray(first)[:, -1], 5)
    np.testing.assert_array_equal(np.concatenate([first, second], 1), whole)


def test_prefill_handles_prompts_of_different_lengths():
    from keras_seq.decoding import prefill

    lm = TinyLM(seed=13)
    prompts = np.array([[3, 4, 5, 6], [7, 0, 0, 0], [8, 9, 0, 0]], "int32")
    lengths = np.array([4, 1, 2], "int32")
    state, last = prefill(lm.step, lm.initial_state(3), prompts, lengths)
    np.testing.assert_array_equal(last, [6, 7, 9])
    for row in range(3):
        expected = lm.initial_state(1)
        for t in range(lengths[row] - 1):
            _, expected = lm.step(prompts[row : row + 1, t], expected)
        np.testing.assert_allclose(np.asarray(state[0])[row], np.asarray(expected[0])[0], atol=1e-6)
