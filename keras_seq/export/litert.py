"""LiteRT (TensorFlow Lite) export with built-in ops only: no Flex
delegate, and each LSTM as the fused `UNIDIRECTIONAL_SEQUENCE_LSTM` op.

The TFLite converter replaces a function whose `api_implements` attribute
starts with `lstm_` by the fused op when the function takes exactly
`(inputs, h0, c0, kernel, recurrent_kernel, bias)` with static shapes,
carries a `time_major` attribute, returns five results and its callers use
only the first two (the last output and the sequence). `lstm_sequence` here
is such a function; its body (the same LSTM in built-in ops) is what a
model keeps where the converter does not fuse.

What the fused op does differently from `keras_seq.layers.LSTM`:
- it clips the cell state to [-10, 10] (no clipping in Keras): a model whose
  cell state grows past 10 gives other outputs;
- an initial state that is a constant becomes a variable tensor of the
  interpreter, which each call updates: the state carries over from one
  call to the next (what a model that runs one step per call wants;
  `interpreter.reset_all_variables()` starts again from zeros). A state
  computed from the inputs does not carry over.
"""

import contextlib
import io
import os
import re
import tempfile

import numpy as np
import tensorflow as tf

from keras_seq.errors import UserInputError
from keras_seq.export.atomic import atomic_file

FUSED_LSTM = "UNIDIRECTIONAL_SEQUENCE_LSTM"
QUANTIZATIONS = ("none", "float16", "dynamic")


def _lstm_steps(inputs, h0, c0, kernel, recurrent_kernel, bias):
    """The LSTM over the static number of steps of `inputs` (B, T, D), in
    built-in ops; Keras' gate order (input, forget, cell, output).
    Returns `(last output, outputs (B, T, U), h, c, 0)`, the five results
    the converter's contract names."""
    projected = tf.einsum("btd,dg->btg", inputs, kernel) + bias  # (B, T, 4U)
    h, c = h0, c0
    outputs = []
    for t in range(inputs.shape[1]):
        z = projected[:, t] + tf.matmul(h, recurrent_kernel)  # (B, 4U)
        i, f, g, o = tf.split(z, 4, axis=-1)  # each (B, U)
        c = tf.sigmoid(f) * c + tf.sigmoid(i) * tf.tanh(g)
        h = tf.sigmoid(o) * tf.tanh(c)
        outputs.append(h)
    return h, tf.stack(outputs, axis=1), h, c, tf.constant(0.0)  # ..., (B, T, U), ...


_fusable_lstm = tf.function(
    _lstm_steps,
    autograph=False,
    experimental_attributes={"api_implements": "lstm_keras_seq", "time_major": False, "go_backwards": False},
)


def lstm_weights(cell):
    """`(kernel, recurrent_kernel, bias)` of a `keras_seq.layers.LSTMCell`
    (or Keras'), as float32 arrays, checked to be what the fused op
    computes: tanh and sigmoid, none of the variants.

    Raises:
        UserInputError: for a cell the fused op cannot run.
    """
    if getattr(cell, "variants", None):
        raise UserInputError(f"LiteRT export fuses plain LSTM cells; this one has {', '.join(cell.variants)}")
    activations = (getattr(cell.activation, "__name__", ""), getattr(cell.recurrent_activation, "__name__", ""))
    if activations != ("tanh", "sigmoid"):
        raise UserInputError(f"LiteRT export fuses LSTM cells with tanh and sigmoid; this one has {activations}")
    units = cell.units
    kernel = np.asarray(cell.kernel.numpy(), np.float32)  # (D, 4U)
    recurrent = np.asarray(cell.recurrent_kernel.numpy(), np.float32)  # (U, 4U)
    bias = np.asarray(cell.bias.numpy(), np.float32) if cell.use_bias else np.zeros(4 * units, np.float32)
    return kernel, recurrent, bias


def lstm_sequence(inputs, weights, initial_state):
    """Run an LSTM over `inputs` (B, T, D) with static B and T: the fused op
    once converted. `weights` from `lstm_weights`; `initial_state` is
    `(h0, c0)`, each (B, U) (constants carry over between calls, see the
    module's docstring). Returns the outputs (B, T, U)."""
    kernel, recurrent, bias = weights
    h0, c0 = initial_state
    _, outputs, *_ = _fusable_lstm(inputs, h0, c0, tf.constant(kernel), tf.constant(recurrent), tf.constant(bias))
    return outputs  # (B, T, U)


