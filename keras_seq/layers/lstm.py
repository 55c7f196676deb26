"""LSTM layer."""

import keras

from keras_seq.layers._recurrent_layer_base import RecurrentLayerBase
from keras_seq.layers.lstm_cell import LSTMCell
from keras_seq.ops._scan import lstm_replacement
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
        activation, recurrent_activation: as in `LSTMCell`.
        fused: `"auto"`, `True` or `False`: whether to use the fused
            sequence kernel (see above). Keyword only.
        **kwargs: the other arguments of `LSTMCell` (`use_bias`,
            `unit_forget_bias`, the initializers, regularizers and
            constraints, `dropout`, `recurrent_dropout`, `seed`, and the
            variants `layer_norm`, `norm_epsilon`, `peephole`, `zoneout`,
            `proj_size`), and those of `keras.layers.RNN`
            (`return_sequences`: the output of every step `(B, T, U)`
            instead of the last; `return_state`: also the final `h` and
            `c`; `go_backwards`, `stateful`, `unroll`) and
            `keras.layers.Layer` (`activity_regularizer`, `name`, `dtype`),
            as in `keras.layers.LSTM`.

    Call arguments:
        sequences: `(B, T, D)`.
        initial_state: optional `[h0, c0]`, each `(B, U)`.
        mask: optional bool `(B, T)`; masked steps carry the state over.
        training: bool. Whether dropout applies.

    Returns:
        `(B, U)` or `(B, T, U)` (`P` for `U` with a projection); with
        `return_state`, followed by `h` and `c`.

    Examples:
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

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", *, fused="auto", **kwargs):
        cell_kwargs, layer_kwargs = self.split_arguments(kwargs, "lstm_cell")
        cell = LSTMCell(units, activation=activation, recurrent_activation=recurrent_activation, **cell_kwargs)
        super().__init__(cell, fused=fused, **layer_kwargs)

    def cell_fusable(self):
        return not self.cell.variants

    def inner_loop(self, sequences, initial_state, mask, training=False):
        replacement = lstm_replacement()  # the LiteRT export's fused op, in inference
        if replacement is not None and not training and self.can_fuse():
            result = replacement(self, sequences, initial_state, mask)
            if result is not None:
                return result
        return super().inner_loop(sequences, initial_state, mask, training)

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
