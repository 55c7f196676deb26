"""Labelled text sources for the sentiment classifier."""

import csv
import dataclasses
import os

import numpy as np

from keras_seq.applications.examples import Examples
from keras_seq.applications.sentiment.config import INFERENCE_BATCH_SIZE
from keras_seq.data import load_tfds, read_text, seeded_split, synthetic_reviews
from keras_seq.errors import UserInputError

TEXT_NAMES = ("text", "sentence", "review", "content", "body")
LABEL_NAMES = ("label", "sentiment", "class", "target", "polarity")


@dataclasses.dataclass
class LabelledTexts(Examples):
    """Texts, integer labels and the label names they index."""

    aligned = ("texts", "labels")

    texts: list
    labels: np.ndarray
    label_names: list
    description: str


def _encode_labels(raw, description, label_names=None):
    """Map raw label strings to ids; the names sort numerically when they
    are numbers ("0" < "1" < "10"), alphabetically otherwise."""
    raw = [str(r).strip() for r in raw]
    if label_names is None:
        found = set(raw)
        try:
            label_names = sorted(found, key=float)
        except ValueError:
            label_names = sorted(found)
        if len(label_names) < 2:
            raise UserInputError(
                f"{description}: only one label ({label_names[0] if label_names else 'none'}); need at least two "
                "classes"
            )
    index = {name: i for i, name in enumerate(label_names)}
    unknown = sorted(set(raw) - set(index))
    if unknown:
        raise UserInputError(f"{description}: label {unknown[0]!r} is not in the label set {label_names}")
    return np.array([index[r] for r in raw], dtype=np.int32), list(label_names)


def _column(header, wanted, defaults, kind, description):
    """Index of a column given by name or position, or found by a usual name."""
    if wanted is not None:
        if str(wanted).lstrip("-").isdigit():
            position = int(wanted)
            width = len(header)
            if not -width <= position < width:
                raise UserInputError(f"{description}: no column {position} (it has {width})")
            return position % width
        names = [h.strip().lower() for h in header]
        if str(wanted).lower() not in names:
            raise UserInputError(f"{description}: no column named {wanted!r} (columns: {', '.join(header)})")
        return names.index(str(wanted).lower())
    names = [h.strip().lower() for h in header]
    for name in defaults:
        if name in names:
            return names.index(name)
    return None


def read_table(path, text_column=None, label_column=None, label_names=None):
    """A CSV (`,`) or TSV (`.tsv`/`.txt`: tab) file of texts and labels.

    Columns are found by the names given (or positions, 0-based), else by
    usual names (`text`/`sentence`/`review`..., `label`/`sentiment`/...),
    else the file has no header and the text is the first column and the
    label the last (the `sentence<TAB>label` convention).
    """
    delimiter = "\t" if path.endswith((".tsv", ".txt")) else ","
    try:
        with open(path, encoding="utf-8", newline="") as f:
            rows = [
                row
                for row in csv.reader(
                    f, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL if delimiter == "," else csv.QUOTE_NONE
                )
                if row
            ]
    except UnicodeDecodeError:
        raise UserInputError(f"{path} is not UTF-8 text") from None
    except OSError as error:
        raise UserInputError(f"cannot read {path}: {error.strerror}") from None
    if not rows:
        raise UserInputError(f"{path} is empty")
    header = rows[0]
    text_at = _column(header, text_column, TEXT_NAMES, "text", path)
    label_at = _column(header, label_column, LABEL_NAMES, "label", path)
    if text_at is None or label_at is None:  # no usable header: positions
        if len(header) < 2:
            raise UserInputError(f"{path}: need a text column and a label column; found {len(header)} column")
        text_at = 0 if text_at is None else text_at
        label_at = len(header) - 1 if label_at is None else label_at
    # a first row whose label appears in no other row is a header
    first_label = header[label_at].strip() if label_at < len(header) else ""
    has_header = len(rows) > 2 and all(len(r) <= label_at or r[label_at].strip() != first_label for r in rows[1:])
    body = rows[1:] if has_header else rows
    body = [r for r in body if len(r) > max(text_at, label_at)]
    if not body:
        raise UserInputError(f"{path} has no data rows")
    texts = [r[text_at].strip() for r in body]
    labels, names = _encode_labels([r[label_at] for r in body], path, label_names)
    return LabelledTexts(texts, labels, names, path)


