"""The char LM on a device: our LiteRT step model against the SavedModel of
the same step and against Keras 3's own `model.export(format="litert")` of
the equivalent `keras.layers.LSTM` model, in the same run.

A char LM with the application's defaults is trained for `--train` seconds
on `--data` (tiny Shakespeare from ../shared/data when it is there, else
the embedded text). Then, for each model:

- file size, and the ops of the LiteRT models (Flex ops need the Flex
  delegate, which ai-edge-litert's interpreter lacks and microcontrollers
  cannot hold);
- latency of one step (one character in, next-character logits out),
  median over `--calls` calls after a warm-up, one thread;
- for our float32, float16 and int8-weight (`dynamic`) models: bits per
  character on the last `--chars` characters of the held-out text, stepping
  one character per call (the accuracy cost of quantizing).

Keras' model is the same network (Embedding, `keras.layers.LSTM`, Dense)
with our trained weights, one step per call with its states passed in and
out. It is tried in TensorFlow's `tf.lite.Interpreter`; neither that one
(TensorFlow 2.21's wheel) nor ai-edge-litert's links the Flex delegate its
tensor-list ops need, and the table then says that it does not run.

`--app sentiment`: the sentiment classifier with its defaults, trained on
the Yelp sentences of ../shared/data (or the embedded reviews): our LiteRT
model (ids in) in float32, float16 and int8 weights, with its accuracy on
the held-out sentences, against its SavedModel (strings in) and Keras 3's
export of the plain bidirectional `keras.layers.GRU` classifier of the
same sizes.

    python benchmarks/litert_export.py [--app char_lm|sentiment] [--train 120] [--calls 300] [--chars 2000]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.join(HERE, "..", "..", "shared", "data", "tinyshakespeare.txt")
QUIET = {"verbose": 0, "print_fn": lambda *a: None}


def _size(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(root, f)) for root, _, files in os.walk(path) for f in files)


def _median_ms(call, calls):
    for _ in range(20):  # warm-up
        call()
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def _bits_per_char(step, reset, ids):
    """Mean surprisal in bits of each next character, one character per call."""
    reset()
    total = 0.0
    logits = step(ids[0])
    for nxt in ids[1:]:
        z = logits - logits.max()
        total -= (z[nxt] - np.log(np.exp(z).sum())) / np.log(2)
        logits = step(nxt)
    return total / (len(ids) - 1)


def keras_equivalent(lm):
    """Embedding -> keras.layers.LSTM -> Dense with the char LM's weights: one step, states in and out."""
    import keras

    cell = lm.cells[0]
    ids = keras.Input((1,), batch_size=1, dtype="int32")
    h = keras.Input((cell.units,), batch_size=1)
    c = keras.Input((cell.units,), batch_size=1)
    embedding = keras.layers.Embedding(*lm.embedding.embeddings.shape)
    lstm = keras.layers.LSTM(cell.units, return_sequences=True, return_state=True)
    dense = keras.layers.Dense(lm.dense.units)
    x, h_out, c_out = lstm(embedding(ids), initial_state=[h, c])
    model = keras.Model([ids, h, c], [dense(x), h_out, c_out])
    embedding.set_weights(lm.embedding.get_weights())
    lstm.set_weights(cell.get_weights())
    dense.set_weights(lm.dense.get_weights())
    return model


