"""LiteRT export (`keras_seq.export.litert`): the fused LSTM op, built-in ops only, outputs equal to the layer's."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_seq.errors import UserInputError
from keras_seq.export.litert import FUSED_LSTM, convert, convert_function, lstm_sequence, lstm_weights, op_names
from keras_seq.layers import GRU, LSTM, LSTMCell

B, T, D, U = 2, 7, 3, 5


def _layer(seed=0):
    keras.utils.set_random_seed(seed)
    layer = LSTM(U, return_sequences=True)
    layer(np.zeros((B, T, D), "float32"))
    # larger recurrent weights than the initializer's, so that the state matters from step to step
    layer.cell.recurrent_kernel.assign(layer.cell.recurrent_kernel * 3.0)
    return layer


class _Sequence(tf.Module):
    """The layer's LSTM with the initial state as an input (it does not carry over)."""

    signature = "run"

    def __init__(self, weights):
        super().__init__()
        self.weights = weights
        units = weights[1].shape[0]
        self.run = tf.function(
            self._run,
            input_signature=[
                tf.TensorSpec([B, T, D], tf.float32, name="x"),
                tf.TensorSpec([B, units], tf.float32, name="h"),
                tf.TensorSpec([B, units], tf.float32, name="c"),
            ],
        )

    def _run(self, x, h, c):
        return {"y": lstm_sequence(x, self.weights, (h, c))}


class _Streaming(tf.Module):
    """The same with a constant zero initial state: the interpreter keeps the state between calls."""

    signature = "run"

    def __init__(self, weights, steps):
        super().__init__()
        self.weights = weights
        self.run = tf.function(self._run, input_signature=[tf.TensorSpec([B, steps, D], tf.float32, name="x")])

    def _run(self, x):
        return {"y": lstm_sequence(x, self.weights, (tf.zeros([B, U]), tf.zeros([B, U])))}


def _interpreter(path):
    from ai_edge_litert.interpreter import Interpreter

    interpreter = Interpreter(model_path=str(path))
    return interpreter, interpreter.get_signature_runner("run")


def test_an_lstm_becomes_the_fused_op_and_gives_the_layers_outputs(tmp_path):
    layer = _layer()
    rng = np.random.default_rng(0)
    x, h, c = (rng.normal(size=shape).astype("float32") for shape in ((B, T, D), (B, U), (B, U)))
    expected = keras.ops.convert_to_numpy(layer(x, initial_state=[h, c]))
    ops = convert(_Sequence(lstm_weights(layer.cell)), "run", tmp_path / "lstm.tflite")
    assert ops == [FUSED_LSTM]  # one op: no loop, no Flex
    assert op_names((tmp_path / "lstm.tflite").read_bytes()) == ops
    _, run = _interpreter(tmp_path / "lstm.tflite")
    for _ in range(2):  # an initial state given as input does not carry over
        np.testing.assert_allclose(run(x=x, h=h, c=c)["y"], expected, atol=1e-5)


def test_a_constant_initial_state_carries_over_from_call_to_call(tmp_path):
    layer = _layer(1)
    x = np.random.default_rng(1).normal(size=(B, T + 1, D)).astype("float32")
    expected = keras.ops.convert_to_numpy(layer(x))  # (B, T + 1, U)
    convert(_Streaming(lstm_weights(layer.cell), 1), "run", tmp_path / "step.tflite")
    interpreter, run = _interpreter(tmp_path / "step.tflite")
    steps = np.stack([run(x=x[:, t : t + 1])["y"][:, 0] for t in range(T + 1)], axis=1)
    np.testing.assert_allclose(steps, expected, atol=1e-5)
    interpreter.reset_all_variables()  # back to the zero state
    np.testing.assert_allclose(run(x=x[:, :1])["y"][:, 0], expected[:, 0], atol=1e-5)


def test_quantized_weights_make_smaller_files_with_close_outputs(tmp_path):
    keras.utils.set_random_seed(2)
    layer = LSTM(64, return_sequences=True)
    x = np.random.default_rng(2).normal(size=(B, T, D)).astype("float32")
    h = c = np.zeros((B, 64), "float32")
    expected = keras.ops.convert_to_numpy(layer(x))
    module = _Sequence(lstm_weights(layer.cell))
    sizes = {}
    for quantize in ("none", "float16", "dynamic"):
        path = tmp_path / f"{quantize}.tflite"
        convert(module, "run", path, quantize=quantize)
        sizes[quantize] = path.stat().st_size
        _, run = _interpreter(path)
        np.testing.assert_allclose(run(x=x, h=h, c=c)["y"], expected, atol=2e-2)
    assert sizes["dynamic"] < sizes["float16"] < sizes["none"], sizes


