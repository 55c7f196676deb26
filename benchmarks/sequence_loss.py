"""Cost of the masked sequence loss: ours against Keras' built-in, one run.

Forward and backward of the loss alone on logits shaped like a translation
batch (64 sentences, 15 target tokens, 8,000 classes, the last 5 tokens
padding), median of `--repeats` steps, each loss in its own `tf.function`:

- ours: `SmoothedSparseCrossEntropy(label_smoothing, ignore_class=0)`;
- peer: `keras.losses.SparseCategoricalCrossentropy(from_logits=True,
  ignore_class=0)` (no label smoothing: it has none for sparse labels).

    python benchmarks/sequence_loss.py [--smoothing 0.1]
"""

import argparse
import json
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from keras_seq.training import SmoothedSparseCrossEntropy  # noqa: E402


def step_ms(loss, labels, logits, repeats):
    @tf.function
    def step():
        with tf.GradientTape() as tape:
            value = loss(labels, logits)
        return value, tape.gradient(value, logits)

    step()  # trace
    times = []
    for _ in range(repeats):
        begin = time.perf_counter()
        value, grad = step()
        grad.numpy()
        times.append((time.perf_counter() - begin) * 1000)
    return statistics.median(times), float(value)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=15)
    parser.add_argument("--classes", type=int, default=8000)
    parser.add_argument("--smoothing", type=float, default=0.0)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    logits = tf.Variable(rng.normal(size=(args.batch, args.steps, args.classes)).astype("float32"))
    labels = rng.integers(1, args.classes, (args.batch, args.steps)).astype("int32")
    labels[:, -5:] = 0  # padding
    labels = tf.constant(labels)
    ours = SmoothedSparseCrossEntropy(args.smoothing, ignore_class=0)
    peer = keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0)
    results = {"shape": [args.batch, args.steps, args.classes], "smoothing": args.smoothing}
    for name, loss in (("ours", ours), ("keras", peer), ("ours", ours), ("keras", peer)):  # twice, interleaved
        ms, value = step_ms(loss, labels, logits, args.repeats)
        results.setdefault(f"{name}_ms", []).append(round(ms, 2))
        results[f"{name}_loss"] = round(value, 5)
    results["ours_to_keras_time_ratio"] = round(min(results["ours_ms"]) / min(results["keras_ms"]), 2)
    print(
        f"loss forward+backward, median ms: ours {results['ours_ms']}, keras {results['keras_ms']}; ratio ours/keras "
        f"{results['ours_to_keras_time_ratio']}"
    )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
