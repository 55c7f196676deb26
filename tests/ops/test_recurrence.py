"""The hand-written backward passes against automatic differentiation."""

import numpy as np
import pytest
import tensorflow as tf
from keras import ops

from keras_seq.ops import gru_sequence, lstm_sequence, simple_rnn_sequence

T, B, U = 6, 3, 4


def _rand(*shape, seed=0, scale=0.5):
    return tf.constant(np.random.default_rng(seed).normal(size=shape).astype("float32") * scale)


def _mask():
    m = np.ones((T, B, 1), "float32")
    m[4:, 0] = 0  # right padding
    m[:2, 1] = 0  # left padding
    return tf.constant(m)


def _reference(kind, xp, h0, c0, kernel, bias, mask):
    """A plain loop, differentiated by TensorFlow."""
    h, c, hs, cs = h0, c0, [], []
    for t in range(T):
        m = 1.0 if mask is None else mask[t]
        if kind == "lstm":
            z = xp[t] + h @ kernel
            i, f, g, o = tf.split(z, 4, axis=-1)
            c_new = tf.sigmoid(f) * c + tf.sigmoid(i) * tf.tanh(g)
            h_new = tf.sigmoid(o) * tf.tanh(c_new)
            c = m * c_new + (1 - m) * c
        elif kind == "gru":
            xz, xr, xn = tf.split(xp[t], 3, axis=-1)
            hz, hr, hn = tf.split(h @ kernel + bias, 3, axis=-1)
            z, r = tf.sigmoid(xz + hz), tf.sigmoid(xr + hr)
            n = tf.tanh(xn + r * hn)
            h_new = z * h + (1 - z) * n
        else:
            h_new = tf.tanh(xp[t] + h @ kernel)
        h = m * h_new + (1 - m) * h
        hs.append(h)
        cs.append(c)
    return tf.stack(hs), tf.stack(cs)


@pytest.mark.parametrize("kind,gates", [("lstm", 4), ("gru", 3), ("simple_rnn", 1)])
@pytest.mark.parametrize("masked", [False, True])
def test_gradients_match_autodiff(kind, gates, masked):
    xp = _rand(T, B, gates * U, seed=1)
    h0, c0 = _rand(B, U, seed=2), _rand(B, U, seed=3)
    kernel = _rand(U, gates * U, seed=4)
    bias = _rand(gates * U, seed=5)
    mask = _mask() if masked else None
    w_h, w_c = _rand(T, B, U, seed=6), _rand(T, B, U, seed=7)
    inputs = [xp, h0, c0, kernel, bias]
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(inputs)
        ref_hs, ref_cs = _reference(kind, xp, h0, c0, kernel, bias, mask)
        if kind == "lstm":
            hs, cs = lstm_sequence(xp, h0, c0, kernel, mask)
            loss, ref_loss = (
                ops.sum(hs * w_h) + ops.sum(cs * w_c),
                tf.reduce_sum(ref_hs * w_h) + tf.reduce_sum(ref_cs * w_c),
            )
        else:
            hs = (
                gru_sequence(xp, h0, kernel, bias, mask) if kind == "gru" else simple_rnn_sequence(xp, h0, kernel, mask)
            )
            loss, ref_loss = ops.sum(hs * w_h), tf.reduce_sum(ref_hs * w_h)
    np.testing.assert_allclose(np.asarray(hs), np.asarray(ref_hs), atol=1e-6)
    grads = tape.gradient(loss, inputs)
    ref_grads = tape.gradient(ref_loss, inputs)
    for name, g, r in zip(["xp", "h0", "c0", "kernel", "bias"], grads, ref_grads):
        if r is None:
            assert g is None or not np.any(np.asarray(g)), name
            continue
        np.testing.assert_allclose(np.asarray(g), np.asarray(r), atol=1e-5, err_msg=name)
