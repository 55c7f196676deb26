"""Mixes a decoder's own predictions into its teacher-forced inputs."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_seq")
class ScheduledSampler(keras.layers.Layer):
    """Scheduled sampling for decoders trained with teacher forcing.

    Teacher forcing feeds the gold previous token at every step; at
    inference the decoder feeds on its own predictions, a mismatch that
    scheduled sampling (Bengio et al., 2015) reduces by feeding the model's
    own predictions during training with a probability that rises over
    training.

    Because `keras.layers.RNN` runs the decoder over the whole target in one
    call, this layer uses the two-pass form (Duckworth et al., 2019): a
    first teacher-forced pass gives `logits`; this layer draws a token from
    each position's distribution (no gradient flows through the draw) and,
    with probability `probability`, puts it in place of the gold input of
    the next position; a second pass of the same decoder on the mixed
    inputs gives the logits the loss uses. The first input (the start
    token) is always kept. Outside training the gold inputs pass unchanged.

    `probability` is a non-trainable variable; the `ScheduledSampling`
    callback (`keras_seq.training`) raises it over the epochs.

    Args:
        probability: float in [0, 1], the starting probability. Default 0.
        greedy: bool. Feed the most likely token instead of a sample.
        seed: int or None.

    Call arguments:
        inputs: int `(B, T)`, the gold decoder inputs (target shifted right).
        logits: `(B, T, V)`, the first pass' outputs for those inputs.
        training: bool.

    Returns:
        int `(B, T)`: the inputs of the second pass.

    Examples:
        >>> logits = decode(dec_in)                       # teacher forced
        >>> mixed = ScheduledSampler()(dec_in, logits)    # own tokens mixed in
        >>> logits = decode(mixed)                        # the loss uses these
    """

    def __init__(self, probability=0.0, greedy=False, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0.0 <= float(probability) <= 1.0:
            raise ValueError(f"`probability` must be in [0, 1]; received probability={probability}.")
        self.initial_probability = float(probability)
        self.greedy = bool(greedy)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.probability = self.add_weight(
            name="probability",
            shape=(),
            initializer=keras.initializers.Constant(self.initial_probability),
            trainable=False,
        )

    def call(self, inputs, logits, training=False):
        inputs = ops.cast(inputs, "int32")
        if not training:
            return inputs
        logits = ops.stop_gradient(ops.cast(logits, "float32"))
        batch, steps, vocab = ops.shape(logits)[0], ops.shape(logits)[1], ops.shape(logits)[2]
        if self.greedy:
            predicted = ops.argmax(logits, axis=-1)  # (B, T)
        else:
            flat = ops.reshape(logits, (-1, vocab))  # (B*T, V)
            predicted = ops.reshape(keras.random.categorical(flat, 1, seed=self.seed_generator), (batch, steps))
        predicted = ops.cast(predicted, "int32")
        # the prediction at position t is the input of position t + 1
        shifted = ops.concatenate([inputs[:, :1], predicted[:, :-1]], axis=1)  # (B, T)
        draw = keras.random.uniform((batch, steps), seed=self.seed_generator)
        use_own = ops.logical_and(draw < ops.cast(self.probability, "float32"), ops.arange(steps) > 0)
        use_own = ops.logical_and(use_own, inputs != 0)  # padding stays padding
        return ops.where(use_own, shifted, inputs)

    def compute_output_shape(self, inputs_shape, logits_shape=None):
        return inputs_shape

    def compute_mask(self, inputs, mask=None):
        # Keras passes the first argument's mask: the tokens keep it
        return mask

    def get_config(self):
        config = super().get_config()
        config.update(probability=self.initial_probability, greedy=self.greedy, seed=self.seed)
        return config
