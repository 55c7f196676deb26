import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_seq.layers import NTM, NTMCell
from tests.layer_checks import run_layer_test

RNG = np.random.default_rng(5)
X = RNG.integers(0, 2, (2, 6, 5)).astype("float32")
SMALL = dict(units=8, memory_size=6, memory_width=4)


def softplus(z):
    return np.log1p(np.exp(z))


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def np_address(p, memory, previous, m, s, eps=1e-6):
    """Graves et al.'s addressing, written out in numpy."""
    key, beta, gate = p[..., :m], softplus(p[..., m : m + 1]), sigmoid(p[..., m + 1 : m + 2])
    shift = np.exp(p[..., m + 2 : m + 2 + 2 * s + 1])
    shift /= shift.sum(-1, keepdims=True)
    gamma = 1 + softplus(p[..., m + 2 + 2 * s + 1 :])
    unit_key = key / (np.linalg.norm(key, axis=-1, keepdims=True) + eps)
    unit_rows = memory / (np.linalg.norm(memory, axis=-1, keepdims=True) + eps)
    scores = beta * np.einsum("bhm,bnm->bhn", unit_key, unit_rows)
    content = np.exp(scores - scores.max(-1, keepdims=True))
    content /= content.sum(-1, keepdims=True)
    gated = gate * content + (1 - gate) * previous
    n = memory.shape[1]
    shifted = np.zeros_like(gated)
    for i in range(n):  # circular convolution: w~(i) = sum_o w(i - o) s(o)
        for k, o in enumerate(range(-s, s + 1)):
            shifted[..., i] += gated[..., (i - o) % n] * shift[..., k]
    sharp = (shifted + eps) ** gamma
    return sharp / sharp.sum(-1, keepdims=True)


def np_step(cell, x, states):
    n, m, r, w, s = cell.memory_size, cell.memory_width, cell.read_heads, cell.write_heads, cell.shift_range
    h_prev, c_prev, memory, reads, read_w, write_w = [np.asarray(v) for v in states]
    memory = memory.reshape(-1, n, m)
    h, _ = cell.controller(np.concatenate([x, reads], -1), [h_prev, c_prev])
    h = np.clip(np.asarray(h), -cell.clip, cell.clip)
    kernel, bias = (np.asarray(v) for v in cell.interface.weights)
    p = np.clip(h @ kernel + bias, -cell.clip, cell.clip)
    hs = cell.head_size
    read_p, write_p = p[:, : r * hs].reshape(-1, r, hs), p[:, r * hs :].reshape(-1, w, hs + 2 * m)
    read_w = np_address(read_p, memory, read_w.reshape(-1, r, n), m, s)
    write_w = np_address(write_p[..., :hs], memory, write_w.reshape(-1, w, n), m, s)
    read = np.einsum("brn,bnm->brm", read_w, memory)
    erase, add = sigmoid(write_p[..., hs : hs + m]), np.tanh(write_p[..., hs + m :])
    kept = np.prod(1 - write_w[..., None] * erase[:, :, None, :], axis=1)
    memory = memory * kept + np.einsum("bwn,bwm->bnm", write_w, add)
    return np.concatenate([h, read.reshape(-1, r * m)], -1), memory, read_w, write_w


@pytest.mark.parametrize("heads", [(1, 1), (2, 2)])
def test_a_step_follows_the_equations(heads):
    cell = NTMCell(**SMALL, read_heads=heads[0], write_heads=heads[1], shift_range=1)
    cell.build((2, 5))
    states = cell.get_initial_state(batch_size=2)
    for t in range(4):  # a few steps, so that the memory holds something
        expected, memory, read_w, write_w = np_step(cell, X[:, t], states)
        output, states = cell(X[:, t], states)
        np.testing.assert_allclose(output, expected, atol=1e-5)
        np.testing.assert_allclose(np.asarray(states[2]).reshape(memory.shape), memory, atol=1e-5)
        np.testing.assert_allclose(np.asarray(states[4]).reshape(read_w.shape), read_w, atol=1e-5)
        np.testing.assert_allclose(np.asarray(states[5]).reshape(write_w.shape), write_w, atol=1e-5)
    assert np.abs(np.asarray(states[2]) - 1e-6).max() > 1e-2  # the writes changed the memory