def test_what_the_fused_op_cannot_run_is_refused_and_nothing_is_written(tmp_path):
    for cell, match in [
        (LSTMCell(4, peephole=True), "peephole"),
        (LSTMCell(4, activation="relu"), "tanh and sigmoid"),
    ]:
        cell.build((None, 3))
        with pytest.raises(UserInputError, match=match):
            lstm_weights(cell)
    module = _Sequence(lstm_weights(_layer().cell))
    with pytest.raises(UserInputError, match="unknown quantization"):
        convert(module, "run", tmp_path / "a.tflite", quantize="int4")
    with pytest.raises(UserInputError, match="no folder"):
        convert(module, "run", tmp_path / "missing" / "a.tflite")
    assert list(tmp_path.iterdir()) == []


def test_a_keras_model_with_our_gru_converts_to_a_loop_of_built_in_ops(tmp_path):
    keras.utils.set_random_seed(3)
    inputs = keras.Input((T, D))
    model = keras.Model(inputs, keras.layers.Dense(2)(GRU(U)(inputs)))
    x = np.random.default_rng(3).normal(size=(1, T, D)).astype("float32")

    def run(x):
        return {"y": model(x, training=False)}

    ops = convert_function(run, [tf.TensorSpec([1, T, D], tf.float32, name="x")], tmp_path / "gru.tflite")
    assert "WHILE" in ops and not [op for op in ops if op.startswith("Flex")], ops
    _, call = _interpreter(tmp_path / "gru.tflite")
    np.testing.assert_allclose(call(x=x)["y"], keras.ops.convert_to_numpy(model(x)), atol=1e-5)
    with pytest.raises(UserInputError, match="static shapes"):
        convert_function(run, [tf.TensorSpec([None, T, D], tf.float32, name="x")], tmp_path / "b.tflite")


def test_the_lstm_layers_of_a_keras_model_become_the_fused_op_with_right_padding_masked(tmp_path):
    keras.utils.set_random_seed(4)
    ids = keras.Input((T,), dtype="int32")
    embedded = keras.layers.Embedding(12, D)(ids)
    mask = keras.ops.not_equal(ids, 0)
    both = keras.layers.Bidirectional(LSTM(U, return_sequences=True))(embedded, mask=mask)  # backward: reversed rows
    forward = LSTM(U, return_sequences=True)(both, mask=mask)  # padding repeats the last real output
    last = LSTM(U)(forward, mask=mask)
    _, h, c = LSTM(U, return_state=True, go_backwards=True)(embedded, mask=mask)  # the cell state from the outputs
    model = keras.Model(ids, [both, forward, keras.layers.Dense(2)(last), h, c])
    for layer in model.layers:  # recurrent weights that make the state matter
        for weight in layer.weights:
            if "recurrent" in weight.path:
                weight.assign(weight * 3.0)

    def run(ids):
        both, forward, scores, h, c = model(ids, training=False)
        return {"both": both, "forward": forward, "scores": scores, "h": h, "c": c}

    ops = convert_function(
        run, [tf.TensorSpec([2, T], tf.int32, name="ids")], tmp_path / "m.tflite", variables=model.variables
    )
    assert ops.count(FUSED_LSTM) == 1 and "WHILE" not in ops and not [op for op in ops if op.startswith("Flex")], ops
    assert "REVERSE_SEQUENCE" in ops
    _, call = _interpreter(tmp_path / "m.tflite")
    rng = np.random.default_rng(4)
    for lengths in [(T, 3), (5, 1), (T, T), (0, 2)]:  # twice the same state at the start: nothing carries over
        batch = np.stack([np.pad(rng.integers(1, 12, n), (0, T - n)) for n in lengths]).astype("int32")
        got = call(ids=batch)
        for name, expected in zip(["both", "forward", "scores", "h", "c"], model(batch)):
            np.testing.assert_allclose(got[name], keras.ops.convert_to_numpy(expected), atol=1e-5, err_msg=name)
