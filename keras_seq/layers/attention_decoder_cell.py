"""A recurrent cell that attends over an encoder memory at every step."""

import keras
from keras import ops

from keras_seq.layers._recurrent_cell_base import check_units


def _as_list(state_size):
    return list(state_size) if isinstance(state_size, (list, tuple)) else [state_size]


@keras.saving.register_keras_serializable(package="keras_seq")
class AttentionDecoderCell(keras.layers.Layer):
    """One decoder step with attention inside the recurrence.

    At each step (Luong et al., 2015, with optional input feeding):
    1. the wrapped cell reads the step's input, concatenated with the
       previous attentional output when `input_feeding=True`;
    2. its output `h_t` queries the memory: `context_t, weights_t =
       attention(h_t, memory)`;
    3. with `context_gate=True` the context is scaled by a gate of the
       state, `context_t *= sigmoid(w . h_t + c)` (the gating scalar of
       Xu et al., 2015, here of the step's own state);
    4. the attentional output is `a_t = tanh(W [h_t; context_t] + b)`, of
       size `output_units` (`b` only with `use_bias=True`).

    The step returns `concat([a_t, weights_t])` as its output so that
    `keras.layers.RNN` collects the alignment history with the outputs;
    `AttentionDecoder` splits them again.

    With an attention that reads where it looked before
    (`LocationSensitiveAttention`, `tracks_alignments`), the state ends
    with the previous step's alignment and the sum of all earlier ones,
    `(B, Tv)` each (their `state_size` is None: `Tv` is the memory's).
    Such a state depends on the memory: get it from
    `complete_state(cell_states, memory)`.

    **How the memory reaches the cell.** Keras 3's `RNN` no longer passes
    `constants` to cells. The memory is therefore an explicit call argument,
    `memory=cell.prepare_memory(value, value_mask)`, computed once per
    sequence (it holds the attention's key projection, so steps do not
    recompute it). Step-by-step decoding passes it on every call.
    `AttentionDecoder` (the layer) hands it to the cell for the duration of
    its own call, the way our layers hand over dropout masks, because
    `RNN` calls the cell with `(inputs, states)` only.

    Args:
        cell: a keras_seq cell (`LSTMCell`, `GRUCell`, `SimpleRNNCell`) or
            any Keras RNN cell with `state_size` and `output_size`.
        attention: one of our attention layers: `BahdanauAttention`,
            `LuongAttention`, `LocationSensitiveAttention` or
            `MeanAttention` (`make_attention` picks one by name), or
            another `AttentionBase` subclass (a layer with
            `prepare_keys`/`attend`).
        output_units: int > 0. Size of the attentional output `a_t`.
            Defaults to the wrapped cell's output size.
        input_feeding: bool. Feed `a_{t-1}` into the cell with the input.
            Default `True`.
        use_bias: bool. Add a bias `b` in the attentional output. Default
            `False` (as in Luong et al.).
        kernel_initializer: initializer of `W`. Default `"glorot_uniform"`.
        context_gate: bool. Scale the context by a learned scalar gate of
            `h_t` (starting near 0.5). Default `False`.

    Call arguments:
        inputs: `(B, D)` input of this step.
        states: the wrapped cell's states, then `a_{t-1}` `(B, A)` when
            `input_feeding=True`, then the previous and cumulative
            alignments `(B, Tv)` when the attention tracks them.
        memory: `(keys, value, value_mask)` from `prepare_memory`; optional
            inside `AttentionDecoder`.
        training: bool.

    Returns:
        `(output, new_states)`; `output` is `(B, A + Tv)`: the attentional
        output then the attention weights (`split_output` separates them).

    Examples:
        >>> cell = AttentionDecoderCell(LSTMCell(16), LuongAttention("general"))
        >>> decoder = AttentionDecoder(cell)
        >>> outputs, alignments = decoder(np.ones((2, 7, 8)), np.ones((2, 5, 12)))
        >>> outputs.shape, alignments.shape
        ((2, 7, 16), (2, 7, 5))
    """

    def __init__(
        self,
        cell,
        attention,
        output_units=None,
        input_feeding=True,
        use_bias=False,
        kernel_initializer="glorot_uniform",
        context_gate=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if isinstance(cell, dict):
            cell = keras.saving.deserialize_keras_object(cell)
        if isinstance(attention, dict):
            attention = keras.saving.deserialize_keras_object(attention)
        if not hasattr(cell, "state_size"):
            raise ValueError(f"`cell` must be a recurrent cell with a `state_size`; received {cell!r}.")
        if not (hasattr(attention, "prepare_keys") and hasattr(attention, "attend")):
            raise ValueError(
                "`attention` must be a keras_seq attention layer (an AttentionBase such as BahdanauAttention, "
                f"LuongAttention, LocationSensitiveAttention or MeanAttention); received {attention!r}."
            )
        self.cell = cell
        self.attention = attention
        cell_output = getattr(cell, "output_size", None) or _as_list(cell.state_size)[0]
        self.output_units = cell_output if output_units is None else check_units(output_units)
        self.input_feeding = bool(input_feeding)
        self.use_bias = bool(use_bias)
        self.context_gate = bool(context_gate)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.cell_state_count = len(_as_list(cell.state_size))
        self.tracks_alignments = bool(getattr(attention, "tracks_alignments", False))
        self.state_size = (
            _as_list(cell.state_size)
            + ([self.output_units] if self.input_feeding else [])
            + ([None, None] if self.tracks_alignments else [])
        )
        self.output_size = self.output_units
        self._handed_memory = None
        self.supports_masking = True  # the step mask is handled by keras.layers.RNN

    def build(self, inputs_shape, memory_shape=None):
        if memory_shape is None:
            raise ValueError(
                "AttentionDecoderCell needs the memory's shape to build: call build(inputs_shape, memory_shape) or "
                "use it in AttentionDecoder."
            )
        batch, depth = inputs_shape[0], inputs_shape[-1]
        feed = self.output_units if self.input_feeding else 0
        if not self.cell.built:
            self.cell.build((batch, depth + feed))
        cell_output = getattr(self.cell, "output_size", None) or _as_list(self.cell.state_size)[0]
        if not self.attention.built:
            self.attention.build((batch, cell_output), tuple(memory_shape))
        self.output_kernel = self.add_weight(
            name="output_kernel",
            shape=(cell_output + memory_shape[-1], self.output_units),
            initializer=self.kernel_initializer,
        )
        self.output_bias = (
            self.add_weight(name="output_bias", shape=(self.output_units,), initializer="zeros")
            if self.use_bias
            else None
        )
        self.gate_kernel = self.gate_bias = None
        if self.context_gate:
            self.gate_kernel = self.add_weight(
                name="gate_kernel", shape=(cell_output, 1), initializer=self.kernel_initializer
            )
            self.gate_bias = self.add_weight(name="gate_bias", shape=(1,), initializer="zeros")

    def prepare_memory(self, value, value_mask=None):
        """`(keys, value, value_mask)` for `call(..., memory=...)`."""
        if not self.built:
            raise ValueError(
                "Build the AttentionDecoderCell before preparing a memory: cell.build(inputs_shape, memory_shape), or "
                "run it in AttentionDecoder once."
            )
        if value_mask is None:
            value_mask = ops.ones(ops.shape(value)[:2], dtype="bool")  # (B, Tv)
        return self.attention.prepare_keys(value), value, ops.cast(value_mask, "bool")

    def hand_over(self, memory):
        """Set (or clear, with None) the memory used when `call` gets none."""
        self._handed_memory = memory

    def call(self, inputs, states, memory=None, training=False):
        memory = memory if memory is not None else self._handed_memory
        if memory is None:
            raise ValueError(
                "AttentionDecoderCell needs a memory: pass memory=cell.prepare_memory(value) or run the cell inside "
                "AttentionDecoder."
            )
        keys, value, value_mask = memory
        states = list(states)
        cell_states = states[: self.cell_state_count]
        history = None
        if self.tracks_alignments:
            *states, previous, cumulative = states  # (B, Tv) each
            history = (previous, cumulative)
        x = inputs  # (B, D)
        if self.input_feeding:
            x = ops.concatenate([inputs, states[-1]], axis=-1)  # (B, D + A)
        h, new_cell_states = self.cell(x, cell_states, training=training)  # (B, H)
        new_cell_states = _as_list(new_cell_states)
        context, weights = self.attention.attend(h, keys, value, value_mask, history)  # (B, Dv), (B, Tv)
        if self.context_gate:
            gate = ops.sigmoid(
                ops.matmul(h, ops.cast(self.gate_kernel, h.dtype)) + ops.cast(self.gate_bias, h.dtype)
            )  # (B, 1)
            context = context * ops.cast(gate, context.dtype)  # (B, Dv)
        kernel = ops.cast(self.output_kernel, h.dtype)
        attentional = ops.matmul(ops.concatenate([h, context], axis=-1), kernel)  # (B, A)
        if self.use_bias:
            attentional = attentional + ops.cast(self.output_bias, h.dtype)
        attentional = ops.tanh(attentional)  # (B, A)
        new_states = new_cell_states + ([attentional] if self.input_feeding else [])
        if self.tracks_alignments:
            weights = ops.cast(weights, history[1].dtype)
            new_states += [weights, history[1] + weights]  # (B, Tv) each
        output = ops.concatenate([attentional, ops.cast(weights, attentional.dtype)], axis=-1)  # (B, A + Tv)
        return output, new_states

    def split_output(self, output):
        """`(attentional, weights)` from a step's `(B, A + Tv)` or a
        sequence's `(B, T, A + Tv)` output. The attentional part keeps a
        static last axis `A` even when `Tv` is unknown."""
        units = self.output_units
        attentional = output[..., :units]
        if len(output.shape) == 2:
            attentional = ops.reshape(attentional, (-1, units))  # (B, A)
        else:
            steps = output.shape[1] if output.shape[1] is not None else ops.shape(output)[1]
            attentional = ops.reshape(attentional, (-1, steps, units))  # (B, T, A)
        return attentional, output[..., units:]

    def get_initial_state(self, batch_size=None):
        if self.tracks_alignments:
            raise ValueError(
                "This AttentionDecoderCell's state holds alignments over the memory: get it with "
                "cell.complete_state(cell_states, memory) (cell_states may be []), or run the cell in AttentionDecoder."
            )
        cell_states = self._wrapped_initial_state(batch_size)
        if self.input_feeding:
            cell_states.append(ops.zeros((batch_size, self.output_units), dtype=self.compute_dtype))
        return cell_states

    def _wrapped_initial_state(self, batch_size):
        """The wrapped cell's own initial states (zeros)."""
        get = getattr(self.cell, "get_initial_state", None)
        if get is not None:
            return _as_list(get(batch_size=batch_size))
        return [ops.zeros((batch_size, size), dtype=self.compute_dtype) for size in _as_list(self.cell.state_size)]

    def complete_state(self, cell_states, memory=None):
        """The whole initial state from the wrapped cell's states (e.g. an
        encoder's final states; `[]` for zeros): a zero attentional output
        follows when `input_feeding=True`, then zero alignments over
        `memory` (from `prepare_memory`) when the attention tracks them."""
        cell_states = _as_list(cell_states)
        if len(cell_states) == len(self.state_size):
            return cell_states
        if memory is None and (self.tracks_alignments or not cell_states):
            why = "its attention tracks its alignments" if self.tracks_alignments else "no cell state is given"
            raise ValueError(
                f"AttentionDecoderCell.complete_state needs the memory (cell.prepare_memory(value)): {why}."
            )
        if not cell_states:
            cell_states = self._wrapped_initial_state(ops.shape(memory[1])[0])
        batch, dtype = ops.shape(cell_states[0])[0], cell_states[0].dtype
        if self.input_feeding:
            cell_states = cell_states + [ops.zeros((batch, self.output_units), dtype=dtype)]
        if self.tracks_alignments:
            nothing = ops.zeros(ops.shape(memory[1])[:2], dtype=dtype)  # (B, Tv): nothing looked at yet
            cell_states = cell_states + [nothing, nothing]
        return cell_states

    def get_config(self):
        config = super().get_config()
        config.update(
            cell=keras.saving.serialize_keras_object(self.cell),
            attention=keras.saving.serialize_keras_object(self.attention),
            output_units=self.output_units,
            input_feeding=self.input_feeding,
            use_bias=self.use_bias,
            context_gate=self.context_gate,
            kernel_initializer=keras.initializers.serialize(self.kernel_initializer),
        )
        return config
