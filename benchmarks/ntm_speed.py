"""Training steps per second of our NTM against a plain NTM cell.

The peer is what a user would write first: a straightforward NTM cell in
`keras.layers.RNN` (Keras' `LSTMCell` controller, one `Dense` per head
parameter, every head addressed in its own Python loop), compiled as Keras
compiles it on this machine (`jit_compile="auto"`, which leaves XLA off on
a CPU). Both train on the same copy batches (lengths 1-20, batch 32 or `--batch`,
controller 100, memory 128 x 20, one read and one write head), in the same
run, and the script prints steps/s and the ratio.

    python benchmarks/ntm_speed.py --steps 40 --seeds 3 --kinds "plain,ours,ours (XLA),step loop (XLA)"
    python benchmarks/ntm_speed.py --steps 300 --seeds 3 --batch 1   # the app's training batch

"ours" is the `NTM` layer with its sequence kernel (`fused=True`); "step
loop" is the same layer running `NTMCell` step by step (`fused=False`);
"(XLA)" compiles the whole training step with `jit_compile=True`.
"""

import argparse
import statistics
import time

import keras
import numpy as np
from keras import ops

from keras_seq.applications.ntm.data import copy
from keras_seq.layers import NTM


class PlainNTMCell(keras.layers.Layer):
    """A plain NTM step, written as the paper reads (the peer)."""

    def __init__(self, units, memory_size, memory_width, shift_range=1, **kwargs):
        super().__init__(**kwargs)
        self.units, self.n, self.m, self.s = units, memory_size, memory_width, shift_range
        self.controller = keras.layers.LSTMCell(units)
        self.heads = []
        for _ in range(2):  # read head, write head
            self.heads.append(
                {
                    "key": keras.layers.Dense(memory_width),
                    "beta": keras.layers.Dense(1),
                    "gate": keras.layers.Dense(1),
                    "shift": keras.layers.Dense(2 * shift_range + 1),
                    "gamma": keras.layers.Dense(1),
                }
            )
        self.erase = keras.layers.Dense(memory_width)
        self.add = keras.layers.Dense(memory_width)
        self.state_size = [units, units, memory_size * memory_width, memory_width, memory_size, memory_size]
        self.output_size = units + memory_width

    def build(self, input_shape):
        self.controller.build((None, input_shape[-1] + self.m))
        for head in self.heads:
            for layer in head.values():
                layer.build((None, self.units))
        self.erase.build((None, self.units))
        self.add.build((None, self.units))

    def get_initial_state(self, batch_size=None):
        one_hot = ops.one_hot(ops.zeros((batch_size,), "int32"), self.n)
        return [
            ops.zeros((batch_size, self.units)),
            ops.zeros((batch_size, self.units)),
            ops.full((batch_size, self.n * self.m), 1e-6),
            ops.zeros((batch_size, self.m)),
            one_hot,
            one_hot,
        ]

    def address(self, head, h, memory, previous):
        key = ops.tanh(head["key"](h))
        beta = ops.softplus(head["beta"](h))
        gate = ops.sigmoid(head["gate"](h))
        shift = ops.softmax(head["shift"](h))
        gamma = 1.0 + ops.softplus(head["gamma"](h))
        dot = ops.sum(memory * key[:, None, :], axis=-1)
        norms = ops.norm(memory, axis=-1) * ops.norm(key, axis=-1, keepdims=True) + 1e-8
        content = ops.softmax(beta * dot / norms)
        gated = gate * content + (1.0 - gate) * previous
        shifted = 0.0
        for i, offset in enumerate(range(-self.s, self.s + 1)):
            shifted = shifted + ops.roll(gated, offset, axis=1) * shift[:, i : i + 1]
        sharp = ops.power(shifted + 1e-8, gamma)
        return sharp / ops.sum(sharp, axis=1, keepdims=True)

    def call(self, inputs, states):
        h, c, memory, read, read_w, write_w = states
        memory = ops.reshape(memory, (-1, self.n, self.m))
        out, (h, c) = self.controller(ops.concatenate([inputs, read], -1), [h, c])
        read_w = self.address(self.heads[0], out, memory, read_w)
        write_w = self.address(self.heads[1], out, memory, write_w)
        read = ops.sum(memory * read_w[:, :, None], axis=1)
        erase = ops.sigmoid(self.erase(out))
        add = ops.tanh(self.add(out))
        memory = memory * (1.0 - write_w[:, :, None] * erase[:, None, :]) + write_w[:, :, None] * add[:, None, :]
        return ops.concatenate([out, read], -1), [
            h,
            c,
            ops.reshape(memory, (-1, self.n * self.m)),
            read,
            read_w,
            write_w,
        ]


def make_model(kind, bits=8):
    inputs = keras.Input((None, bits + 1))
    if kind == "plain":
        x = keras.layers.RNN(PlainNTMCell(100, 128, 20), return_sequences=True)(inputs)
    else:
        x = NTM(100, 128, 20, return_sequences=True, fused=not kind.startswith("step loop"))(inputs)
    model = keras.Model(inputs, keras.layers.Dense(bits)(x))
    jit = kind.endswith("(XLA)")
    model.compile(
        optimizer=keras.optimizers.Adam(1e-3, global_clipnorm=50.0),
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        jit_compile=True if jit else "auto",
    )
    return model


def batches(seed, count, batch=32):
    rng = np.random.default_rng(seed)
    return [copy(rng, batch, int(rng.integers(1, 21))) for _ in range(count)]


def steps_per_second(kind, data, seed, batch=32):
    keras.utils.set_random_seed(seed)
    model = make_model(kind)
    # one warm-up pass over every length, so compilation is not counted
    for length in range(1, 21):
        x, y, w = copy(np.random.default_rng(0), batch, length)
        model.train_on_batch(x, y, sample_weight=w)
    start = time.perf_counter()
    for x, y, w in data:
        model.train_on_batch(x, y, sample_weight=w)
    return len(data) / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--batch", type=int, default=32, help="sequences per batch (the NTM app trains with 1)")
    parser.add_argument(
        "--kinds",
        default="plain,ours,ours (XLA)",
        help="comma-separated: plain, ours, ours (XLA), step loop, step loop (XLA) (ours without its sequence kernel)",
    )
    args = parser.parse_args()
    kinds = args.kinds.split(",")
    results = {kind: [] for kind in kinds}
    for seed in range(args.seeds):
        data = batches(seed, args.steps, args.batch)
        for kind in kinds:
            results[kind].append(steps_per_second(kind, data, seed, args.batch))
            print(f"seed {seed} {kind:12s} {results[kind][-1]:6.1f} steps/s", flush=True)
    base = statistics.median(results[kinds[0]])
    print(f"\nmedian over {args.seeds} seeds, {args.steps} steps each (batch {args.batch}, copy lengths 1-20):")
    for kind in kinds:
        median = statistics.median(results[kind])
        print(f"  {kind:12s} {median:6.1f} steps/s  x{median / base:.2f} vs {kinds[0]}")


if __name__ == "__main__":
    main()
