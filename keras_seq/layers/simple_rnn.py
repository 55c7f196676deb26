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
        activation: as in `SimpleRNNCell`.
        fused: `"auto"`, `True` or `False`: whether to use the fused
            sequence kernel. Keyword only.
        **kwargs: the other arguments of `SimpleRNNCell` and those of
            `keras.layers.RNN` and `keras.layers.Layer`, as for `GRU`.

    Call arguments and Returns:
        as for `GRU`: `sequences` `(B, T, D)`, an optional `initial_state`
        `(B, U)`, a bool `mask` `(B, T)` and `training` give `(B, U)` or
        `(B, T, U)`, then `h` with `return_state`.

    Examples:
        >>> SimpleRNN(8)(np.zeros((2, 5, 3))).shape
        (2, 8)
    """

    def __init__(self, units, activation="tanh", *, fused="auto", **kwargs):
        cell_kwargs, layer_kwargs = self.split_arguments(kwargs, "simplernn_cell")
        cell = SimpleRNNCell(units, activation=activation, **cell_kwargs)
        super().__init__(cell, fused=fused, **layer_kwargs)

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