def read_folder(path, label_names=None):
    """One sub-folder per class, one text per file (the
    `keras.utils.text_dataset_from_directory` layout)."""
    classes = sorted(d for d in os.listdir(path) if os.path.isdir(os.path.join(path, d)) and not d.startswith("."))
    if not classes:
        raise UserInputError(f"{path} has no class sub-folders (expected one folder per label)")
    texts, raw = [], []
    for name in classes:
        folder = os.path.join(path, name)
        files = sorted(
            f for f in os.listdir(folder) if os.path.isfile(os.path.join(folder, f)) and not f.startswith(".")
        )
        if not files:
            raise UserInputError(f"class folder {folder} has no files")
        for file in files:
            texts.append(read_text(os.path.join(folder, file)).strip())
            raw.append(name)
    labels, names = _encode_labels(raw, path, label_names or classes)
    return LabelledTexts(texts, labels, names, f"{len(texts)} files in {len(classes)} class folders under {path}")


def read_tfds(name, split):
    examples, info = load_tfds(name, split, with_info=True)
    names = list(info.features["label"].names)
    texts = [e["text"].decode("utf-8") for e in examples]
    labels = np.array([int(e["label"]) for e in examples], dtype=np.int32)
    return LabelledTexts(texts, labels, names, f"tfds:{name} ({split})")


def read_source(source="embedded", split="train", text_column=None, label_column=None, label_names=None, labels=None):
    """Read one source. `split` applies to `tfds:` sources only; `labels`
    is `label_names` as one comma-separated string (the `--labels` flag).

    Sources: `embedded` (4,000 generated review sentences, see
    `keras_seq.data.synthetic_reviews`), `tfds:NAME` (e.g.
    `tfds:imdb_reviews`), a CSV/TSV file, or a folder of class folders.
    """
    if labels:
        label_names = [name.strip() for name in labels.split(",") if name.strip()]
    if source == "embedded":
        texts, ids = synthetic_reviews(4000, seed=0)
        return LabelledTexts(texts, ids, ["negative", "positive"], "embedded: 4,000 generated review sentences")
    if source.startswith("tfds:"):
        return read_tfds(source[len("tfds:") :], split)
    if os.path.isdir(source):
        return read_folder(source, label_names)
    if os.path.exists(source):
        return read_table(source, text_column, label_column, label_names)
    raise UserInputError(f"no such file or folder: {source} (use a CSV/TSV file, a folder, tfds:NAME or embedded)")


def split_validation(data, fraction, seed):
    """A seeded random `(train, validation)` split."""
    kept, held_out = seeded_split(len(data), fraction, seed, data.description)
    return data.subset(kept), data.subset(held_out)


def load_splits(source="embedded", validation_split=0.2, seed=0, **columns):
    """`(train, validation)`: a seeded random split of the source (of its
    `train` split for `tfds:` sources, whose `test` split stays untouched
    for `evaluate --split test`)."""
    return split_validation(read_source(source, "train", **columns), validation_split, seed)


def adapt_vocabulary(texts, max_tokens):
    """`{word: count}` over the training texts, most frequent first, at most
    `max_tokens - 2` words (the padding and OOV entries are left out)."""
    import keras
    import tensorflow as tf  # data pipeline

    vectorize = keras.layers.TextVectorization(max_tokens=max_tokens)
    data = tf.data.Dataset.from_tensor_slices(np.array(texts, dtype=object)).batch(INFERENCE_BATCH_SIZE)
    vectorize.adapt(data)
    vocabulary = vectorize.get_vocabulary()
    ids = np.concatenate([np.asarray(batch).ravel() for batch in data.map(vectorize)])
    counts = np.bincount(ids, minlength=len(vocabulary))  # (V,)
    return {w: int(counts[i]) for i, w in enumerate(vocabulary) if i >= 2}


def make_dataset(data, batch_size, shuffle, seed):
    """`(texts, labels)` batches; labels `(B, 1)` floats for two classes."""
    import tensorflow as tf  # data pipeline

    labels = data.labels.astype("float32")[:, None] if len(data.label_names) == 2 else data.labels
    dataset = tf.data.Dataset.from_tensor_slices((np.array(data.texts, dtype=object), labels))
    if shuffle:
        dataset = dataset.shuffle(len(data), seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)