def char_lm_rows(args):
    """The char LM's rows: (name, bytes, ms per step, bits/char, ops)."""
    args.data = args.data or (DEFAULT_DATA if os.path.exists(DEFAULT_DATA) else "embedded")
    from ai_edge_litert.interpreter import Interpreter

    from keras_seq.applications.char_lm import CharLMConfig, train
    from keras_seq.export.litert import op_names

    folder = tempfile.mkdtemp()
    lm, history = train(
        CharLMConfig(),
        data=args.data,
        model_dir=os.path.join(folder, "m"),
        time_budget=args.train,
        samples=False,
        **QUIET,
    )
    text = history.validation_examples.text if hasattr(history.validation_examples, "text") else None
    held_out = lm.vocabulary.encode(text[-args.chars :]) if text else lm.vocabulary.encode("To be, or not to be" * 100)
    print(
        f"char LM: {CharLMConfig().cell} {lm.cells[0].units} units, vocabulary {lm.vocabulary.size}, trained "
        f"{args.train:.0f} s on {args.data} (val_loss {history.history['val_loss'][-1]:.3f} nats/char); "
        f"{len(held_out)} held-out characters scored"
    )

    rows = []
    for quantize in ("none", "float16", "dynamic"):
        out = os.path.join(folder, f"litert-{quantize}")
        lm.export(out, format="litert", quantize=quantize)
        path = os.path.join(out, "model.tflite")
        interpreter = Interpreter(model_path=path, num_threads=1)
        runner = interpreter.get_signature_runner("step")

        def step(i, runner=runner):
            return runner(ids=np.array([i], np.int32))["logits"][0]

        ms = _median_ms(lambda: step(1), args.calls)
        bits = _bits_per_char(step, interpreter.reset_all_variables, held_out)
        with open(path, "rb") as file:
            ops = op_names(file.read())
        rows.append((f"ours, LiteRT ({quantize})", _size(path), ms, bits, ops))

    # the SavedModel of the same step (states in and out)
    module = tf.Module()
    module.model = lm.model  # its variables, saved with the function
    module.step = tf.function(
        lambda ids, h, c: lm.step(ids, [[h, c]]),
        input_signature=[tf.TensorSpec([1], tf.int32)] + [tf.TensorSpec([1, lm.cells[0].units], tf.float32)] * 2,
    )
    saved = os.path.join(folder, "saved_model")
    tf.saved_model.save(module, saved)
    served = tf.saved_model.load(saved)
    zeros = tf.zeros([1, lm.cells[0].units])
    rows.append(
        (
            "SavedModel of the step",
            _size(saved),
            _median_ms(lambda: served.step(tf.constant([1]), zeros, zeros), args.calls),
            None,
            None,
        )
    )

    # Keras' own LiteRT export of the equivalent keras.layers.LSTM model
    model = keras_equivalent(lm)
    keras_path = os.path.join(folder, "keras.tflite")
    model.export(keras_path, format="litert", verbose=False)
    with open(keras_path, "rb") as file:
        keras_ops = op_names(file.read())
    try:  # TensorFlow's interpreter; neither it (2.21's wheel) nor ai-edge-litert's links the Flex delegate
        interpreter = tf.lite.Interpreter(model_path=keras_path, num_threads=1)
        runner = interpreter.get_signature_runner()
        feed = {
            name: (np.array([[1]], np.int32) if "int" in str(d["dtype"]) else np.zeros(d["shape"], np.float32))
            for name, d in runner.get_input_details().items()
        }
        keras_ms = _median_ms(lambda: runner(**feed), args.calls)
    except RuntimeError as error:
        keras_ms = None
        print(f"Keras' LiteRT model does not run here: {str(error).splitlines()[0][:160]}")
    rows.append(("Keras 3 export(format='litert')", _size(keras_path), keras_ms, None, keras_ops))

    return rows, "bits/char"


