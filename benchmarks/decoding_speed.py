"""Decoding speed: keras_seq.decoding (compiled) against a per-step
`model.predict` loop, in the same run.

A character model `Embedding(65, 64) -> LSTM(256) -> Dense(65)` with random
weights (speed does not depend on what the weights learned) decodes a batch
of prompts for `--length` steps:

- peer: the loop of the TensorFlow text-generation tutorials, one
  `model.predict` per step on a step model `(token, h, c) -> (logits, h,
  c)` built from `keras.layers.LSTM(return_state=True)`, argmax in NumPy;
- for reference, the same loop calling the model directly instead of
  `predict` (less overhead per step, still one Python round trip per step);
- ours: `keras_seq.decoding.greedy_search` and `beam_search(beam_width=5)`
  over a step function of the same weights (our `LSTMCell`), inside one
  `tf.function`.

Tokens per second count the generated tokens of every row (a beam-5 row
counts its best hypothesis only, as the user gets one output per row).

    python benchmarks/decoding_speed.py [--batch 64] [--length 100]
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

from keras_seq.decoding import beam_search, greedy_search  # noqa: E402
from keras_seq.layers import LSTMCell  # noqa: E402

VOCAB, EMBED, UNITS = 65, 64, 256


def tutorial_step_model(seed):
    keras.utils.set_random_seed(seed)
    token = keras.Input((1,), dtype="int32")
    h_in, c_in = keras.Input((UNITS,)), keras.Input((UNITS,))
    x = keras.layers.Embedding(VOCAB, EMBED)(token)
    x, h, c = keras.layers.LSTM(UNITS, return_state=True)(x, initial_state=[h_in, c_in])
    logits = keras.layers.Dense(VOCAB, kernel_initializer=keras.initializers.RandomNormal(stddev=0.3))(x)
    return keras.Model([token, h_in, c_in], [logits, h, c])


def tutorial_loop(model, start, length):
    """One `model.predict` per step, as the TensorFlow tutorials do."""
    batch = len(start)
    h = np.zeros((batch, UNITS), "float32")
    c = np.zeros((batch, UNITS), "float32")
    tokens = start[:, None]
    out = []
    for _ in range(length):
        logits, h, c = model.predict([tokens, h, c], verbose=0)
        tokens = np.argmax(logits, -1).astype("int32")[:, None]
        out.append(tokens[:, 0])
    return np.stack(out, 1)


def direct_call_loop(model, start, length):
    """The same loop calling the model directly (no `predict` overhead):
    shown for reference, it is not what the tutorials do."""
    batch = len(start)
    h = tf.zeros((batch, UNITS))
    c = tf.zeros((batch, UNITS))
    tokens = tf.constant(start[:, None])
    out = []
    for _ in range(length):
        logits, h, c = model([tokens, h, c])
        tokens = tf.cast(tf.argmax(logits, -1), tf.int32)[:, None]
        out.append(tokens[:, 0])
    return tf.stack(out, 1).numpy()


class OurDecoder:
    def __init__(self, peer):
        embedding, lstm, dense = (layer for layer in peer.layers if layer.weights)
        self.embedding, self.dense = embedding, dense
        self.cell = LSTMCell(UNITS)
        self.cell.build((None, EMBED))
        self.cell.set_weights(lstm.get_weights())  # same weights, same gate order

    def step(self, tokens, state):
        h, state = self.cell(self.embedding(tokens), state)
        return self.dense(h), state

    def state(self, batch):
        return [tf.zeros((batch, UNITS)), tf.zeros((batch, UNITS))]

    @tf.function
    def greedy(self, start, length):
        return greedy_search(self.step, self.state(tf.shape(start)[0]), start, length)[0]

    @tf.function
    def beam(self, start, length):
        # end token -1: never produced, so every hypothesis runs the full length
        return beam_search(self.step, self.state(tf.shape(start)[0]), start, length, end_token=-1, beam_width=5)[
            "tokens"
        ][:, 0]


def median_seconds(fn, repeats):
    fn()  # trace / warm up
    times = []
    for _ in range(repeats):
        begin = time.perf_counter()
        fn()
        times.append(time.perf_counter() - begin)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--length", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    peer = tutorial_step_model(args.seed)
    ours = OurDecoder(peer)
    start = np.random.default_rng(args.seed).integers(0, VOCAB, args.batch).astype("int32")
    length = tf.constant(args.length)

    # the same weights decode the same tokens
    same = np.array_equal(ours.greedy(start, length).numpy(), tutorial_loop(peer, start, args.length))
    tokens = args.batch * args.length
    results = {"batch": args.batch, "length": args.length, "greedy_matches_tutorial_loop": bool(same)}
    for name, fn, repeats in [
        ("tutorial_predict_loop", lambda: tutorial_loop(peer, start, args.length), max(1, args.repeats // 2)),
        ("direct_call_loop", lambda: direct_call_loop(peer, start, args.length), max(1, args.repeats // 2)),
        ("ours_greedy", lambda: ours.greedy(start, length).numpy(), args.repeats),
        ("ours_beam5", lambda: ours.beam(start, length).numpy(), args.repeats),
    ]:
        seconds = median_seconds(fn, repeats)
        results[f"{name}_tokens_per_s"] = round(tokens / seconds)
        print(f"{name:>22}: {seconds * 1000:8.1f} ms per batch, {tokens / seconds:10.0f} tokens/s", flush=True)
    base = results["tutorial_predict_loop_tokens_per_s"]
    results["greedy_speedup"] = round(results["ours_greedy_tokens_per_s"] / base, 1)
    results["beam5_speedup"] = round(results["ours_beam5_tokens_per_s"] / base, 1)
    print(
        f"speed-up over the predict loop: greedy {results['greedy_speedup']}x, beam-5 {results['beam5_speedup']}x; "
        f"same greedy tokens: {same}"
    )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
