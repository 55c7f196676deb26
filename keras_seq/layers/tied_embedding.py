"""An embedding whose table also serves as the output projection."""

import keras
from keras import ops

from keras_seq.layers._recurrent_cell_base import check_units


@keras.saving.register_keras_serializable(package="keras_seq")
class TiedEmbedding(keras.layers.Layer):
    """An embedding that can also map vectors back to token logits with the
    same table (weight tying, Press & Wolf, 2017).

    Called on integer ids it embeds them, as `keras.layers.Embedding` does. Called
    with `reverse=True` on vectors of size `output_dim` it returns
    `x . E^T + b`, one logit per token of the vocabulary, where `E` is the
    embedding table and `b` a learned bias (`use_bias=True`). A decoder that
    ties its output layer to its target embedding learns one table instead
    of two, which saves `input_dim * output_dim` weights and often helps
    on small corpora.

    Args:
        input_dim: int > 0, vocabulary size.
        output_dim: int > 0, embedding size.
        mask_zero: bool. Id 0 is padding: the embedded output carries a Keras
            mask that is False there. Default `False`.
        use_bias: bool. Add a learned bias to the reverse logits.
            Default `True`.
        embeddings_initializer: initializer of the table. Default
            `"uniform"`, as in `keras.layers.Embedding`.

    Call arguments:
        inputs: int ids `(B, ...)`, or with `reverse=True` vectors
            `(B, ..., output_dim)`.
        reverse: bool. Map vectors to logits instead of ids to vectors.

    Returns:
        `(B, ..., output_dim)` embeddings, or `(B, ..., input_dim)` logits
        with `reverse=True`. In reverse mode the input's Keras mask passes
        through.

    Examples:
        >>> layer = TiedEmbedding(100, 8, mask_zero=True)
        >>> vectors = layer(np.array([[4, 7, 0]]))
        >>> vectors.shape, layer(vectors, reverse=True).shape
        ((1, 3, 8), (1, 3, 100))
    """

    def __init__(
        self, input_dim, output_dim, mask_zero=False, use_bias=True, embeddings_initializer="uniform", **kwargs
    ):
        super().__init__(**kwargs)
        self.input_dim = check_units(input_dim)
        self.output_dim = check_units(output_dim)
        self.mask_zero = bool(mask_zero)
        self.use_bias = bool(use_bias)
        self.embeddings_initializer = keras.initializers.get(embeddings_initializer)
        self.supports_masking = True

    def build(self, input_shape=None):
        self.embeddings = self.add_weight(
            shape=(self.input_dim, self.output_dim), initializer=self.embeddings_initializer, name="embeddings"
        )
        self.reverse_bias = (
            self.add_weight(shape=(self.input_dim,), initializer="zeros", name="reverse_bias")
            if self.use_bias
            else None
        )
        self.built = True

    def call(self, inputs, reverse=False):
        if not reverse:
            return ops.take(
                ops.cast(self.embeddings, self.compute_dtype), ops.cast(inputs, "int32"), axis=0
            )  # (B, ..., E)
        table = ops.cast(self.embeddings, inputs.dtype)  # (V, E)
        logits = ops.matmul(inputs, ops.transpose(table))  # (B, ..., V)
        if self.reverse_bias is not None:
            logits = logits + ops.cast(self.reverse_bias, logits.dtype)
        return logits

    def compute_mask(self, inputs, mask=None):
        if keras.backend.is_float_dtype(inputs.dtype):  # reverse mode: vectors in, their mask passes
            return mask
        return ops.not_equal(inputs, 0) if self.mask_zero else None

    def compute_output_shape(self, input_shape, reverse=False):
        if reverse:
            return (*input_shape[:-1], self.input_dim)
        return (*input_shape, self.output_dim)

    def compute_output_spec(self, inputs, reverse=False):
        return keras.KerasTensor(self.compute_output_shape(inputs.shape, reverse=reverse), dtype=self.compute_dtype)

    def get_config(self):
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "mask_zero": self.mask_zero,
            "use_bias": self.use_bias,
            "embeddings_initializer": keras.initializers.serialize(self.embeddings_initializer),
        }
