"""Shared plumbing of the keras_seq recurrent layers (not public)."""

import keras
from keras import ops

from keras_seq.layers._fused_rnn import FusedRNN


class RecurrentLayerBase(FusedRNN):
    """A `FusedRNN` around one of our gated cells (SimpleRNN, GRU, LSTM).

    `keras.layers.RNN` owns the loop, `return_sequences`, `return_state`,
    `go_backwards` and `stateful`; `FusedRNN` the masks and the choice of
    the fused path. This class adds:

    - the cell's arguments as properties of the layer, so the layer reads
      like `keras.layers.LSTM`;
    - dropout masks drawn once per sequence before the loop;
    - a check of the input's rank that names it;
    - the fused path of the gated cells: with the standard activations and
      no unrolling, the whole sequence runs through a kernel of
      `keras_seq.ops` whose input projection is one matmul and whose
      backward pass is written by hand; recurrent dropout runs inside it,
      with the mask of the sequence drawn before the loop.
    """

    fused_requirements = "the default activations, unroll=False and none of the cell's step-only options"

    # --------------------------------------------- the cell's arguments
    units = property(lambda self: self.cell.units, doc="Size of the hidden state.")
    activation = property(lambda self: self.cell.activation)
    use_bias = property(lambda self: self.cell.use_bias)
    kernel_initializer = property(lambda self: self.cell.kernel_initializer)
    recurrent_initializer = property(lambda self: self.cell.recurrent_initializer)
    bias_initializer = property(lambda self: self.cell.bias_initializer)
    kernel_regularizer = property(lambda self: self.cell.kernel_regularizer)
    recurrent_regularizer = property(lambda self: self.cell.recurrent_regularizer)
    bias_regularizer = property(lambda self: self.cell.bias_regularizer)
    kernel_constraint = property(lambda self: self.cell.kernel_constraint)
    recurrent_constraint = property(lambda self: self.cell.recurrent_constraint)
    bias_constraint = property(lambda self: self.cell.bias_constraint)
    dropout = property(lambda self: self.cell.dropout)
    recurrent_dropout = property(lambda self: self.cell.recurrent_dropout)
    seed = property(lambda self: self.cell.seed)

    # ------------------------------------------------------------- checks
    def check_rank(self, shape):
        """Raise a ValueError naming the shape unless it is `(B, T, D)`."""
        if len(shape) != 3:
            raise ValueError(
                f"{type(self).__name__} expects a 3D input (batch, timesteps, features); received an input of shape "
                f"{tuple(shape)}."
            )

    def build(self, sequences_shape, initial_state_shape=None):
        self.check_rank(sequences_shape)  # first call
        super().build(sequences_shape, initial_state_shape)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        self.check_rank(sequences.shape)  # later calls of a built layer
        self.cell.set_dropout_masks(self.cell.make_dropout_masks(sequences[:, 0, :]) if training else (None, None))
        try:
            return super().call(sequences, initial_state=initial_state, mask=mask, training=training)
        finally:
            self.cell.set_dropout_masks((None, None))

    # ---------------------------------------------------------- fast path
    def fused_supported(self, mask=None):
        cell = self.cell
        recurrent = getattr(cell, "recurrent_activation", keras.activations.sigmoid)
        return (
            cell.activation is keras.activations.tanh and recurrent is keras.activations.sigmoid and self.cell_fusable()
        )

    def cell_fusable(self):
        """Extra conditions of a subclass' kernel on its cell."""
        return True

    def inner_loop(self, sequences, initial_state, mask, training=False):
        if not self.can_fuse():
            return super().inner_loop(sequences, initial_state, mask, training)
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        x = sequences  # (B, T, D)
        input_mask, state_mask = self.cell.dropout_masks  # (B, D), (B, U): one per sequence
        if training and input_mask is not None:
            x = x * ops.expand_dims(input_mask, 1)  # same mask at every step
        if self.go_backwards:
            x = ops.flip(x, axis=1)
            mask = None if mask is None else ops.flip(mask, axis=1)
        time_mask = None
        if mask is not None:
            time_mask = ops.cast(ops.transpose(mask)[..., None], x.dtype)  # (T, B, 1)
        x = ops.transpose(x, (1, 0, 2))  # (T, B, D)
        state_mask = state_mask if training else None
        states = self.run_fused(x, list(initial_state), time_mask, state_mask)  # each (T, B, U)
        outputs = states[0]  # (T, B, U)
        if time_mask is not None:
            if self.zero_output_for_mask:
                outputs = outputs * time_mask
            else:
                # before the first real step Keras emits zeros, not h0
                seen = ops.cast(ops.cumsum(time_mask, axis=0) > 0, x.dtype)
                outputs = outputs * seen
        last_output = outputs[-1]  # (B, U)
        final_states = [s[-1] for s in states]
        return last_output, ops.transpose(outputs, (1, 0, 2)), final_states

    def weight(self, variable, like):
        """A cell weight as a tensor of the compute dtype of `like`."""
        return ops.cast(variable, like.dtype)  # a tensor, never the variable

    def project_inputs(self, x, bias):
        """`x W + b` for every step at once: `(T, B, D) -> (T, B, G*U)`."""
        proj = ops.matmul(x, self.weight(self.cell.kernel, x))
        return proj if bias is None else proj + bias

    def run_fused(self, x, initial_state, time_mask, state_mask=None):
        """Return the list of state sequences, each `(T, B, U)`;
        `state_mask` is the recurrent dropout mask `(B, U)`, or None."""
        raise NotImplementedError
