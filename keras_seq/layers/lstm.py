"""LSTM layer."""

import keras

from keras_seq.layers._recurrent_layer_base import RecurrentLayerBase
from keras_seq.layers.lstm_cell import LSTMCell
from keras_seq.ops.recurrence import lstm_sequence


@keras.saving.register_keras_serializable(package="keras_seq")
class LSTM(RecurrentLayerBase):
    """Long short-term memory layer: `keras.layers.RNN(LSTMCell(...))`.

    A drop-in for `keras.layers.LSTM`: the same arguments, weights and
    outputs (`set_weights` works across both ways). With tanh/sigmoid and
    not unrolled (recurrent dropout included) the sequence runs through
    `keras_seq.ops.lstm_sequence`, which computes the input projection of
    all steps in one matmul and has a hand-written backward pass;
    otherwise the cell runs step by step. The variants of `LSTMCell`
    (`layer_norm`, `peephole`, `zoneout`, `proj_size`) run step by step:
    each changes the recurrence the kernel computes (see
    `benchmarks/rnn_throughput.py --variants` for their cost).

    Args:
        units: int > 0. Size of the hidden and cell states.
        activation, recurrent_activation, use_bias, unit_forget_bias,
        kernel_initializer, recurrent_initializer, bias_initializer,
        kernel_regularizer, recurrent_regularizer, bias_regularizer,
        kernel_constraint, recurrent_constraint, bias_constraint,
        dropout, recurrent_dropout, seed, layer_norm, norm_epsilon,
        peephole, zoneout, proj_size: as in `LSTMCell`.
        activity_regularizer: optional regularizer of the output.
        return_sequences: bool. Return the output of every step `(B, T, U)`
            instead of the last `(B, U)`.
        return_state: bool. Also return the final `h` and `c`.
        go_backwards: bool. Process the sequence in reverse.
        stateful: bool. Carry the final states of a batch over to the next.
        unroll: bool. Unroll the loop (short sequences only).
        fused: `"auto"`, `True` or `False`: whether to use the fused
            sequence kernel (see above).

    Call arguments:
        sequences: `(B, T, D)`.
        initial_state: optional `[h0, c0]`, each `(B, U)`.
        mask: optional bool `(B, T)`; masked steps carry the state over.
        training: bool. Whether dropout applies.

    Returns:
        `(B, U)` or `(B, T, U)` (`P` for `U` with a projection); with
        `return_state`, followed by `h` and `c`.

    Example:
    >>> outputs, h, c = LSTM(8, return_sequences=True, return_state=True)(
    ...     np.zeros((2, 5, 3)))
    >>> outputs.shape, h.shape
    ((2, 5, 8), (2, 8))
    """

    recurrent_activation = property(lambda self: self.cell.recurrent_activation)
    unit_forget_bias = property(lambda self: self.cell.unit_forget_bias)
    layer_norm = property(lambda self: self.cell.layer_norm)
    norm_epsilon = property(lambda self: self.cell.norm_epsilon)
    peephole = property(lambda self: self.cell.peephole)
    zoneout = property(lambda self: self.cell.zoneout)
    proj_size = property(lambda self: self.cell.proj_size)

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias=True,
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
        layer_norm=False,
        norm_epsilon=1e-3,
        peephole=False,
        zoneout=None,
        proj_size=None,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        fused="auto",
        **kwargs,
    ):
        cell = LSTMCell(
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
            unit_forget_bias=unit_forget_bias,
            layer_norm=layer_norm,
            norm_epsilon=norm_epsilon,
            peephole=peephole,
            zoneout=zoneout,
            proj_size=proj_size,
            **self.cell_options(kwargs, "lstm_cell"),
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
        return not self.cell.variants

    def run_fused(self, x, initial_state, time_mask, state_mask=None):
        cell = self.cell
        bias = self.weight(cell.bias, x) if cell.use_bias else None
        h0, c0 = initial_state
        hs, cs = lstm_sequence(
            self.project_inputs(x, bias),  # (T, B, 4U)
            h0,
            c0,
            self.weight(cell.recurrent_kernel, x),
            time_mask,
            state_mask,
        )
        return [hs, cs]