def test_location_addressing_shifts_forward_and_sharpens():
    cell = NTMCell(**SMALL, shift_range=1)
    m = SMALL["memory_width"]
    previous = np.zeros((1, 1, 6), "float32")
    previous[0, 0, 2] = 1.0
    params = np.zeros((1, 1, cell.head_size), "float32")
    params[..., m + 1] = -30.0  # gate 0: keep the previous weighting, ignore content
    params[..., m + 2 : m + 5] = [-30.0, -30.0, 30.0]  # all the shift on +1
    params[..., -1] = 30.0  # gamma about 31: sharp
    weights = np.asarray(cell.address(params, np.ones((1, 6, m), "float32"), previous))
    assert np.argmax(weights[0, 0]) == 3 and weights[0, 0, 3] > 0.999
    params[..., m + 2 : m + 5] = [30.0, -30.0, -30.0]  # -1, wrapping around
    previous = np.roll(previous, -2, axis=-1)  # on slot 0
    weights = np.asarray(cell.address(params, np.ones((1, 6, m), "float32"), previous))
    assert np.argmax(weights[0, 0]) == 5


def test_layer_runs_the_cell_with_weightings_states_and_masking():
    layer = NTM(**SMALL, read_heads=2, return_sequences=True, return_state=True, return_weightings=True)
    outputs, reads, writes, *states = layer(X)
    assert tuple(outputs.shape) == (2, 6, 8 + 2 * 4)
    assert tuple(reads.shape) == (2, 6, 2, 6) and tuple(writes.shape) == (2, 6, 1, 6)
    np.testing.assert_allclose(np.asarray(reads).sum(-1), 1.0, atol=1e-5)
    assert [tuple(s.shape) for s in states] == [(2, 8), (2, 8), (2, 24), (2, 8), (2, 12), (2, 6)]
    # step by step through the same cell
    cell_states = layer.cell.get_initial_state(batch_size=2)
    for t in range(6):
        out, cell_states = layer.cell(X[:, t], cell_states)
        np.testing.assert_allclose(out[:, : layer.cell.output_units], outputs[:, t], atol=1e-5)
    # masked steps at the end leave every state as it was after the last real step
    mask = np.ones((2, 6), bool)
    mask[0, 4:] = False
    _, _, _, *masked = layer(X, mask=mask)
    _, _, _, *short = layer(X[:, :4])
    for a, b in zip(masked, short):
        np.testing.assert_allclose(np.asarray(a)[0], np.asarray(b)[0], atol=1e-5)
    symbolic = layer.compute_output_shape((2, 6, 5))
    assert [tuple(s) for s in symbolic[:3]] == [(2, 6, 16), (2, 6, 2, 6), (2, 6, 1, 6)]


@pytest.mark.parametrize("kwargs", [{"controller": "feedforward"}, {"fused": True}], ids=["step_loop", "fused_kernel"])
def test_extreme_inputs_give_finite_outputs_and_gradients(kwargs):
    layer = NTM(**SMALL, **kwargs, return_sequences=True)
    x = tf.constant(RNG.normal(size=(2, 12, 5)).astype("float32") * 1e4)
    with tf.GradientTape() as tape:
        out = layer(x)
        loss = tf.reduce_sum(out)
    grads = tape.gradient(loss, layer.trainable_weights)
    assert np.all(np.isfinite(out.numpy()))
    assert all(np.all(np.isfinite(tf.convert_to_tensor(g).numpy())) for g in grads)


