"""Where the time of one LSTM training step goes, ours against Keras'.

Times, in the same run and at the benchmark's shape (batch 64, 100 steps,
input 64, units 256), the median of repeated calls of:

- the layer's forward pass, and forward + backward, for `keras.layers.LSTM`
  and `keras_seq.layers.LSTM` (fused kernel);
- the pieces of our kernel's backward pass: the loop of `dz R^T` matmuls
  alone, the gate factors computed for all steps at once, and the single
  weight-gradient matmul;
- a loop of the forward's recurrent matmuls alone: the floor any step loop
  pays.

    python benchmarks/profile_lstm_step.py [--units 256]
"""

import argparse
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import ops  # noqa: E402

import keras_seq  # noqa: E402


def median_ms(fn, *args, repeats=15):
    fn(*args)
    fn(*args)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        tf.nest.map_structure(lambda t: t.numpy(), fn(*args))
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=256)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--length", type=int, default=100)
    args = parser.parse_args()
    b, t, u, d = args.batch, args.length, args.units, 64
    x = tf.random.normal((b, t, d))

    for name, cls in [("keras.layers.LSTM", keras.layers.LSTM), ("keras_seq LSTM", keras_seq.layers.LSTM)]:
        layer = cls(u, return_sequences=True)
        layer(x)

        @tf.function
        def forward(x, layer=layer):
            return layer(x)

        @tf.function
        def forward_backward(x, layer=layer):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(tf.square(layer(x, training=True)))
            return tape.gradient(loss, layer.trainable_weights)

        print(
            f"{name:>20}: forward {median_ms(forward, x):6.1f} ms   forward+backward "
            f"{median_ms(forward_backward, x):6.1f} ms"
        )

    kernel = tf.random.normal((u, 4 * u)) / u**0.5
    h = tf.random.normal((b, u))
    seq = tf.random.normal((t, b, u))

    @tf.function
    def recurrent_matmuls(h):
        def step(carry, x_t):
            (state,) = carry
            state = ops.tanh(ops.matmul(state, kernel)[:, :u] + x_t)
            return (state,), (state,)

        return ops.scan(step, (h,), seq)[0]

    dz = tf.random.normal((b, 4 * u))
    kernel_t = tf.transpose(kernel)

    @tf.function
    def backward_matmuls(dz):
        def step(carry, x_t):
            (dh,) = carry
            dh = ops.matmul(dz, kernel_t) * x_t + dh
            return (dh,), (dh,)

        return ops.scan(step, (tf.zeros((b, u)),), seq, reverse=True)[0]

    zs = tf.random.normal((t, b, 4 * u))

    @tf.function
    def gate_factors(zs):
        zi, zf, zg, zo = ops.split(zs, 4, axis=-1)
        i, f, o, g = ops.sigmoid(zi), ops.sigmoid(zf), ops.sigmoid(zo), ops.tanh(zg)
        tc = ops.tanh(seq)
        return ops.concatenate([g * i * (1 - i), seq * f * (1 - f), i * (1 - g * g), tc * o * (1 - o)], -1), o * (
            1 - tc * tc
        )

    hs = tf.random.normal((t * b, u))
    dzs = tf.random.normal((t * b, 4 * u))
    weight_grad = tf.function(lambda a, c: ops.matmul(ops.transpose(a), c))
    print(
        f"{'pieces':>20}: recurrent matmul loop {median_ms(recurrent_matmuls, h):5.1f} ms   "
        f"backward dz R^T loop {median_ms(backward_matmuls, dz):5.1f} ms   "
        f"gate factors {median_ms(gate_factors, zs):5.1f} ms   "
        f"weight-gradient matmul {median_ms(weight_grad, hs, dzs):5.1f} ms"
    )


if __name__ == "__main__":
    main()
