"""GRU layer."""

import keras

from keras_seq.layers._recurrent_layer_base import RecurrentLayerBase
from keras_seq.layers.gru_cell import GRUCell
from keras_seq.ops.recurrence import gru_sequence


@keras.saving.register_keras_serializable(package="keras_seq")
class GRU(RecurrentLayerBase):
    """Gated recurrent unit layer: `keras.layers.RNN(GRUCell(...))`.

    A drop-in for `keras.layers.GRU`: the same arguments, weights and
    outputs, `reset_after` both ways. With `reset_after=True`, tanh/sigmoid
    and no unrolling (recurrent dropout included), the sequence runs through
    `keras_seq.ops.gru_sequence` (one input matmul for all steps and a
    hand-written backward pass); otherwise the cell runs step by step.

    Args:
        units: int > 0. Size of the hidden state.
        activation, recurrent_activation, use_bias, reset_after,
        kernel_initializer, recurrent_initializer, bias_initializer,
        kernel_regularizer, recurrent_regularizer, bias_regularizer,
        kernel_constraint, recurrent_constraint, bias_constraint,
        dropout, recurrent_dropout, seed: as in `GRUCell`.
        activity_regularizer: optional regularizer of the output.
        return_sequences, return_state, go_backwards, stateful, unroll:
            as in `keras.layers.GRU`.
        fused: `"auto"`, `True` or `False`: whether to use the fused
            sequence kernel.

    Call arguments:
        sequences: `(B, T, D)`.
        initial_state: optional `(B, U)` (or a list holding it).
        mask: optional bool `(B, T)`; masked steps carry the state over.
        training: bool. Whether dropout applies.

    Returns:
        `(B, U)` or `(B, T, U)`; with `return_state`, followed by `h`.

    Example:
    >>> GRU(8, return_sequences=True)(np.zeros((2, 5, 3))).shape
    (2, 5, 8)
    """

    recurrent_activation = property(lambda self: self.cell.recurrent_activation)
    reset_after = property(lambda self: self.cell.reset_after)

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        reset_after=True,
        fused="auto",
        **kwargs,
    ):
        cell = GRUCell(
            units,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            recurrent_activation=recurrent_activation,
            reset_after=reset_after,
            **self.cell_options(kwargs, "gru_cell"),
        )
        super().__init__(
            cell,
            return_sequences,
            return_state,
            go_backwards,
            stateful,
            unroll,
            fused=fused,
            activity_regularizer=activity_regularizer,
            **kwargs,
        )

    def cell_fusable(self):
        return self.cell.reset_after

    def run_fused(self, x, initial_state, time_mask, state_mask=None):
        cell = self.cell
        input_bias = recurrent_bias = None
        if cell.use_bias:
            bias = self.weight(cell.bias, x)  # (2, 3U)
            input_bias, recurrent_bias = bias[0], bias[1]
        hs = gru_sequence(
            self.project_inputs(x, input_bias),  # (T, B, 3U)
            initial_state[0],
            self.weight(cell.recurrent_kernel, x),
            recurrent_bias,
            time_mask,
            state_mask,
        )
        return [hs]
