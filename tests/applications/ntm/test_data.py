import numpy as np
import pytest

from keras_seq.applications.ntm import NTMTaskConfig, TaskBatches, bit_errors_per_sequence, generate
from keras_seq.applications.ntm.data import CHANNELS, associative_recall, copy, pad_steps, priority_sort, repeat_copy


def rng():
    return np.random.default_rng(0)


def test_copy_answers_with_the_input_after_the_delimiter():
    x, y, w = copy(rng(), 3, 5)
    assert x.shape == (3, 11, 9) and y.shape == (3, 11, 8) and w.shape == (3, 11)
    np.testing.assert_array_equal(y[:, 6:], x[:, :5, :8])
    assert np.all(x[:, 5, 8] == 1) and x[:, :, 8].sum() == 3 and np.all(x[:, 6:] == 0)
    np.testing.assert_array_equal(w[0], [0] * 6 + [1] * 5)


def test_repeat_copy_repeats_and_marks_the_end():
    x, y, w = repeat_copy(rng(), 2, 3, 4, max_repeats=10)
    assert x.shape == (2, 3 + 1 + 12 + 1, 10) and y.shape[-1] == 9
    np.testing.assert_allclose(x[:, 3, 9], 0.4)
    for r in range(4):
        np.testing.assert_array_equal(y[:, 4 + 3 * r : 7 + 3 * r, :8], x[:, :3, :8])
    assert np.all(y[:, -1, 8] == 1) and y[:, :-1, 8].sum() == 0 and w.sum() == 2 * 13


def test_associative_recall_answers_the_item_after_the_query():
    x, y, w = associative_recall(rng(), 4, 3)
    assert x.shape == (4, 4 * 4 + 1 + 3, 8)
    items = np.stack([x[:, k * 4 + 1 : k * 4 + 4, :6] for k in range(3)], 1)  # (B, K, 3, 6)
    query = x[:, 13:16, :6]
    for b in range(4):
        k = next(k for k in range(2) if np.array_equal(items[b, k], query[b]))
        np.testing.assert_array_equal(y[b, -3:], items[b, k + 1])
    assert w.sum() == 4 * 3
    with pytest.raises(ValueError, match="at least 2 items"):
        associative_recall(rng(), 1, 1)


def test_priority_sort_orders_whole_vectors_by_priority():
    x, y, w = priority_sort(rng(), 2, items=20, keep=16)
    assert x.shape == (2, 37, 10)
    for b in range(2):
        order = np.argsort(-x[b, :20, 8])[:16]
        np.testing.assert_array_equal(y[b, 21:], x[b, order, :8])  # rows move whole, not each bit column on its own
    assert not np.array_equal(y[0, 21:], -np.sort(-x[0, :20, :8], axis=0)[:16])


def test_generate_dispatches_and_pads_to_the_bucket():
    for task, (inputs, outputs) in CHANNELS.items():
        size = 20 if task == "priority-sort" else 3
        x, y, w = pad_steps(*generate(task, rng(), 2, size))
        assert x.shape[-1] == inputs and y.shape[-1] == outputs and x.shape[1] % 8 == 0 and w.shape == x.shape[:2]
    with pytest.raises(ValueError, match="unknown task"):
        generate("sort", rng(), 1, 2)


def test_curriculum_grows_and_each_epoch_is_reproducible():
    config = NTMTaskConfig(max_size=20, curriculum=True, curriculum_steps=100, batch_size=2)
    batches = TaskBatches(config, 10, seed=3)
    assert batches.largest(0) == 1 and batches.largest(50) == 10 and batches.largest(500) == 20
    first = [x.shape for x, _, _ in batches()]
    assert batches.epoch == 1  # each start of the generator is the next epoch
    batches.epoch = 7
    late = list(batches())
    assert max(s[1] for s in first) <= 8 and max(x.shape[1] for x, _, _ in late) > 8
    batches.epoch = 7
    again = list(batches())
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(late, again))
    assert not np.array_equal(list(batches())[0][0], late[0][0])  # epoch 8: other data
    assert TaskBatches(config, 10, seed=3, full=True).largest(0) == 20
    assert TaskBatches(NTMTaskConfig(max_size=20), 1, 0).largest(0) == 20  # no curriculum by default
    assert [x.shape[0] for x, _, _ in TaskBatches(config, 2, 0, full=True, batch_size=5)()] == [5, 5]


def test_bit_errors_count_the_answer_steps_only():
    targets = np.zeros((2, 3, 2))
    logits = np.full((2, 3, 2), -1.0)
    logits[0, 0] = 1.0  # wrong, but on a step of weight 0
    logits[1, 2, 1] = 1.0  # wrong and counted
    weights = np.array([[0, 1, 1], [0, 1, 1]])
    assert bit_errors_per_sequence(logits, targets, weights) == 0.5
