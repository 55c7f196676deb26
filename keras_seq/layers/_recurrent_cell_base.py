"""Shared plumbing of the keras_seq recurrent cells (not public)."""

import keras
from keras import ops


def check_positive_int(name, value):
    """Return `value` or raise a ValueError naming the argument `name`."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"`{name}` must be a positive integer; received {name}={value!r}.")
    return value


def check_units(units):
    """Return `units` as an int or raise a ValueError naming it."""
    return check_positive_int("units", units)


def get_activation(name, value):
    """`keras.activations.get` with an error that names the argument."""
    try:
        return keras.activations.get(value)
    except (ValueError, TypeError) as error:
        raise ValueError(
            f"Unknown activation for `{name}`: received {name}={value!r}. Use a name from `keras.activations` (e.g. "
            "'tanh', 'sigmoid') or a callable."
        ) from error


def check_rate(name, value):
    """Dropout rates live in [0, 1)."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"`{name}` must be a float in [0, 1); received {value!r}.")
    if not 0.0 <= value < 1.0:
        raise ValueError(f"`{name}` must be a float in [0, 1); received {name}={value}.")
    return value


class RecurrentCellBase(keras.layers.Layer):
    """Arguments, weights and dropout masks common to our three cells.

    A subclass sets `gates` (how many `units`-wide blocks its kernels hold)
    and implements `call` (one step) and `build_bias`.

    Dropout masks. Keras draws one mask per sequence and reuses it at every
    step (variational dropout). Our recurrent layers draw the masks before
    their loop starts and hand them to the cell through `set_dropout_masks`;
    a cell driven by a plain `keras.layers.RNN` has no mask prepared and then
    draws fresh dropout at each step instead.
    """

    gates = 1

    @property
    def recurrent_units(self):
        """The width of the state the recurrent kernel reads (`units`; an
        LSTM with a projection reads its projected `h`)."""
        return self.units

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
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.units = check_units(units)
        self.activation = get_activation("activation", activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.recurrent_initializer = keras.initializers.get(recurrent_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.kernel_regularizer = keras.regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = keras.regularizers.get(recurrent_regularizer)
        self.bias_regularizer = keras.regularizers.get(bias_regularizer)
        self.kernel_constraint = keras.constraints.get(kernel_constraint)
        self.recurrent_constraint = keras.constraints.get(recurrent_constraint)
        self.bias_constraint = keras.constraints.get(bias_constraint)
        self.dropout = check_rate("dropout", dropout)
        self.recurrent_dropout = check_rate("recurrent_dropout", recurrent_dropout)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self._dropout_mask = None
        self._recurrent_dropout_mask = None
        # One step has no time axis to mask (keras.layers.RNN applies the
        # sequence mask); a mask on a step's input just passes through.
        self.supports_masking = True

    # ------------------------------------------------------------------ build
    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"{type(self).__name__} needs a known feature size; received input shape {tuple(input_shape)}."
            )
        self.kernel = self.add_weight(
            shape=(input_dim, self.gates * self.units),
            name="kernel",
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.recurrent_units, self.gates * self.units),
            name="recurrent_kernel",
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        self.bias = self.build_bias() if self.use_bias else None

    def build_bias(self):
        return self.add_weight(
            shape=(self.gates * self.units,),
            name="bias",
            initializer=self.bias_initializer,
            regularizer=self.bias_regularizer,
            constraint=self.bias_constraint,
        )

    # ---------------------------------------------------------------- dropout
    def make_dropout_masks(self, step_input):
        """Draw the masks a whole sequence shares: `(B, D)` and `(B, U)`."""
        mask = recurrent_mask = None
        state = ops.ones((ops.shape(step_input)[0], self.recurrent_units), step_input.dtype)
        if self.dropout > 0:
            mask = keras.random.dropout(ops.ones_like(step_input), self.dropout, seed=self.seed_generator)
        if self.recurrent_dropout > 0:
            recurrent_mask = keras.random.dropout(
                ops.ones_like(state), self.recurrent_dropout, seed=self.seed_generator
            )
        return mask, recurrent_mask

    def set_dropout_masks(self, masks):
        """Hand the cell the masks of the sequence being run (or `None`s)."""
        self._dropout_mask, self._recurrent_dropout_mask = masks

    @property
    def dropout_masks(self):
        """The masks of the sequence being run, `(B, D)` and `(B, U)`, as
        `set_dropout_masks` handed them (`None`s outside a layer's call)."""
        return self._dropout_mask, self._recurrent_dropout_mask

    def drop_inputs(self, inputs, training):
        """`inputs` `(B, D)` with `dropout` applied in training."""
        return self.drop(inputs, self._dropout_mask, self.dropout, training)

    def drop_state(self, state, training):
        """`state` `(B, U)` with `recurrent_dropout` applied in training."""
        return self.drop(state, self._recurrent_dropout_mask, self.recurrent_dropout, training)

    def drop(self, x, sequence_mask, rate, training):
        """Dropout at `rate`: the sequence's mask where a layer drew one
        before its loop, else a fresh mask for this step."""
        if not training or rate == 0:
            return x
        if sequence_mask is not None:
            return x * sequence_mask
        return keras.random.dropout(x, rate, seed=self.seed_generator)

    # ------------------------------------------------------------------ state
    def get_initial_state(self, batch_size=None):
        sizes = self.state_size if isinstance(self.state_size, (list, tuple)) else [self.state_size]
        return [ops.zeros((batch_size, size), dtype=self.compute_dtype) for size in sizes]

    # ----------------------------------------------------------------- config
    def get_config(self):
        s = keras.saving.serialize_keras_object
        return {
            **super().get_config(),
            "units": self.units,
            "activation": keras.activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": s(self.kernel_initializer),
            "recurrent_initializer": s(self.recurrent_initializer),
            "bias_initializer": s(self.bias_initializer),
            "kernel_regularizer": s(self.kernel_regularizer),
            "recurrent_regularizer": s(self.recurrent_regularizer),
            "bias_regularizer": s(self.bias_regularizer),
            "kernel_constraint": s(self.kernel_constraint),
            "recurrent_constraint": s(self.recurrent_constraint),
            "bias_constraint": s(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }
