"""LiteRT (TensorFlow Lite) export with built-in ops only: no Flex
delegate, and each LSTM as the fused `UNIDIRECTIONAL_SEQUENCE_LSTM` op.

The TFLite converter replaces a function whose `api_implements` attribute
starts with `lstm_` by the fused op when the function takes exactly
`(inputs, h0, c0, kernel, recurrent_kernel, bias)` with static shapes,
carries a `time_major` attribute, returns five results and its callers use
only the first two (the last output and the sequence). `lstm_sequence` here
is such a function; its body (the same LSTM in built-in ops) is what a
model keeps where the converter does not fuse. `convert_function` routes
each `keras_seq.layers.LSTM` of a Keras model through it
(`lstm_layer_inference`).

What the fused op does differently from `keras_seq.layers.LSTM`:
- it clips the cell state to [-10, 10] (no clipping in Keras): a model whose
  cell state grows past 10 gives other outputs;
- an initial state that is a constant becomes a variable tensor of the
  interpreter, which each call updates: the state carries over from one
  call to the next (what a model that runs one step per call wants;
  `interpreter.reset_all_variables()` starts again from zeros). A state
  computed from the inputs does not carry over;
- a masked layer's mask is read as padding at the end of each row.
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


def lstm_layer_inference(layer, sequences, initial_state, mask):
    """A `keras_seq.layers.LSTM`'s loop in inference as `lstm_sequence`
    (the fused op once converted), for `convert_function`: what the layer's
    `inner_loop` returns, or None where the loop stays (a stateful layer,
    or shapes left unknown).

    A mask is read as right padding: each row's length is its count of
    true steps. The backward direction of a bidirectional layer reverses
    each row's own steps (`REVERSE_SEQUENCE`) rather than the padded row.
    The op gets the initial state plus a zero computed from the inputs, so
    that it never becomes the op's persistent state (see the module's
    docstring), and the op's writing its last state into that tensor
    reaches nothing else.
    The fused op returns no cell state; a layer that returns its states
    gets the last one from the outputs (`_last_cell_state`).
    """
    if layer.stateful or not sequences.shape.is_fully_defined() or sequences.dtype != tf.float32:
        return None
    if isinstance(mask, (list, tuple)):
        mask = mask[0]
    cell = layer.cell
    kernel, recurrent = cell.kernel.value, cell.recurrent_kernel.value  # (D, 4U), (U, 4U)
    bias = cell.bias.value if cell.use_bias else tf.zeros([4 * cell.units])  # (4U,)
    x = sequences  # (B, T, D)
    lengths = None if mask is None else tf.reduce_sum(tf.cast(mask, tf.int32), axis=1)  # (B,)
    if layer.go_backwards:
        x = tf.reverse(x, [1]) if lengths is None else tf.reverse_sequence(x, lengths, seq_axis=1, batch_axis=0)
    h0, c0 = initial_state  # (B, U) each
    # the op's two state inputs: computed tensors of their own (it overwrites them), also beside another
    # layer's on the same inputs, each the initial state plus a zero from the inputs and this layer's weights
    zeros = 0.0 * tf.matmul(x[:, 0], kernel[:, :2])  # (B, 2)
    h_in, c_in = h0 + zeros[:, :1], c0 + zeros[:, 1:]  # (B, U) each
    _, steps, *_ = _fusable_lstm(x, h_in, c_in, kernel, recurrent, bias)  # (B, T, U), in the order run
    keep = None if mask is None else tf.cast(mask, steps.dtype)[..., None]  # (B, T, 1), real steps first
    outputs = steps
    if lengths is not None:
        last = tf.maximum(lengths - 1, 0)[:, None]  # (B, 1)
        if layer.go_backwards:  # back to each row's order, then the layer's (reversed, padding first)
            outputs = tf.reverse(tf.reverse_sequence(steps, lengths, seq_axis=1, batch_axis=0), [1])
            outputs = outputs * tf.reverse(keep, [1])  # Keras' zeros before the first real step
        elif layer.zero_output_for_mask:
            outputs = steps * keep
        else:  # padding repeats the last real output (zeros for an empty row)
            outputs = tf.gather(steps, tf.minimum(tf.range(x.shape[1])[None], last), batch_dims=1)  # (B, T, U)
            outputs = outputs * tf.cast(lengths > 0, steps.dtype)[:, None, None]
    last_output = outputs[:, -1]  # (B, U)
    if not layer.return_state:
        return last_output, outputs, [last_output, last_output]  # no state leaves the layer
    if lengths is None:
        h = steps[:, -1]  # (B, U)
    else:  # an empty row keeps its initial state
        h = tf.where((lengths > 0)[:, None], tf.gather(steps, last, batch_dims=1)[:, 0], h0)  # (B, U)
    return last_output, outputs, [h, _last_cell_state(x, steps, h0, c0, (kernel, recurrent, bias), keep)]


def _last_cell_state(x, steps, h0, c0, weights, keep):
    """The LSTM's last cell state from its inputs `x` (B, T, D) and outputs
    `steps` (B, T, U), in parallel over the steps: the gates of every step
    follow from the output before it, and `c_T = sum_t (prod_{s>t} f_s)
    i_t g_t + (prod_s f_s) c_0`. Masked steps (`keep` 0) keep the state."""
    kernel, recurrent, bias = weights
    before = tf.concat([h0[:, None], steps[:, :-1]], axis=1)  # (B, T, U): h_{t-1}
    z = tf.einsum("btd,dg->btg", x, kernel) + tf.einsum("btu,ug->btg", before, recurrent) + bias  # (B, T, 4U)
    i, f, g, _ = tf.split(z, 4, axis=-1)  # each (B, T, U)
    added, log_f = tf.sigmoid(i) * tf.tanh(g), tf.math.log_sigmoid(f)  # (B, T, U) each
    if keep is not None:
        added, log_f = added * keep, log_f * keep  # a masked step: f = 1, nothing added
    kept_after = tf.exp(tf.cumsum(log_f, axis=1, exclusive=True, reverse=True))  # (B, T, U): prod_{s>t} f_s
    return tf.reduce_sum(kept_after * added, axis=1) + tf.exp(tf.reduce_sum(log_f, axis=1)) * c0  # (B, U)


def convert_function(fn, input_signature, path, quantize="none", signature="run", variables=()):
    """Write `fn` (TensorFlow and Keras calls, such as a serving module's
    function around `model(inputs, training=False)`) as a LiteRT model at
    `path`, with built-in ops only. Every shape in `input_signature` must
    be static, the batch included.

    The Keras `variables` are read as constants while `fn` is traced, and
    each `keras_seq.layers.LSTM` then becomes the fused op
    (`lstm_layer_inference`). keras_seq's other recurrent kernels run as
    `WHILE` loops of built-in ops (their XLA-compiled form is left out):
    what a GRU, a SimpleRNN or the NTM needs. Variables `fn` reads that
    are not in `variables` are frozen after tracing, which inlines every
    function: LSTMs then become loops too.

    Args:
        fn: a Python function of the inputs, returning a dict of tensors.
        input_signature: a `tf.TensorSpec` per argument (its `name` names
            the model's input).
        path: the `.tflite` file to write; its folder must exist.
        quantize: as in `convert`.
        signature: the name of the model's signature.
        variables: the Keras variables `fn` reads (a model's `variables`).

    Returns:
        The sorted names of the model's ops.

    Raises:
        UserInputError: as `convert`, and for a shape left unknown.
    """
    import keras

    from keras_seq.ops._scan import inline_kernels

    _check(path, quantize)  # before the tracing
    for spec in input_signature:
        if not spec.shape.is_fully_defined():
            raise UserInputError(f"LiteRT needs static shapes; the input {spec.name} is {spec.shape}")
    values = [(variable, variable.numpy()) for variable in variables]

    def constant_weights(*inputs):
        mapping = [(variable, tf.constant(value)) for variable, value in values]  # Const ops of this graph
        with keras.StatelessScope(state_mapping=mapping):
            return fn(*inputs)

    traced = tf.function(constant_weights, input_signature=input_signature, autograph=False)
    with inline_kernels(lstm=lstm_layer_inference):
        concrete = traced.get_concrete_function()
    holder = tf.Module()  # nothing to track: the weights are constants
    if not concrete.variables:
        setattr(holder, signature, traced)  # traced above: the SavedModel keeps the fused op's function
        return convert(holder, signature, path, quantize)
    # TensorFlow's own freezing (what the converter runs on a function it cannot save): it also reaches the
    # variables read inside loops, which the converter's SavedModel import would keep as uninitialized resources
    from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2

    frozen = convert_variables_to_constants_v2(concrete)  # flat outputs, in the order of the structure's leaves
    structure = concrete.structured_outputs

    def run(*inputs):  # the frozen graph under the original names: the model's signature
        return tf.nest.pack_sequence_as(structure, frozen(*inputs))

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
