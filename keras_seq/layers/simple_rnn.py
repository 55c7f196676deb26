"""SimpleRNN (Elman) layer."""

import keras

from keras_seq.layers._recurrent_layer_base import RecurrentLayerBase
from keras_seq.layers.simple_rnn_cell import SimpleRNNCell
from keras_seq.ops.recurrence import simple_rnn_sequence


@keras.saving.register_keras_serializable(package="keras_seq")
class SimpleRNN(RecurrentLayerBase):
    """Elman network layer: `keras.layers.RNN(SimpleRNNCell(...))`.

    A drop-in for `keras.layers.SimpleRNN`: the same arguments, weights and
    outputs. With tanh and no unrolling (recurrent dropout included) the
    sequence runs through `keras_seq.ops.simple_rnn_sequence` (one input
    matmul for all steps and a hand-written backward pass).

    Args:
        units: int > 0. Size of the hidden state.
        activation, use_bias, kernel_initializer, recurrent_initializer,
        bias_initializer, kernel_regularizer, recurrent_regularizer,
        bias_regularizer, kernel_constraint, recurrent_constraint,
        bias_constraint, dropout, recurrent_dropout, seed: as in
            `SimpleRNNCell`.
        activity_regularizer: optional regularizer of the output.
        return_sequences, return_state, go_backwards, stateful, unroll:
            as in `keras.layers.SimpleRNN`.
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
    >>> SimpleRNN(8)(np.zeros((2, 5, 3))).shape
    (2, 8)
    """

    def __init__(
        self,
        units,
        activation="tanh",
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
        fused="auto",
        **kwargs,
    ):
        cell = SimpleRNNCell(
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
            **self.cell_options(kwargs, "simplernn_cell"),
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

    def run_fused(self, x, initial_state, time_mask, state_mask=None):
        cell = self.cell
        bias = self.weight(cell.bias, x) if cell.use_bias else None
        hs = simple_rnn_sequence(
            self.project_inputs(x, bias),  # (T, B, U)
            initial_state[0],
            self.weight(cell.recurrent_kernel, x),
            time_mask,
            state_mask,
        )
        return [hs]
