import keras
import numpy as np
import pytest

from keras_seq.decoding import filter_logits, greedy_search, sample
from tests.decoding.toy_models import END, TinyLM


def test_top_k_one_equals_greedy():
    lm = TinyLM(seed=4)
    start = np.arange(4, dtype="int32")
    greedy = greedy_search(lm.step, lm.initial_state(4), start, 12, end_token=END)
    sampled = sample(lm.step, lm.initial_state(4), start, 12, end_token=END, top_k=1, temperature=1.7, seed=9)
    np.testing.assert_array_equal(sampled[0], greedy[0])
    np.testing.assert_array_equal(sampled[1], greedy[1])


def test_tiny_top_p_equals_greedy():
    lm = TinyLM(seed=5)
    start = np.arange(3, dtype="int32")
    greedy = greedy_search(lm.step, lm.initial_state(3), start, 8)[0]
    sampled = sample(lm.step, lm.initial_state(3), start, 8, top_p=1e-6, seed=1)[0]
    np.testing.assert_array_equal(sampled, greedy)


def test_same_seed_same_output_other_seed_differs():
    lm = TinyLM(seed=6, sharpness=0.5)  # flat distributions: samples vary
    start = np.zeros(8, "int32")
    a = sample(lm.step, lm.initial_state(8), start, 20, seed=11)[0]
    b = sample(lm.step, lm.initial_state(8), start, 20, seed=11)[0]
    c = sample(lm.step, lm.initial_state(8), start, 20, seed=12)[0]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_sampling_follows_the_distribution():
    logits = np.log(np.array([[0.6, 0.3, 0.1]], "float32"))
    table = np.repeat(logits, 3, axis=0)
    step = lambda tokens, state: (keras.ops.take(table, tokens, axis=0), state)  # noqa: E731
    tokens, _ = sample(step, (), np.zeros(4000, "int32"), 1, seed=3)
    freq = np.bincount(np.asarray(tokens).ravel(), minlength=3) / 4000
    np.testing.assert_allclose(freq, [0.6, 0.3, 0.1], atol=0.03)


def test_filter_logits():
    logits = np.log(np.array([[0.5, 0.25, 0.15, 0.1]], "float32"))
    kept = lambda out: np.asarray(out)[0] > -1e8  # noqa: E731
    np.testing.assert_array_equal(kept(filter_logits(logits, top_k=2)), [1, 1, 0, 0])
    np.testing.assert_array_equal(kept(filter_logits(logits, top_p=0.7)), [1, 1, 0, 0])
    np.testing.assert_array_equal(kept(filter_logits(logits, top_p=0.5)), [1, 0, 0, 0])
    np.testing.assert_array_equal(kept(filter_logits(logits, top_p=0.76)), [1, 1, 1, 0])
    np.testing.assert_array_equal(kept(filter_logits(logits)), [1, 1, 1, 1])
    np.testing.assert_allclose(np.asarray(filter_logits(logits, temperature=0.5)), logits * 2, rtol=1e-6)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"temperature": 0}, "temperature"),
        ({"temperature": -1.0}, "temperature"),
        ({"top_k": -2}, "top_k"),
        ({"top_p": 0}, "top_p"),
        ({"top_p": 1.5}, "top_p"),
    ],
)
def test_bad_arguments(kwargs, match):
    lm = TinyLM()
    with pytest.raises(ValueError, match=match):
        sample(lm.step, lm.initial_state(1), np.zeros(1, "int32"), 3, **kwargs)


def test_sampling_in_chunks_with_one_generator_equals_one_call():
    lm = TinyLM(seed=12, sharpness=0.5)
    start = np.array([0, 4, 6], "int32")
    whole, _ = sample(lm.step, lm.initial_state(3), start, 10, seed=keras.random.SeedGenerator(7))
    generator = keras.random.SeedGenerator(7)
    first, _, state = sample(lm.step, lm.initial_state(3), start, 6, seed=generator, return_state=True)
    second, _ = sample(lm.step, state, np.asarray(first)[:, -1], 4, seed=generator)
    np.testing.assert_array_equal(np.concatenate([first, second], 1), whole)