def test_bad_arguments_name_the_problem():
    for kwargs, match in [
        ({"memory_size": 0}, "memory_size"),
        ({"memory_width": -2}, "memory_width"),
        ({"read_heads": 0}, "read_heads"),
        ({"write_heads": 1.5}, "write_heads"),
        ({"shift_range": 3}, "shift_range"),  # 7 shifts on 6 slots
        ({"controller": "gru"}, "controller"),
        ({"units": 0}, "units"),
    ]:
        with pytest.raises(ValueError, match=match):
            NTMCell(**{**SMALL, **kwargs})


@pytest.mark.parametrize("controller", ["lstm", "feedforward"])
def test_layer_checks(controller, tmp_path):  # config, JSON, .keras, a fit step, mixed_bfloat16
    run_layer_test(NTM, {**SMALL, "controller": controller, "return_sequences": True}, X, tmp_path, atol=1e-5)


def test_cell_in_a_plain_keras_rnn_round_trips(tmp_path):
    run_layer_test(
        keras.layers.RNN,
        lambda: {"cell": NTMCell(**SMALL, read_heads=2)},
        X,
        tmp_path,
        atol=1e-5,
        fit=False,
        bfloat16=False,
    )


def test_trains_under_xla():
    inputs = keras.Input((None, 5))
    model = keras.Model(inputs, keras.layers.Dense(3)(NTM(**SMALL, return_sequences=True)(inputs)))
    model.compile("adam", "mse", jit_compile=True)
    history = model.fit(X[:, :3], np.zeros((2, 3, 3)), epochs=2, verbose=0)
    assert np.all(np.isfinite(history.history["loss"])) and history.history["loss"][1] < history.history["loss"][0]


def test_saved_model_export_gives_the_same_outputs(tmp_path):
    inputs = keras.Input((None, 5))
    model = keras.Model(inputs, NTM(**SMALL, return_sequences=True)(inputs))
    expected = np.asarray(model(X))
    path = str(tmp_path / "export")
    model.export(path, verbose=False)
    reloaded = tf.saved_model.load(path)
    np.testing.assert_allclose(reloaded.serve(tf.constant(X)).numpy(), expected, atol=1e-5)


def test_fused_kernel_and_step_loop_agree_on_every_output():
    x = tf.constant(RNG.normal(size=(2, 7, 5)).astype("float32"))
    kwargs = dict(
        **SMALL, read_heads=2, return_sequences=True, return_state=True, return_weightings=True, go_backwards=True
    )
    fused, stepped = NTM(**kwargs, fused=True), NTM(**kwargs, fused=False)
    fused.build(x.shape)
    stepped.build(x.shape)
    stepped.set_weights(fused.get_weights())
    results = []
    for layer in (fused, stepped):
        with tf.GradientTape() as tape:
            outputs = layer(x)
            loss = sum(tf.reduce_sum(tf.sin(o)) for o in outputs)
        results.append((outputs, tape.gradient(loss, layer.trainable_weights)))
    for a, b in zip(results[0][0], results[1][0]):
        np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-5)
    for a, b in zip(results[0][1], results[1][1]):
        np.testing.assert_allclose(tf.convert_to_tensor(a).numpy(), tf.convert_to_tensor(b).numpy(), atol=1e-4)


def test_fused_path_is_taken_only_where_it_can_run():
    with pytest.raises(ValueError, match="fused=True"):
        NTM(**SMALL, controller="feedforward", fused=True)
    with pytest.raises(ValueError, match="fused"):
        NTM(**SMALL, fused="yes")
    with pytest.raises(ValueError, match="masked"):
        NTM(**SMALL, fused=True)(X, mask=np.ones((2, 6), bool))
    layer = NTM(**SMALL, return_sequences=True)  # "auto": a mask runs the step loop
    masked = layer(X, mask=np.ones((2, 6), bool))
    np.testing.assert_allclose(np.asarray(masked), np.asarray(layer(X)), atol=1e-5)
    assert NTM.from_config(NTM(**SMALL, fused=False).get_config()).fused is False
