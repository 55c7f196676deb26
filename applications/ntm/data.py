"""Seeded generators of the NTM's algorithmic tasks (Graves et al., 2014).

Every generator returns numpy arrays `(inputs, targets, weights)`:
`(B, T, input_bits)` floats in {0, 1} (the priority channel of sorting in
[-1, 1]), `(B, T, output_bits)` targets in {0, 1}, and `(B, T)` weights
that are 1 on the steps where an answer is expected and 0 elsewhere. The
whole batch shares one size (a length, or a number of items).
"""

import numpy as np

from keras_seq.applications.ntm.config import SIZES, TASKS


def copy(rng, batch, length, bits=8):
    """`length` random vectors, a delimiter, then the same vectors back.

    Channels: the bits, then the delimiter. `T = 2 * length + 1`.
    """
    seq = rng.integers(0, 2, (batch, length, bits)).astype("float32")  # (B, L, bits)
    steps = 2 * length + 1
    inputs = np.zeros((batch, steps, bits + 1), "float32")
    inputs[:, :length, :bits] = seq
    inputs[:, length, bits] = 1.0
    targets = np.zeros((batch, steps, bits), "float32")
    targets[:, length + 1 :] = seq
    weights = np.zeros((batch, steps), "float32")
    weights[:, length + 1 :] = 1.0
    return inputs, targets, weights


def repeat_copy(rng, batch, length, repeats, bits=8, max_repeats=10):
    """`length` vectors, a delimiter carrying the repeat count (divided by
    `max_repeats`), then the vectors `repeats` times and an end marker.

    Input channels: bits, delimiter, repeat count. Output channels: bits,
    end marker. `T = length + 1 + length * repeats + 1`.
    """
    seq = rng.integers(0, 2, (batch, length, bits)).astype("float32")  # (B, L, bits)
    answer = length * repeats + 1
    steps = length + 1 + answer
    inputs = np.zeros((batch, steps, bits + 2), "float32")
    inputs[:, :length, :bits] = seq
    inputs[:, length, bits] = 1.0
    inputs[:, length, bits + 1] = repeats / max_repeats
    targets = np.zeros((batch, steps, bits + 1), "float32")
    targets[:, length + 1 : steps - 1, :bits] = np.tile(seq, (1, repeats, 1))
    targets[:, steps - 1, bits] = 1.0
    weights = np.zeros((batch, steps), "float32")
    weights[:, length + 1 :] = 1.0
    return inputs, targets, weights


def associative_recall(rng, batch, items, bits=6, item_length=3):
    """`items` items of `item_length` vectors, each after an item flag; then
    one of them (not the last) after a query flag, a second query flag, and
    the item that followed it in the list is the answer.

    Channels: bits, item flag, query flag.
    `T = (item_length + 1) * (items + 1) + 1 + item_length`.
    """
    if items < 2:
        raise ValueError(f"associative recall needs at least 2 items; got {items}")
    block = item_length + 1
    seq = rng.integers(0, 2, (batch, items, item_length, bits)).astype("float32")  # (B, K, I, bits)
    query = rng.integers(0, items - 1, batch)  # (B,)
    steps = block * (items + 1) + 1 + item_length
    inputs = np.zeros((batch, steps, bits + 2), "float32")
    for k in range(items):
        inputs[:, k * block, bits] = 1.0
        inputs[:, k * block + 1 : (k + 1) * block, :bits] = seq[:, k]
    rows = np.arange(batch)
    start = items * block
    inputs[:, start, bits + 1] = 1.0
    inputs[:, start + 1 : start + block, :bits] = seq[rows, query]
    inputs[:, start + block, bits + 1] = 1.0
    targets = np.zeros((batch, steps, bits), "float32")
    targets[:, steps - item_length :] = seq[rows, query + 1]
    weights = np.zeros((batch, steps), "float32")
    weights[:, steps - item_length :] = 1.0
    return inputs, targets, weights


def priority_sort(rng, batch, items=20, keep=16, bits=8):
    """`items` vectors, each with a priority from U[-1, 1] on an extra
    channel, a delimiter, then the `keep` vectors of highest priority,
    highest first. Whole vectors move: the priorities order the rows.

    Channels: bits, priority, delimiter. `T = items + 1 + keep`.
    """
    if not 0 < keep <= items:
        raise ValueError(f"priority sort keeps 1..{items} vectors; got {keep}")
    seq = rng.integers(0, 2, (batch, items, bits)).astype("float32")  # (B, K, bits)
    priority = rng.uniform(-1.0, 1.0, (batch, items)).astype("float32")  # (B, K)
    order = np.argsort(-priority, axis=1)[:, :keep]  # (B, keep), highest first
    steps = items + 1 + keep
    inputs = np.zeros((batch, steps, bits + 2), "float32")
    inputs[:, :items, :bits] = seq
    inputs[:, :items, bits] = priority
    inputs[:, items, bits + 1] = 1.0
    targets = np.zeros((batch, steps, bits), "float32")
    targets[:, items + 1 :] = np.take_along_axis(seq, order[:, :, None], axis=1)
    weights = np.zeros((batch, steps), "float32")
    weights[:, items + 1 :] = 1.0
    return inputs, targets, weights