def sentiment_rows(args):
    """The sentiment classifier's rows: (name, bytes, ms per sentence, accuracy, ops). Ours and its SavedModel
    run the same trained network; Keras' is the plain model a user would write (Embedding, bidirectional
    `keras.layers.GRU` of the same units, average pooling, Dense), untrained: its size, ops and whether it runs."""
    import keras
    from ai_edge_litert.interpreter import Interpreter

    from keras_seq.applications.sentiment import SentimentConfig, train
    from keras_seq.applications.sentiment.litert import ClassifierLiteRT
    from keras_seq.export.litert import op_names

    yelp = os.path.join(HERE, "..", "..", "shared", "data", "sentiment-sentences", "yelp_labelled.txt")
    args.data = args.data or (yelp if os.path.exists(yelp) else "embedded")
    folder = tempfile.mkdtemp()
    config = SentimentConfig()
    classifier, history = train(
        config, data=args.data, model_dir=os.path.join(folder, "m"), time_budget=args.train, **QUIET
    )
    held_out = history.validation_examples
    texts, labels = list(held_out.texts), np.asarray(held_out.labels)
    print(
        f"sentiment: {config.cell} {config.units} units per direction, trained {args.train:.0f} s on {args.data}; "
        f"{len(texts)} held-out sentences"
    )
    vectorizers = ClassifierLiteRT(classifier).vectorizers
    ids = {v.name: np.asarray(v(np.array(texts, dtype=object))) for v in vectorizers}  # (N, L) each
    rows = []
    for quantize in ("none", "float16", "dynamic"):
        out = os.path.join(folder, f"litert-{quantize}")
        classifier.export(out, format="litert", quantize=quantize)
        path = os.path.join(out, "model.tflite")
        runner = Interpreter(model_path=path, num_threads=1).get_signature_runner()

        def call(i, runner=runner):
            return runner(**{name: rows_[i : i + 1] for name, rows_ in ids.items()})["probabilities"][0]

        ms = _median_ms(lambda: call(0), args.calls)
        probabilities = np.stack([call(i) for i in range(len(texts))])
        predicted = (probabilities[:, 0] > 0.5).astype(int) if probabilities.shape[1] == 1 else probabilities.argmax(1)
        with open(path, "rb") as file:
            ops = op_names(file.read())
        rows.append((f"ours, LiteRT ({quantize})", _size(path), ms, float(np.mean(predicted == labels)), ops))

    saved = os.path.join(folder, "saved_model")
    classifier.export(saved)
    served = tf.saved_model.load(saved)
    one = tf.constant([texts[0]])
    ms = _median_ms(lambda: served.signatures["classify"](texts=one), args.calls)
    rows.append(("SavedModel, classify(texts) (vectorization inside)", _size(saved), ms, None, None))

    inputs = keras.Input((config.sequence_length,), batch_size=1, dtype="int32")
    x = keras.layers.Embedding(len(vectorizers[0].get_vocabulary()), config.embedding_dim)(inputs)
    x = keras.layers.Bidirectional(keras.layers.GRU(config.units, return_sequences=True))(x)
    plain = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(keras.layers.GlobalAveragePooling1D()(x)))
    keras_path = os.path.join(folder, "keras.tflite")
    plain.export(keras_path, format="litert", verbose=False)
    with open(keras_path, "rb") as file:
        keras_ops = op_names(file.read())
    try:
        runner = tf.lite.Interpreter(model_path=keras_path, num_threads=1).get_signature_runner()
        feed = {name: np.zeros(d["shape"], d["dtype"]) for name, d in runner.get_input_details().items()}
        keras_ms = _median_ms(lambda: runner(**feed), args.calls)
    except RuntimeError as error:
        keras_ms = None
        print(f"Keras' LiteRT model does not run here: {str(error).splitlines()[0][:160]}")
    rows.append(
        (
            "Keras 3 export(format='litert'), plain bidirectional keras.layers.GRU",
            _size(keras_path),
            keras_ms,
            None,
            keras_ops,
        )
    )
    return rows, "accuracy"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", choices=("char_lm", "sentiment"), default="char_lm")
    parser.add_argument("--train", type=float, default=120, help="seconds of training (default 120)")
    parser.add_argument("--calls", type=int, default=300, help="timed calls per model (default 300)")
    parser.add_argument("--chars", type=int, default=2000, help="held-out characters scored (default 2000)")
    parser.add_argument("--data", default=None, help="default: tiny Shakespeare or the Yelp sentences from ../shared")
    args = parser.parse_args(argv)
    rows, quality = char_lm_rows(args) if args.app == "char_lm" else sentiment_rows(args)

    ours_ms, ours_size = rows[0][2], rows[0][1]
    print(f"\n| model | file | one call | {quality} | ops |\n| --- | --- | --- | --- | --- |")
    for name, size, ms, bits, ops in rows:
        flex = [op for op in ops or [] if op.startswith("Flex")]
        ops_text = "" if ops is None else (f"{len(ops)} ops, {len(flex)} Flex" if len(ops) > 3 else ", ".join(ops))
        speed = "does not run without the Flex delegate" if ms is None else f"{ms:.3f} ms ({ms / ours_ms:.2f}x ours)"
        print(
            f"| {name} | {size / 1024:,.0f} KiB ({size / ours_size:.2f}x ours) | {speed} | "
            f"{'' if bits is None else f'{bits:.3f}'} | {ops_text} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