def convert(module, signature, path, quantize="none"):
    """Write `module`'s `tf.function` named `signature` as a LiteRT model at
    `path` (atomically), with built-in ops only. The module goes through a
    SavedModel, which keeps `lstm_sequence`'s function whole, so that the
    converter fuses it.

    Args:
        module: a `tf.Module`.
        signature: the name of its `tf.function` (with an input signature),
            which becomes the model's signature.
        path: the `.tflite` file to write; its folder must exist.
        quantize: `"none"`, `"float16"` (weights stored in float16) or
            `"dynamic"` (int8 weights, float activations).

    Returns:
        The sorted names of the model's ops.

    Raises:
        UserInputError: for an unknown `quantize`, a missing folder, or a
            model that needs ops outside the built-in set.
    """
    _check(path, quantize)
    signatures = {signature: getattr(module, signature).get_concrete_function()}
    options = tf.saved_model.SaveOptions(experimental_custom_gradients=False)  # inference only
    with tempfile.TemporaryDirectory() as saved:
        tf.saved_model.save(module, saved, signatures=signatures, options=options)
        converter = tf.lite.TFLiteConverter.from_saved_model(saved, signature_keys=[signature])
        return _write(converter, path, quantize)


def convert_function(fn, input_signature, path, quantize="none", signature="run"):
    """Write `fn` (TensorFlow and Keras calls, such as a serving module's
    function around `model(inputs, training=False)`) as a LiteRT model at
    `path`, with built-in ops only. Every shape in `input_signature` must
    be static, the batch included. The variables become constants, and
    keras_seq's recurrent kernels run as `WHILE` loops of built-in ops
    (their XLA-compiled form is left out): what a GRU, a SimpleRNN or the
    NTM needs. An LSTM converted this way is a loop too; `lstm_sequence` in
    a module (`convert`) makes it the fused op.

    Args:
        fn: a Python function of the inputs, returning a dict of tensors.
        input_signature: a `tf.TensorSpec` per argument (its `name` names
            the model's input).
        path: the `.tflite` file to write; its folder must exist.
        quantize: as in `convert`.
        signature: the name of the model's signature.

    Returns:
        The sorted names of the model's ops.

    Raises:
        UserInputError: as `convert`, and for a shape left unknown.
    """
    from keras_seq.ops._scan import inline_kernels

    _check(path, quantize)  # before the tracing
    for spec in input_signature:
        if not spec.shape.is_fully_defined():
            raise UserInputError(f"LiteRT needs static shapes; the input {spec.name} is {spec.shape}")
    # TensorFlow's own freezing (what the converter runs on a function it cannot save): it also reaches the
    # variables read inside loops, which the converter's SavedModel import would keep as uninitialized resources
    from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2

    with inline_kernels():
        concrete = tf.function(fn, input_signature=input_signature, autograph=False).get_concrete_function()
    frozen = convert_variables_to_constants_v2(concrete)  # flat outputs, in the order of the structure's leaves
    structure = concrete.structured_outputs

    def run(*inputs):  # the frozen graph under the original names: the model's signature
        return tf.nest.pack_sequence_as(structure, frozen(*inputs))

    holder = tf.Module()  # nothing to track: the weights are constants now
    setattr(holder, signature, tf.function(run, input_signature=input_signature, autograph=False))
    return convert(holder, signature, path, quantize)


def _check(path, quantize):
    if quantize not in QUANTIZATIONS:
        raise UserInputError(f"unknown quantization {quantize!r}; choose from {', '.join(QUANTIZATIONS)}")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise UserInputError(f"no folder {folder} to write {os.path.basename(path)} in")


def _write(converter, path, quantize):
    """Convert with built-in ops only and `quantize`, write `path`
    atomically, and return the op names."""
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]  # no Flex
    if quantize != "none":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if quantize == "float16":
        converter.target_spec.supported_types = [tf.float16]
    if quantize == "dynamic":  # the MLIR quantizer left the fused LSTM's weights in float32 (same file size)
        converter.experimental_new_dynamic_range_quantizer = False
    try:
        content = converter.convert()
    except Exception as error:  # the converter's error names the ops it could not map
        first = next((line for line in str(error).splitlines() if "op" in line.lower()), str(error)[:200])
        raise UserInputError(f"this model does not convert to LiteRT built-in ops: {first.strip()[:300]}") from error
    with atomic_file(path) as partial:
        with open(partial, "wb") as file:
            file.write(content)
    return op_names(content)


def op_names(content):
    """The sorted names of the ops of a LiteRT model (its bytes), read with
    `tf.lite.experimental.Analyzer`."""
    report = io.StringIO()
    with contextlib.redirect_stdout(report):
        tf.lite.experimental.Analyzer.analyze(model_content=content)
    return sorted(set(re.findall(r"Op#\d+ (\w+)\(", report.getvalue())))
