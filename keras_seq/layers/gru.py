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
        activation, recurrent_activation: as in `GRUCell`.
        fused: `"auto"`, `True` or `False`: whether to use the fused
            sequence kernel. Keyword only.
        **kwargs: the other arguments of `GRUCell` (`use_bias`,
            `reset_after`, the initializers, regularizers and constraints,
            `dropout`, `recurrent_dropout`, `seed`), and those of
            `keras.layers.RNN` (`return_sequences`, `return_state`,
            `go_backwards`, `stateful`, `unroll`) and `keras.layers.Layer`
            (`activity_regularizer`, `name`, `dtype`), as in
            `keras.layers.GRU`.

    Call arguments:
        sequences: `(B, T, D)`.
        initial_state: optional `(B, U)` (or a list holding it).
        mask: optional bool `(B, T)`; masked steps carry the state over.
        training: bool. Whether dropout applies.

    Returns:
        `(B, U)` or `(B, T, U)`; with `return_state`, followed by `h`.

    Examples:
        >>> GRU(8, return_sequences=True)(np.zeros((2, 5, 3))).shape
        (2, 5, 8)
    """

    recurrent_activation = property(lambda self: self.cell.recurrent_activation)
    reset_after = property(lambda self: self.cell.reset_after)

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", *, fused="auto", **kwargs):
        cell_kwargs, layer_kwargs = self.split_arguments(kwargs, "gru_cell")
        cell = GRUCell(units, activation=activation, recurrent_activation=recurrent_activation, **cell_kwargs)
        super().__init__(cell, fused=fused, **layer_kwargs)

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
