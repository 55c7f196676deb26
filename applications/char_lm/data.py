"""Text sources and training windows for the char LM."""

import dataclasses
import os

import numpy as np

from keras_seq.data import load_tfds, pydoc_topics_text, read_text
from keras_seq.errors import UserInputError


@dataclasses.dataclass
class Corpus:
    """Training and validation text, and where they came from."""

    train: str
    validation: str
    description: str


@dataclasses.dataclass
class Text:
    """One text and where it came from."""

    text: str
    description: str


def read_source(source="embedded", split="train"):
    """The whole text of `source` (`split` applies to `tfds:` sources), as
    a `Text`; see `load_corpus` for the sources."""
    if source == "embedded":
        return Text(pydoc_topics_text(), "embedded: Python's help topics (pydoc_data, shipped with Python)")
    if source.startswith("tfds:"):
        return Text(_tfds_text(source[len("tfds:") :], split), source)
    if os.path.isdir(source):
        paths = sorted(os.path.join(root, f) for root, _, files in os.walk(source) for f in files if f.endswith(".txt"))
        if not paths:
            raise UserInputError(f"{source} has no .txt files")
        return Text("\n".join(read_text(p) for p in paths), f"{len(paths)} .txt files under {source}")
    if os.path.exists(source):
        return Text(read_text(source), source)
    raise UserInputError(f"no such file or folder: {source} (use a path, tfds:NAME or embedded)")


def _tfds_text(name, split):
    return "\n".join(example["text"].decode("utf-8") for example in load_tfds(name, split))


def load_corpus(source="embedded", validation_split=0.1, sequence_length=100, split=None):
    """Read `source` and split it into training and validation text.

    Args:
        source: `"embedded"` (the Python documentation's help topics, shipped
            with Python), a UTF-8 `.txt` file, a folder of `.txt` files (read
            in sorted order), or `"tfds:NAME"` (e.g. `tfds:tiny_shakespeare`,
            which has its own train and validation splits).
        validation_split: the last fraction of the text held out when the
            source has no split of its own.
        sequence_length: windows need `sequence_length + 1` characters; both
            parts must hold at least one.
        split: for `tfds:` sources, the split to validate on (default
            `validation`).

    Returns:
        A `Corpus`.

    Raises:
        UserInputError: missing path, non-UTF-8 file, empty folder, empty or
            whitespace-only text, a text shorter than a window.
    """
    if not 0 < validation_split < 1:
        raise UserInputError(f"validation split must be between 0 and 1; got {validation_split}")
    if source.startswith("tfds:"):
        train = read_source(source, "train")
        validation = read_source(source, split or "validation")
    else:
        train, validation = _split(read_source(source), validation_split)
    description = train.description
    train, validation = train.text, validation.text
    if not train.strip():
        raise UserInputError(f"{description}: the text is empty or only whitespace")
    need = sequence_length + 1
    for part, text in (("training", train), ("validation", validation)):
        if len(text) < need:
            raise UserInputError(
                f"{description}: the {part} part has {len(text)} characters, fewer than one "
                f"window of {need} (sequence length {sequence_length} + 1); use more text, a "
                "shorter --sequence-length or another --validation-split"
            )
    return Corpus(train, validation, description)


def _split(text, validation_split):
    """By position: the last part is validation."""
    cut = int(len(text.text) * (1 - validation_split))
    return Text(text.text[:cut], text.description), Text(text.text[cut:], text.description)


def window_dataset(ids, sequence_length, batch_size, shuffle=True, seed=0, drop_remainder=True):
    """Independent `(input, next-char target)` windows of `sequence_length`.

    Windows do not overlap; with `shuffle` their order is reshuffled each
    epoch (seeded).
    """
    import tensorflow as tf  # data pipeline

    count = (len(ids) - 1) // sequence_length
    x = ids[: count * sequence_length].reshape(count, sequence_length)
    y = ids[1 : count * sequence_length + 1].reshape(count, sequence_length)
    data = tf.data.Dataset.from_tensor_slices((x, y))
    if shuffle:
        data = data.shuffle(count, seed=seed, reshuffle_each_iteration=True)
    return data.batch(batch_size, drop_remainder=drop_remainder).prefetch(tf.data.AUTOTUNE)


def stream_dataset(ids, sequence_length, batch_size):
    """Batches for stateful truncated backpropagation through time.

    The text is cut into `batch_size` contiguous streams; batch `k` holds
    window `k` of every stream, so row `b` of batch `k + 1` continues row
    `b` of batch `k` and a stateful model carries its state across.

    Raises:
        UserInputError: the text is too short for one window per stream.
    """
    import tensorflow as tf  # data pipeline

    stream = (len(ids) - 1) // batch_size
    windows = stream // sequence_length
    if windows < 1:
        raise UserInputError(
            f"{len(ids)} characters are too few for {batch_size} streams of one window of {sequence_length}; use a "
            "smaller --batch-size or --sequence-length"
        )
    used = windows * sequence_length
    starts = np.arange(batch_size) * stream  # (B,)
    x = np.stack([ids[s : s + used] for s in starts]).reshape(batch_size, windows, sequence_length)
    y = np.stack([ids[s + 1 : s + used + 1] for s in starts]).reshape(batch_size, windows, sequence_length)
    x, y = x.transpose(1, 0, 2), y.transpose(1, 0, 2)  # (windows, B, T)
    return tf.data.Dataset.from_tensor_slices((x, y)).prefetch(tf.data.AUTOTUNE)


def sentence_lines(text, description):
    """The non-blank lines of `text`, each a sentence.

    Raises:
        UserInputError: a text without line breaks (one sentence is not a
            corpus of sentences).
    """
    if "\n" not in text.strip():
        raise UserInputError(
            f"{description}: --unit sentence reads one sentence a line, and the text has no line breaks"
        )
    return [line for line in text.split("\n") if line.strip()]


def sentence_dataset(sentences, start_id, sequence_length, batch_size, shuffle=True, seed=0, drop_remainder=True):
    """`(inputs, targets, weights)` batches of separate sentences: each row
    is `[BEGIN]` (`start_id`) and a sentence's tokens in, its tokens and
    `[END]` out (each of `sentences` already ends with `[END]`), cut to
    `sequence_length` and right-padded with weight 0."""
    import tensorflow as tf  # data pipeline

    count = len(sentences)
    x = np.zeros((count, sequence_length), np.int32)
    y = np.zeros((count, sequence_length), np.int32)
    w = np.zeros((count, sequence_length), np.float32)
    for i, ids in enumerate(sentences):
        n = min(len(ids), sequence_length)
        x[i, 0] = start_id
        x[i, 1:n] = ids[: n - 1]
        y[i, :n] = ids[:n]
        w[i, :n] = 1.0
    data = tf.data.Dataset.from_tensor_slices((x, y, w))
    if shuffle:
        data = data.shuffle(count, seed=seed, reshuffle_each_iteration=True)
    return data.batch(batch_size, drop_remainder=drop_remainder).prefetch(tf.data.AUTOTUNE)