def bit_errors_per_sequence(logits, targets, weights):
    """Wrong bits per sequence, counted on the answer steps (`logits > 0`
    is a predicted 1)."""
    wrong = (np.asarray(logits) > 0) != (np.asarray(targets) > 0.5)  # (B, T, bits)
    return float(np.mean(np.sum(wrong * np.asarray(weights)[..., None], axis=(1, 2))))


# bits of each task: (input channels, output channels)
CHANNELS = {"copy": (9, 8), "repeat-copy": (10, 9), "associative-recall": (8, 6), "priority-sort": (10, 8)}
STEP_BUCKET = 8  # time steps are padded to a multiple of this: few distinct shapes, few XLA compilations
EVALUATION_BATCH = 32  # validation and evaluation draw sequences in batches of this size, whatever the training batch


def generate(task, rng, batch, size, repeats=None, max_repeats=10):
    """One batch of `task` at `size` (a length or an item count); repeat
    copy draws its repeat count in 1..`max_repeats` unless given."""
    if task == "copy":
        return copy(rng, batch, size)
    if task == "repeat-copy":
        repeats = int(rng.integers(1, max_repeats + 1)) if repeats is None else repeats
        return repeat_copy(rng, batch, size, repeats, max_repeats=max_repeats)
    if task == "associative-recall":
        return associative_recall(rng, batch, size)
    if task == "priority-sort":
        return priority_sort(rng, batch, items=size, keep=min(16, size))
    raise ValueError(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")


def pad_steps(inputs, targets, weights, multiple=STEP_BUCKET):
    """Zero steps of weight 0 appended up to a multiple of `multiple`."""
    extra = -inputs.shape[1] % multiple
    if not extra:
        return inputs, targets, weights
    pad = ((0, 0), (0, extra), (0, 0))
    return np.pad(inputs, pad), np.pad(targets, pad), np.pad(weights, pad[:2])


class TaskBatches:
    """The batches of one epoch, drawn afresh for each epoch from a seed of
    `(seed, epoch)`, so a resumed run sees the same data. With a
    curriculum the largest size grows linearly from the task's smallest to
    `config.size` over `config.curriculum_steps` steps, and each batch's
    size is drawn uniformly up to it; without one, and for validation
    (`full=True`), sizes go up to `config.size`.

    Each start of the generator is the next epoch (`epoch` is the next
    start's): `fit` reads the training stream repeated, which starts the
    generator once per epoch, and a resumed run reads a stream built
    afresh, which starts again from epoch 0 and skips the batches already
    trained on, so it sees the same data. (A callback setting the epoch at
    `on_epoch_begin` would race with the stream's prefetching.)
    `batch_size` overrides `config.batch_size` (validation uses
    `EVALUATION_BATCH`).
    """

    def __init__(self, config, batches, seed, full=False, batch_size=None):
        self.config, self.batches, self.seed, self.full = config, batches, seed, full
        self.batch_size = batch_size or config.batch_size
        self.smallest = min(SIZES[config.task][1], config.size)
        self.epoch = 0

    def largest(self, step):
        config = self.config
        if self.full or not config.curriculum:
            return config.size
        grown = self.smallest + (config.size - self.smallest) * min(1.0, step / config.curriculum_steps)
        return int(round(grown))

    def __call__(self):
        epoch = 0 if self.full else self.epoch
        if not self.full:
            self.epoch += 1
        rng = np.random.default_rng([self.seed, epoch])
        config = self.config
        for batch in range(self.batches):
            top = self.largest(epoch * self.batches + batch)
            size = config.size if config.task == "priority-sort" else int(rng.integers(self.smallest, top + 1))
            yield pad_steps(*generate(config.task, rng, self.batch_size, size, max_repeats=config.max_repeats))

    def dataset(self):
        """A `tf.data.Dataset` of `(inputs, targets, weights)` batches."""
        import tensorflow as tf  # data pipeline

        inputs, outputs = CHANNELS[self.config.task]
        spec = (
            tf.TensorSpec((None, None, inputs), tf.float32),
            tf.TensorSpec((None, None, outputs), tf.float32),
            tf.TensorSpec((None, None), tf.float32),
        )
        return tf.data.Dataset.from_generator(self, output_signature=spec).prefetch(2)
