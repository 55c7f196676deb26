"""The README's first command: a small LSTM character model, trained offline.

`keras-seq quickstart` trains `Embedding -> keras_seq.layers.LSTM -> Dense`
on the Python documentation's help topics (shipped with Python, see
`keras_seq.data.pydoc_topics_text`) for a wall-clock budget, saves the model
as a `.keras` file, loads it back with `safe_mode=True` and prints text
sampled from the reloaded model.
"""

import json
import os
import time

import keras
import numpy as np
from keras import ops

from keras_seq.data.embedded import pydoc_topics_text
from keras_seq.layers.lstm import LSTM
from keras_seq.training.time_budget import TimeBudget


def build_quickstart_model(vocab_size, units=256, embedding_dim=64, seed=0):
    """`Embedding -> LSTM -> Dense` over characters, compiled."""
    keras.utils.set_random_seed(seed)
    inputs = keras.Input((None,), dtype="int32", name="chars")
    x = keras.layers.Embedding(vocab_size, embedding_dim, name="embedding")(inputs)
    x = LSTM(units, return_sequences=True, name="lstm")(x)  # (B, T, U)
    logits = keras.layers.Dense(vocab_size, name="logits")(x)  # (B, T, V)
    model = keras.Model(inputs, logits, name="quickstart_char_lstm")
    model.compile(
        optimizer=keras.optimizers.Adam(3e-3, clipnorm=1.0),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


def windows(ids, length, batch_size, seed):
    """Shuffled `(input, next-char target)` windows of `length` characters."""
    import tensorflow as tf  # data pipeline only

    count = (len(ids) - 1) // length
    x = ids[: count * length].reshape(count, length)
    y = ids[1 : count * length + 1].reshape(count, length)
    data = tf.data.Dataset.from_tensor_slices((x, y))
    return data.shuffle(count, seed=seed).batch(batch_size, drop_remainder=True)


def sample(model, vocab, prompt, length=300, temperature=0.8, seed=0):
    """Sample `length` characters after `prompt`, one step at a time.

    Runs the trained LSTM cell step by step with its state carried, so each
    new character costs one cell step, not a pass over the whole text.
    """
    index = {c: i for i, c in enumerate(vocab)}
    embedding = model.get_layer("embedding")
    cell = model.get_layer("lstm").cell
    dense = model.get_layer("logits")
    rng = np.random.default_rng(seed)
    states = cell.get_initial_state(batch_size=1)
    logits = None
    for ch in prompt or "\n":
        logits, states = _step(embedding, cell, dense, index.get(ch, 0), states)
    out = []
    for _ in range(length):
        p = ops.convert_to_numpy(ops.softmax(logits / temperature))[0].astype("float64")
        next_id = int(rng.choice(len(vocab), p=p / p.sum()))
        out.append(vocab[next_id])
        logits, states = _step(embedding, cell, dense, next_id, states)
    return "".join(out)


def _step(embedding, cell, dense, char_id, states):
    x = embedding(ops.convert_to_tensor([char_id], dtype="int32"))  # (1, E)
    h, states = cell(x, states)  # (1, U)
    return dense(h), states  # (1, V)


def run(model_dir, time_budget=60.0, seed=0, units=256, length=100, batch_size=64, verbose=1):
    """Train, save, reload and sample. Returns a dict of what happened."""
    text = pydoc_topics_text()
    vocab = sorted(set(text))
    lookup = {c: i for i, c in enumerate(vocab)}
    ids = np.fromiter((lookup[c] for c in text), dtype=np.int32, count=len(text))
    split = int(len(ids) * 0.95)
    train = windows(ids[:split], length, batch_size, seed)
    val = windows(ids[split:], length, batch_size, seed)
    print(
        f"Text: Python's help topics (pydoc_data), {len(text):,} characters, "
        f"{len(vocab)} distinct. Training an LSTM-{units} for {time_budget:.0f} s."
    )
    model = build_quickstart_model(len(vocab), units=units, seed=seed)
    budget = TimeBudget(time_budget)
    start = time.monotonic()
    model.fit(train, epochs=1000, callbacks=[budget], verbose=verbose, shuffle=False)  # windows are shuffled by the pipeline
    trained_s = time.monotonic() - start
    val_loss = float(model.evaluate(val, verbose=0))

    os.makedirs(model_dir, exist_ok=True)
    path = os.path.join(model_dir, "model.keras")
    tmp = path + ".tmp.keras"
    model.save(tmp)
    os.replace(tmp, path)  # never a half-written model
    with open(os.path.join(model_dir, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f)

    reloaded = keras.saving.load_model(path, safe_mode=True)
    prompt = "The "
    text_out = sample(reloaded, vocab, prompt, length=300, seed=seed)
    print(f"\nSample from the reloaded model ({path}):\n{prompt}{text_out}\n")
    result = {
        "val_loss": round(val_loss, 4),
        "bits_per_char": round(val_loss / np.log(2), 4),
        "train_seconds": round(trained_s, 1),
        "model": path,
    }
    print(json.dumps(result))
    return result
