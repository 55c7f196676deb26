"""Long short-term memory, one step."""

import keras
from keras import ops

from keras_seq.layers._recurrent_cell_base import RecurrentCellBase, get_activation


@keras.saving.register_keras_serializable(package="keras_seq")
class LSTMCell(RecurrentCellBase):
    """One step of an LSTM (Hochreiter & Schmidhuber, 1997).

    Gates are packed in Keras' order, input `i`, forget `f`, candidate `g`,
    output `o`, in one fused kernel `(D, 4U)`, recurrent kernel `(U, 4U)` and
    bias `(4U,)`: the same shapes and order as `keras.layers.LSTMCell`, so
    weights move across with `set_weights` in both directions.

    Args:
        units: int > 0. Size of the hidden and cell states.
        activation: activation of the candidate and of the cell output.
            Default `"tanh"`.
        recurrent_activation: activation of the gates. Default `"sigmoid"`.
        use_bias: bool. Default `True`.
        unit_forget_bias: bool. If `True`, the forget-gate part of the bias
            starts at 1 (Jozefowicz et al., 2015). Default `True`.
        kernel_initializer, recurrent_initializer, bias_initializer,
        kernel_regularizer, recurrent_regularizer, bias_regularizer,
        kernel_constraint, recurrent_constraint, bias_constraint: as in
            `keras.layers.LSTMCell`.
        dropout: float in [0, 1). Fraction of the inputs dropped in training.
        recurrent_dropout: float in [0, 1). Fraction of `h` dropped in
            training before the recurrent product.
        seed: int or None. Seed of the dropout masks.

    Call arguments:
        inputs: `(B, D)` input of this step.
        states: `[h, c]`, each `(B, U)`.
        training: bool. Whether dropout applies.

    Returns:
        `(h, [h, c])`: the output `(B, U)` and the new states.

    Example:
    >>> layer = keras.layers.RNN(LSTMCell(8), return_state=True)
    >>> output, h, c = layer(np.zeros((2, 5, 3)))
    >>> output.shape, c.shape
    ((2, 8), (2, 8))
    """

    gates = 4

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        unit_forget_bias=True,
        **kwargs,
    ):
        super().__init__(units, activation=activation, **kwargs)
        self.recurrent_activation = get_activation("recurrent_activation", recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)
        self.state_size = [self.units, self.units]
        self.output_size = self.units

    def build_bias(self):
        initializer = self.bias_initializer
        if self.unit_forget_bias:
            base = self.bias_initializer
            units = self.units

            def initializer(shape, dtype=None):
                return ops.concatenate(
                    [
                        base((units,), dtype=dtype),
                        ops.ones((units,), dtype=dtype),
                        base((2 * units,), dtype=dtype),
                    ]
                )

        return self.add_weight(
            shape=(4 * self.units,),
            name="bias",
            initializer=initializer,
            regularizer=self.bias_regularizer,
            constraint=self.bias_constraint,
        )

    def call(self, inputs, states, training=False):
        h_prev, c_prev = states  # (B, U) each
        x = self.drop_inputs(inputs, training)  # (B, D)
        z = ops.matmul(x, self.kernel)  # (B, 4U)
        if self.use_bias:
            z = z + self.bias
        z = z + ops.matmul(self.drop_state(h_prev, training), self.recurrent_kernel)
        z_i, z_f, z_g, z_o = ops.split(z, 4, axis=-1)  # (B, U) each
        i = self.recurrent_activation(z_i)
        f = self.recurrent_activation(z_f)
        o = self.recurrent_activation(z_o)
        c = f * c_prev + i * self.activation(z_g)  # (B, U)
        h = o * self.activation(c)  # (B, U)
        return h, [h, c]

    def get_config(self):
        return {
            **super().get_config(),
            "recurrent_activation": keras.activations.serialize(self.recurrent_activation),
            "unit_forget_bias": self.unit_forget_bias,
        }
