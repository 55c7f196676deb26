"""Long short-term memory, one step."""

import keras
from keras import ops

from keras_seq.layers._recurrent_cell_base import RecurrentCellBase, check_positive_int, check_rate, get_activation


def _layer_norm(x, gamma, beta, epsilon):
    """Normalize over the last axis, then scale and shift: `(B, K)`."""
    mean = ops.mean(x, axis=-1, keepdims=True)  # (B, 1)
    variance = ops.mean(ops.square(x - mean), axis=-1, keepdims=True)  # (B, 1)
    return (x - mean) * ops.rsqrt(variance + epsilon) * gamma + beta


def _check_zoneout(zoneout):
    if zoneout is None:
        return None
    try:
        z_h, z_c = (check_rate("zoneout", value) for value in zoneout)
    except (TypeError, ValueError):
        raise ValueError(
            f"`zoneout` must be a pair (z_h, z_c) of floats in [0, 1), or None; received zoneout={zoneout!r}."
        ) from None
    return (z_h, z_c) if (z_h or z_c) else None


@keras.saving.register_keras_serializable(package="keras_seq")
class LSTMCell(RecurrentCellBase):
    """One step of an LSTM (Hochreiter & Schmidhuber, 1997), with the
    variants TensorFlow Addons and PyTorch offered, each off by default.

    Gates are packed in Keras' order, input `i`, forget `f`, candidate `g`,
    output `o`, in one fused kernel `(D, 4U)`, recurrent kernel `(U, 4U)` and
    bias `(4U,)`: the same shapes and order as `keras.layers.LSTMCell`, so
    weights move across with `set_weights` in both directions (without
    the variants).

    The variants:

    - `layer_norm`: as TFA's `LayerNormLSTMCell` (Ba et al., 2016): the
      input product `x W` and the recurrent product `h R` are each layer-
      normalized over their `4U` features before the bias is added, and the
      new cell state is normalized (the normalized `c` is carried and goes
      through the output activation). Weights `kernel_norm_gamma/beta`,
      `recurrent_norm_gamma/beta` `(4U,)`, `state_norm_gamma/beta` `(U,)`.
    - `peephole`: as TFA's `PeepholeLSTMCell` (Gers & Schmidhuber, 2000):
      `i` and `f` also see `c_{t-1}`, `o` sees `c_t`, through the diagonal
      weights `input_gate_peephole_weights`, `forget_gate_peephole_weights`
      and `output_gate_peephole_weights` `(U,)`.
    - `zoneout=(z_h, z_c)` (Krueger et al., 2016): in training each unit of
      `h` and `c` keeps its previous value with probability `z_h`, `z_c`
      (a fresh draw every step); in inference the states are the
      expectation, `z * previous + (1 - z) * new`.
    - `proj_size=P`: as PyTorch's `nn.LSTM(proj_size=P)` (Sak et al.,
      2014): `h = (o * tanh(c)) W_hr`, with `projection_kernel` `(U, P)`,
      so the output and the recurrent state have `P` units, the cell state
      `U`, and the recurrent kernel is `(P, 4U)`. From a PyTorch state
      dict: `kernel = weight_ih_l0.T`, `recurrent_kernel = weight_hh_l0.T`,
      `bias = bias_ih_l0 + bias_hh_l0`, `projection_kernel = weight_hr_l0.T`
      (the same gate order).

    Args:
        units: int > 0. Size of the cell state (and of `h` without a
            projection).
        activation: activation of the candidate and of the cell output.
            Default `"tanh"`.
        recurrent_activation: activation of the gates. Default `"sigmoid"`.
        use_bias: bool. Default `True`.
        unit_forget_bias: bool. If `True`, the forget-gate part of the bias
            starts at 1 (Jozefowicz et al., 2015). Default `True`.
        kernel_initializer, recurrent_initializer, bias_initializer: as in
            `keras.layers.LSTMCell`.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: as in
            `keras.layers.LSTMCell`.
        kernel_constraint, recurrent_constraint, bias_constraint: as in
            `keras.layers.LSTMCell`.
        dropout: float in [0, 1). Fraction of the inputs dropped in training.
        recurrent_dropout: float in [0, 1). Fraction of `h` dropped in
            training before the recurrent product.
        seed: int or None. Seed of the dropout and zoneout masks.
        layer_norm: bool. Default `False`.
        norm_epsilon: float > 0, the layer normalization's epsilon (TFA's
            default, 1e-3).
        peephole: bool. Default `False`.
        zoneout: `(z_h, z_c)` floats in [0, 1), or None (the default).
        proj_size: int > 0, or None (the default): no projection.

    Call arguments:
        inputs: `(B, D)` input of this step.
        states: `[h, c]`, `(B, P or U)` and `(B, U)`.
        training: bool. Whether dropout and zoneout's sampling apply.

    Returns:
        `(h, [h, c])`: the output `(B, P or U)` and the new states.

    Examples:
        >>> layer = keras.layers.RNN(LSTMCell(8, layer_norm=True, proj_size=4), return_state=True)
        >>> output, h, c = layer(np.zeros((2, 5, 3)))
        >>> output.shape, c.shape
        ((2, 4), (2, 8))
    """

    gates = 4

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        unit_forget_bias=True,
        layer_norm=False,
        norm_epsilon=1e-3,
        peephole=False,
        zoneout=None,
        proj_size=None,
        **kwargs,
    ):
        super().__init__(units, activation=activation, **kwargs)
        self.recurrent_activation = get_activation("recurrent_activation", recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)
        self.layer_norm = bool(layer_norm)
        if not norm_epsilon > 0:
            raise ValueError(f"`norm_epsilon` must be > 0; received norm_epsilon={norm_epsilon!r}.")
        self.norm_epsilon = float(norm_epsilon)
        self.peephole = bool(peephole)
        self.zoneout = _check_zoneout(zoneout)
        self.proj_size = None if proj_size is None else check_positive_int("proj_size", proj_size)
        self.state_size = [self.recurrent_units, self.units]
        self.output_size = self.recurrent_units

    @property
    def recurrent_units(self):
        return self.proj_size or self.units

    @property
    def variants(self):
        """The step-only options in use (none: the plain LSTM)."""
        names = ("layer_norm", "peephole", "zoneout", "proj_size")
        return [name for name in names if getattr(self, name)]

    def build(self, input_shape):
        super().build(input_shape)
        u = self.units
        if self.layer_norm:
            for name, size in (("kernel_norm", 4 * u), ("recurrent_norm", 4 * u), ("state_norm", u)):
                setattr(self, f"{name}_gamma", self.add_weight(shape=(size,), name=f"{name}_gamma", initializer="ones"))
                setattr(self, f"{name}_beta", self.add_weight(shape=(size,), name=f"{name}_beta", initializer="zeros"))
        if self.peephole:
            for gate in ("input", "forget", "output"):
                weight = self.add_weight(
                    shape=(u,), name=f"{gate}_gate_peephole_weights", initializer=self.kernel_initializer
                )
                setattr(self, f"{gate}_gate_peephole_weights", weight)
        if self.proj_size:
            self.projection_kernel = self.add_weight(
                shape=(u, self.proj_size),
                name="projection_kernel",
                initializer=self.kernel_initializer,
                regularizer=self.kernel_regularizer,
                constraint=self.kernel_constraint,
            )

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

    def _zone(self, new, old, rate, training):
        """Zoneout: keep `old` with probability `rate` (training), or the
        expectation (inference)."""
        if not rate:
            return new
        if not training:
            return rate * old + (1.0 - rate) * new
        keep = ops.cast(keras.random.uniform(ops.shape(new), seed=self.seed_generator) < rate, new.dtype)  # (B, K) 0/1
        return old + (1.0 - keep) * (new - old)

    def call(self, inputs, states, training=False):
        h_prev, c_prev = states  # (B, P or U), (B, U)
        x = self.drop_inputs(inputs, training)  # (B, D)
        x_part = ops.matmul(x, self.kernel)  # (B, 4U)
        h_part = ops.matmul(self.drop_state(h_prev, training), self.recurrent_kernel)  # (B, 4U)
        if self.layer_norm:
            x_part = _layer_norm(x_part, self.kernel_norm_gamma, self.kernel_norm_beta, self.norm_epsilon)
            h_part = _layer_norm(h_part, self.recurrent_norm_gamma, self.recurrent_norm_beta, self.norm_epsilon)
        z = x_part + h_part
        if self.use_bias:
            z = z + self.bias
        z_i, z_f, z_g, z_o = ops.split(z, 4, axis=-1)  # (B, U) each
        if self.peephole:
            z_i = z_i + self.input_gate_peephole_weights * c_prev
            z_f = z_f + self.forget_gate_peephole_weights * c_prev
        i = self.recurrent_activation(z_i)
        f = self.recurrent_activation(z_f)
        c = f * c_prev + i * self.activation(z_g)  # (B, U)
        if self.layer_norm:
            c = _layer_norm(c, self.state_norm_gamma, self.state_norm_beta, self.norm_epsilon)
        if self.peephole:
            z_o = z_o + self.output_gate_peephole_weights * c
        o = self.recurrent_activation(z_o)
        h = o * self.activation(c)  # (B, U)
        if self.proj_size:
            h = ops.matmul(h, self.projection_kernel)  # (B, P)
        if self.zoneout:
            h = self._zone(h, h_prev, self.zoneout[0], training)
            c = self._zone(c, c_prev, self.zoneout[1], training)
        return h, [h, c]

    def get_config(self):
        return {
            **super().get_config(),
            "recurrent_activation": keras.activations.serialize(self.recurrent_activation),
            "unit_forget_bias": self.unit_forget_bias,
            "layer_norm": self.layer_norm,
            "norm_epsilon": self.norm_epsilon,
            "peephole": self.peephole,
            "zoneout": None if self.zoneout is None else list(self.zoneout),
            "proj_size": self.proj_size,
        }
