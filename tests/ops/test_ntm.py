"""The NTM kernel's hand-written backward pass against automatic
differentiation of `NTMCell` run step by step."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_seq.layers import NTMCell
from keras_seq.ops import ntm_sequence

B, T, D = 2, 7, 3


def _loss_terms(seed, units, n, m, r, w):
    rng = np.random.default_rng(seed)
    return [
        tf.constant(rng.normal(size=shape).astype("float32"))
        for shape in [(T, B, units), (T, B, units), (T, B, r * m), (T, B, r + w, n), (B, n, m)]
    ]


@pytest.mark.parametrize(
    "heads,shift_range,clip",
    # the default run keeps two heads of each kind with clipping on, the case with the most paths through the kernel
    [pytest.param((1, 1), 1, 20.0, marks=pytest.mark.slow), ((2, 2), 2, 0.5)],
)
def test_gradients_match_autodiff_of_the_cell(heads, shift_range, clip):
    r, w = heads
    units, n, m = 6, 8, 5
    cell = NTMCell(units, n, m, read_heads=r, write_heads=w, shift_range=shift_range, clip=clip)
    cell.build((B, D))
    for variable in cell.weights:  # larger weights: clipping and sharp weightings happen
        variable.assign(variable.numpy() * 1.5)
    rng = np.random.default_rng(0)
    x = tf.constant(rng.normal(size=(T, B, D)).astype("float32"))
    h0, c0, memory0, reads0, read_w0, write_w0 = [tf.constant(s) for s in cell.get_initial_state(B)]
    memory0 = memory0 + tf.constant(rng.normal(size=(B, n * m)).astype("float32"))  # a memory that holds something
    weights0 = tf.concat([tf.reshape(read_w0, (B, r, n)), tf.reshape(write_w0, (B, w, n))], axis=1)
    controller, interface = cell.controller, cell.interface
    d_h, d_c, d_reads, d_weights, d_memory = _loss_terms(1, units, n, m, r, w)
    watched = [x, memory0]

    with tf.GradientTape() as tape:  # reference: the cell, step by step
        tape.watch(watched)
        states = [h0, c0, memory0, reads0, read_w0, write_w0]
        loss = 0.0
        for t in range(T):
            _, states = cell(x[t], states)
            h, c, _, reads, read_w, write_w = states
            weights = tf.concat([tf.reshape(read_w, (B, r, n)), tf.reshape(write_w, (B, w, n))], axis=1)
            loss += (
                tf.reduce_sum(h * d_h[t])
                + tf.reduce_sum(c * d_c[t])
                + tf.reduce_sum(reads * d_reads[t])
                + tf.reduce_sum(weights * d_weights[t])
            )
        loss += tf.reduce_sum(tf.reshape(states[2], (B, n, m)) * d_memory)
    expected = tape.gradient(loss, watched + cell.trainable_weights)

    with tf.GradientTape() as tape:
        tape.watch(watched)
        kernel = tf.identity(controller.kernel)
        hs, cs, reads, weights, memory = ntm_sequence(
            x @ kernel[:D] + controller.bias,
            (h0, c0, tf.reshape(memory0, (B, n, m)), reads0, weights0),
            kernel[D:],
            tf.identity(controller.recurrent_kernel),
            tf.identity(interface.kernel),
            tf.identity(interface.bias),
            (n, m, r, w, shift_range, clip, cell.epsilon),
        )
        loss = sum(
            tf.reduce_sum(a * b)
            for a, b in [(hs, d_h), (cs, d_c), (reads, d_reads), (weights, d_weights), (memory, d_memory)]
        )
    got = tape.gradient(loss, watched + cell.trainable_weights)

    np.testing.assert_allclose(memory.numpy().reshape(B, -1), states[2].numpy(), atol=1e-5)
    for name, a, b in zip(["x", "memory0"] + [v.path for v in cell.trainable_weights], expected, got):
        a, b = tf.convert_to_tensor(a).numpy(), tf.convert_to_tensor(b).numpy()
        assert np.abs(a).max() > 1e-3, name  # the term reaches this input at all
        np.testing.assert_allclose(b, a, atol=2e-5 * max(1.0, np.abs(a).max()), err_msg=name)


@pytest.mark.slow  # about 22 s; the default run keeps the kernel's gradient checks against autodiff of the cell
def test_kernel_trains_like_the_step_loop():
    """One optimizer step through each path leaves the same weights."""
    from keras_seq.layers import NTM

    x = np.random.default_rng(3).integers(0, 2, (4, 9, 5)).astype("float32")
    results = []
    for fused in (True, False):
        keras.utils.set_random_seed(1)
        inputs = keras.Input((None, 5))
        model = keras.Model(inputs, keras.layers.Dense(5)(NTM(8, 10, 4, return_sequences=True, fused=fused)(inputs)))
        model.compile(keras.optimizers.Adam(1e-2), keras.losses.BinaryCrossentropy(from_logits=True))
        losses = [float(model.train_on_batch(x, x)) for _ in range(3)]
        results.append((losses, [v.numpy() for v in model.weights]))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-5)
    for a, b in zip(results[0][1], results[1][1]):
        np.testing.assert_allclose(a, b, atol=1e-5)
