"""Training throughput of our recurrent layers against Keras' built-ins.

A character model `Embedding(64) -> RNN(units) -> Dense(vocab)` trains on
random characters (throughput does not depend on the text) at batch 64 and
sequence length 100, one `train_on_batch` (Keras' compiled train step) per
batch. (`fit` over a `tf.data` pipeline gave step times rounded up to
multiples of about 64 ms on this machine for both models alike, which
drowned the difference; the compiled step is the same.) For each cell type and size, our layer and the Keras
layer of the same configuration train in the same run, in interleaved rounds
(ours, Keras, ours, Keras, ...), and the median step time of each is kept.
The machine's fp32 matmul rate is measured in the same run, and each model's
achieved rate (matmul FLOPs of forward + backward divided by step time) is
printed as a fraction of it.

    python benchmarks/rnn_throughput.py                # the full table
    python benchmarks/rnn_throughput.py --units 256 --cells lstm --steps 30
    python benchmarks/rnn_throughput.py --variants --units 256 --steps 30

`--variants` times LSTM options instead, each in the same run as its
peers: recurrent dropout 0.25 (ours, fused) against our plain fused LSTM
and against `keras.layers.LSTM` with the same dropout; and each LSTM
variant (layer norm, peepholes, zoneout, projection to units / 2) against
our plain LSTM.
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

import keras_seq  # noqa: E402

VOCAB, EMBED, BATCH, LENGTH = 65, 64, 64, 100
GATES = {"lstm": 4, "gru": 3, "simple_rnn": 1}
OURS = {"lstm": keras_seq.layers.LSTM, "gru": keras_seq.layers.GRU, "simple_rnn": keras_seq.layers.SimpleRNN}
KERAS = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU, "simple_rnn": keras.layers.SimpleRNN}


def matmul_rate(size=1024, chain=10, repeats=15):
    """Median fp32 matmul rate of this machine, FLOP/s.

    Each timing runs `chain` dependent `size x size` matmuls in one graph, so
    that call overhead does not count.
    """
    a = tf.random.normal((size, size)) / size**0.5
    b = tf.random.normal((size, size)) / size**0.5

    @tf.function
    def f(a, b):
        for _ in range(chain):
            a = tf.matmul(a, b)
        return a

    f(a, b).numpy()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        f(a, b).numpy()
        times.append(time.perf_counter() - start)
    return chain * 2 * size**3 / statistics.median(times)


def build(layer_class, units, seed, **options):
    keras.utils.set_random_seed(seed)
    inputs = keras.Input((LENGTH,), dtype="int32")
    x = keras.layers.Embedding(VOCAB, EMBED)(inputs)
    x = layer_class(units, return_sequences=True, **options)(x)
    outputs = keras.layers.Dense(VOCAB)(x)
    model = keras.Model(inputs, outputs)
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


def flops_per_char(cell, units):
    """Matmul FLOPs of one character, forward and backward (3x forward)."""
    g = GATES[cell]
    forward = 2 * (EMBED * g * units + units * g * units + units * VOCAB)
    return 3 * forward


def time_models(models, train, steps, rounds):
    """Median seconds per training step of each model, timed in interleaved rounds."""
    for model in models.values():  # trace and warm up
        train(model, 3)
    per_round = max(1, steps // rounds)
    times = {name: [] for name in models}
    for _ in range(rounds):
        for name, model in models.items():
            start = time.perf_counter()
            train(model, per_round)
            times[name].append((time.perf_counter() - start) / per_round)
    return {name: statistics.median(ts) for name, ts in times.items()}


def variant_rows(units, train, args):
    """The LSTM options against their peers (see the module docstring)."""
    dropout = {"recurrent_dropout": 0.25}
    comparisons = [
        (
            "recurrent_dropout=0.25",
            {"ours": (OURS["lstm"], dropout), "ours_plain": (OURS["lstm"], {}), "keras": (KERAS["lstm"], dropout)},
        ),
        ("layer_norm", {"ours": (OURS["lstm"], {"layer_norm": True}), "ours_plain": (OURS["lstm"], {})}),
        ("peephole", {"ours": (OURS["lstm"], {"peephole": True}), "ours_plain": (OURS["lstm"], {})}),
        ("zoneout=(0.1, 0.1)", {"ours": (OURS["lstm"], {"zoneout": (0.1, 0.1)}), "ours_plain": (OURS["lstm"], {})}),
        (
            f"proj_size={units // 2}",
            {"ours": (OURS["lstm"], {"proj_size": units // 2}), "ours_plain": (OURS["lstm"], {})},
        ),
    ]
    rows = []
    for name, specs in comparisons:
        models = {key: build(layer, units, args.seed, **options) for key, (layer, options) in specs.items()}
        step = time_models(models, train, args.steps, args.rounds)
        row = {
            "variant": name,
            "units": units,
            **{f"{key}_chars_per_s": round(BATCH * LENGTH / s) for key, s in step.items()},
        }
        row["vs_ours_plain"] = round(step["ours_plain"] / step["ours"], 2)
        line = (
            f"LSTM-{units} {name:<24} ours {row['ours_chars_per_s']:>7} chars/s  {row['vs_ours_plain']:.2f}x our "
            "plain fused LSTM"
        )
        if "keras" in step:
            row["vs_keras"] = round(step["keras"] / step["ours"], 2)
            line += f", {row['vs_keras']:.2f}x keras.layers.LSTM with the same option"
        print(line, flush=True)
        rows.append(row)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, nargs="+", default=[256, 512])
    parser.add_argument("--cells", nargs="+", default=["lstm", "gru", "simple_rnn"], choices=list(GATES))
    parser.add_argument("--steps", type=int, default=100, help="measured training steps per model")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds the steps are split into")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--variants", action="store_true", help="time the LSTM options instead (see above)")
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    x = rng.integers(0, VOCAB, (BATCH * 8, LENGTH)).astype("int32")
    y = rng.integers(0, VOCAB, (BATCH * 8, LENGTH)).astype("int32")
    batches = [(x[k : k + BATCH], y[k : k + BATCH]) for k in range(0, len(x), BATCH)]

    def train(model, steps):
        for k in range(steps):
            model.train_on_batch(*batches[k % len(batches)])

    if args.variants:
        rows = [row for units in args.units for row in variant_rows(units, train, args)]
        print(json.dumps({"rows": rows}))
        return

    rate = matmul_rate()
    print(f"machine fp32 matmul rate: {rate / 1e9:.1f} GFLOP/s (chains of 1024x1024 matmuls, median)")
    per_round = max(1, args.steps // args.rounds)
    rows = []
    for units in args.units:
        for cell in args.cells:
            models = {"ours": build(OURS[cell], units, args.seed), "keras": build(KERAS[cell], units, args.seed)}
            for model in models.values():  # trace and warm up
                train(model, 3)
            times = {name: [] for name in models}
            for _ in range(args.rounds):
                for name, model in models.items():
                    start = time.perf_counter()
                    train(model, per_round)
                    times[name].append((time.perf_counter() - start) / per_round)
            result = {"cell": cell, "units": units}
            for name in models:
                step = statistics.median(times[name])
                chars = BATCH * LENGTH / step
                result[f"{name}_chars_per_s"] = round(chars)
                result[f"{name}_matmul_fraction"] = round(chars * flops_per_char(cell, units) / rate, 3)
            for name in models:
                result[f"{name}_best_round_ms"] = round(min(times[name]) * 1000, 1)
            result["best_round_ratio"] = round(result["keras_best_round_ms"] / result["ours_best_round_ms"], 2)
            result["round_ms"] = {name: [round(t * 1000) for t in ts] for name, ts in times.items()}
            result["ratio"] = round(result["ours_chars_per_s"] / result["keras_chars_per_s"], 2)
            rows.append(result)
            print(
                f"{cell:>10} U={units:<4} ours {result['ours_chars_per_s']:>7} chars/s "
                f"({result['ours_matmul_fraction']:.0%} of matmul)  keras "
                f"{result['keras_chars_per_s']:>7} chars/s ({result['keras_matmul_fraction']:.0%})  "
                f"ratio {result['ratio']:.2f} (best rounds: {result['best_round_ratio']:.2f})",
                flush=True,
            )
    print(json.dumps({"matmul_gflops": round(rate / 1e9, 1), "rows": rows}))


if __name__ == "__main__":
    main()
