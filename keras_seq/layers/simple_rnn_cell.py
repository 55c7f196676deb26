"""Elman recurrence, one step."""

import keras
from keras import ops

from keras_seq.layers._recurrent_cell_base import RecurrentCellBase


@keras.saving.register_keras_serializable(package="keras_seq")
class SimpleRNNCell(RecurrentCellBase):
    """One step of an Elman network: `h = activation(x W + h R + b)`.

    Weights have the shapes and names of `keras.layers.SimpleRNNCell`
    (`kernel (D, U)`, `recurrent_kernel (U, U)`, `bias (U,)`), so
    `set_weights` moves trained weights across in both directions.

    Args:
        units: int > 0. Size of the hidden state.
        activation: activation name or callable. Default `"tanh"`.
        use_bias: bool. Whether to add a bias. Default `True`.
        kernel_initializer, recurrent_initializer, bias_initializer:
            initializers of the input kernel, recurrent kernel and bias.
        kernel_regularizer, recurrent_regularizer, bias_regularizer:
            optional regularizers of the same weights.
        kernel_constraint, recurrent_constraint, bias_constraint:
            optional constraints of the same weights.
        dropout: float in [0, 1). Fraction of the inputs dropped in training.
        recurrent_dropout: float in [0, 1). Fraction of the state dropped in
            training before the recurrent product.
        seed: int or None. Seed of the dropout masks.

    Call arguments:
        inputs: `(B, D)` input of this step.
        states: list holding the previous state `(B, U)`.
        training: bool. Whether dropout applies.

    Returns:
        `(h, [h])`: the output `(B, U)` and the new state.

    Examples:
        >>> layer = keras.layers.RNN(SimpleRNNCell(8), return_sequences=True)
        >>> layer(np.zeros((2, 5, 3))).shape
        (2, 5, 8)
    """

    gates = 1

    def __init__(self, units, activation="tanh", **kwargs):
        super().__init__(units, activation=activation, **kwargs)
        self.state_size = self.units
        self.output_size = self.units

    def call(self, inputs, states, training=False):
        h_prev = states[0] if isinstance(states, (list, tuple)) else states  # (B, U)
        x = self.drop_inputs(inputs, training)  # (B, D)
        z = ops.matmul(x, self.kernel)  # (B, U)
        if self.use_bias:
            z = z + self.bias
        z = z + ops.matmul(self.drop_state(h_prev, training), self.recurrent_kernel)
        h = self.activation(z)  # (B, U)
        return h, [h]
