"""Training the sentiment classifier: data, early stopping, resuming, atomic saving."""

import os
import time

import keras
import numpy as np
import tensorflow as tf

from keras_seq.applications._common import training_callbacks
from keras_seq.applications.sentiment.classifier import SentimentClassifier
from keras_seq.applications.sentiment.config import SentimentConfig
from keras_seq.applications.sentiment.data import load_splits
from keras_seq.applications.sentiment.model import build_sentiment_classifier

def adapt_vocabulary(texts, max_tokens):
    """`{word: count}` over the training texts, most frequent first, at most
    `max_tokens - 2` words (the padding and OOV entries are left out)."""
    vectorize = keras.layers.TextVectorization(max_tokens=max_tokens)
    data = tf.data.Dataset.from_tensor_slices(np.array(texts, dtype=object)).batch(256)
    vectorize.adapt(data)
    vocabulary = vectorize.get_vocabulary()
    ids = np.concatenate([np.asarray(batch).ravel() for batch in data.map(vectorize)])
    counts = np.bincount(ids, minlength=len(vocabulary))  # (V,)
    return {w: int(counts[i]) for i, w in enumerate(vocabulary) if i >= 2}


def make_dataset(data, batch_size, shuffle, seed):
    labels = data.labels.astype("float32")[:, None] if len(data.label_names) == 2 else data.labels
    dataset = tf.data.Dataset.from_tensor_slices((np.array(data.texts, dtype=object), labels))
    if shuffle:
        dataset = dataset.shuffle(len(data), seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def train(
    config=None,
    data="embedded",
    model_dir=os.path.join("saved_models", "sentiment"),
    epochs=10,
    time_budget=None,
    validation_split=0.2,
    patience=3,
    verbose=1,
    print_fn=print,
    callbacks=(),
    **columns,
):
    """Train a classifier on `data`, stopping early on the validation split.

    The validation split is carved from the training data (seeded), never
    from a test split. With `patience`, training stops when validation
    accuracy has not improved for that many epochs and the best epoch's
    weights are kept. Interrupted runs resume from `model_dir/backup`.

    Args:
        config: a `SentimentConfig` (its `labels` are set from the data).
        data: see `keras_seq.applications.sentiment.data.read_source`.
        model_dir, epochs, time_budget, validation_split, verbose: as usual.
        patience: epochs without improvement before stopping; 0 disables.
        columns: `text_column`, `label_column` for CSV/TSV sources.

    Returns:
        `(classifier, history)`.
    """
    config = (config or SentimentConfig()).replace()
    config.validate()
    train_data, val_data = load_splits(data, validation_split, config.seed, **columns)
    config = config.replace(labels=list(train_data.label_names))
    vocabulary = adapt_vocabulary(train_data.texts, config.max_tokens)
    print_fn(
        f"Data: {train_data.description}; {len(train_data)} training and {len(val_data)} validation texts, "
        f"labels {config.labels}, {len(vocabulary)} words "
        f"({sum(c >= config.min_count for c in vocabulary.values())} seen at least {config.min_count} times get a trainable embedding)."
    )
    model = build_sentiment_classifier(config, vocabulary)
    os.makedirs(model_dir, exist_ok=True)
    stop = [keras.callbacks.EarlyStopping("val_accuracy", patience=patience, restore_best_weights=True, mode="max")] if patience else []
    fit_callbacks = training_callbacks(model_dir, time_budget, stop + list(callbacks))
    start = time.monotonic()
    history = model.fit(
        make_dataset(train_data, config.batch_size, True, config.seed),
        validation_data=make_dataset(val_data, 256, False, config.seed),
        epochs=epochs, callbacks=fit_callbacks, verbose=verbose, shuffle=False,
    )
    history.seconds = time.monotonic() - start
    classifier = SentimentClassifier(model, config)
    classifier.save(model_dir)
    return SentimentClassifier.load(model_dir), history
