"""Gated recurrent unit, one step."""

import keras
from keras import ops

from keras_seq.layers._recurrent_cell_base import RecurrentCellBase, get_activation


@keras.saving.register_keras_serializable(package="keras_seq")
class GRUCell(RecurrentCellBase):
    """One step of a GRU (Cho et al., 2014).

    Gates are packed in Keras' order, update `z`, reset `r`, candidate `n`:
    kernel `(D, 3U)`, recurrent kernel `(U, 3U)`. With `reset_after=True`
    (the default, and cuDNN's convention) the reset gate multiplies the
    recurrent product after the matmul and the bias is `(2, 3U)` (input bias,
    recurrent bias); with `reset_after=False` it multiplies the state before
    the matmul and the bias is `(3U,)`. Both match `keras.layers.GRUCell`, so
    weights move across with `set_weights`.

    Args:
        units: int > 0. Size of the hidden state.
        activation: activation of the candidate. Default `"tanh"`.
        recurrent_activation: activation of the gates. Default `"sigmoid"`.
        reset_after: bool. Where the reset gate applies (see above).
        **kwargs: the arguments every cell shares, as in `SimpleRNNCell`
            and `keras.layers.GRUCell`: `use_bias`, the initializers,
            regularizers and constraints of the three weights, `dropout`,
            `recurrent_dropout` (of `h`, before the recurrent product) and
            `seed`.

    Call arguments and Returns:
        as for `SimpleRNNCell`: this step's `inputs` `(B, D)`, the list of
        the previous state `(B, U)` and `training` give `(h, [h])`.

    Examples:
        >>> layer = keras.layers.RNN(GRUCell(8))
        >>> layer(np.zeros((2, 5, 3))).shape
        (2, 8)
    """

    gates = 3

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        reset_after=True,
        **kwargs,
    ):
        super().__init__(units, activation=activation, **kwargs)
        self.recurrent_activation = get_activation("recurrent_activation", recurrent_activation)
        self.reset_after = bool(reset_after)
        self.state_size = self.units
        self.output_size = self.units

    def build_bias(self):
        shape = (2, 3 * self.units) if self.reset_after else (3 * self.units,)
        return self.add_weight(
            shape=shape,
            name="bias",
            initializer=self.bias_initializer,
            regularizer=self.bias_regularizer,
            constraint=self.bias_constraint,
        )

    def call(self, inputs, states, training=False):
        h_prev = states[0] if isinstance(states, (list, tuple)) else states  # (B, U)
        x = self.drop_inputs(inputs, training)  # (B, D)
        h_dropped = self.drop_state(h_prev, training)  # (B, U)
        x_proj = ops.matmul(x, self.kernel)  # (B, 3U)
        recurrent_bias = None
        if self.use_bias:
            if self.reset_after:
                x_proj = x_proj + self.bias[0]
                recurrent_bias = self.bias[1]
            else:
                x_proj = x_proj + self.bias
        x_z, x_r, x_n = ops.split(x_proj, 3, axis=-1)  # (B, U) each
        u = self.units
        if self.reset_after:
            h_proj = ops.matmul(h_dropped, self.recurrent_kernel)  # (B, 3U)
            if recurrent_bias is not None:
                h_proj = h_proj + recurrent_bias
            h_z, h_r, h_n = ops.split(h_proj, 3, axis=-1)
            z = self.recurrent_activation(x_z + h_z)
            r = self.recurrent_activation(x_r + h_r)
            n = self.activation(x_n + r * h_n)
        else:
            h_proj = ops.matmul(h_dropped, self.recurrent_kernel[:, : 2 * u])  # (B, 2U)
            h_z, h_r = ops.split(h_proj, 2, axis=-1)
            z = self.recurrent_activation(x_z + h_z)
            r = self.recurrent_activation(x_r + h_r)
            n = self.activation(x_n + ops.matmul(r * h_dropped, self.recurrent_kernel[:, 2 * u :]))
        h = z * h_prev + (1.0 - z) * n  # (B, U)
        return h, [h]

    def get_config(self):
        return {
            **super().get_config(),
            "recurrent_activation": keras.activations.serialize(self.recurrent_activation),
            "reset_after": self.reset_after,
        }
