"""A learned vector per position, added to a sequence of fixed length."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_seq")
class PositionEmbedding(keras.layers.Layer):
    """Adds a learned vector to each position of a fixed-length sequence,
    so that what follows (attention, pooling) can tell positions apart.

    The captioner adds it to its grid of image features `(B, H*W, C)`: the
    features of a convolution are the same wherever a pattern lies, and
    attention over the grid alone cannot tell left from right.

    Args:
        initializer: of the table `(T, D)`. Default a normal with standard
            deviation 0.02.
        **kwargs: as for `keras.layers.Layer`.

    Call arguments:
        inputs: `(B, T, D)` with a known `T` and `D`.

    Returns:
        `inputs + table`, `(B, T, D)`; a Keras mask passes through.

    Examples:
        >>> PositionEmbedding()(np.zeros((2, 6, 4))).shape
        (2, 6, 4)
    """

    def __init__(self, initializer=None, **kwargs):
        super().__init__(**kwargs)
        self.initializer = keras.initializers.get(initializer or keras.initializers.RandomNormal(stddev=0.02))
        self.supports_masking = True

    def build(self, input_shape):
        if len(input_shape) != 3 or input_shape[1] is None or input_shape[2] is None:
            raise ValueError(
                "PositionEmbedding needs inputs (batch, positions, features) with known sizes; received shape "
                f"{tuple(input_shape)}."
            )
        self.table = self.add_weight(name="table", shape=tuple(input_shape[1:]), initializer=self.initializer)

    def call(self, inputs):
        return inputs + ops.cast(self.table, inputs.dtype)[None]  # (B, T, D)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "initializer": keras.initializers.serialize(self.initializer)}
