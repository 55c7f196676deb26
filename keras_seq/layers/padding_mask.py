"""The mask of the real tokens of a batch of ids."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_seq")
class PaddingMask(keras.layers.Layer):
    """`ids != padding_id`: the bool mask `(B, T)` of the real tokens.

    The explicit way to mask: compute the mask once from the ids and pass
    it to every layer that needs it (`mask=`, `value_mask=`,
    `memory_mask=`), instead of relying on Keras to propagate a mask from
    `Embedding(mask_zero=True)` through the layers in between. Keras stops
    propagating masks through `keras.layers.RNN`, `Bidirectional` and
    `TimeDistributed` in its next release; a model that passes its masks
    works the same whichever way Keras goes.

    Args:
        padding_id: int. The id of padding. Default 0.

    Call arguments:
        ids: int `(B, T)` (or any shape).

    Returns:
        bool, the shape of `ids`.

    Examples:
        >>> ids = keras.Input((None,), dtype="int32")
        >>> mask = PaddingMask()(ids)  # (B, T)
        >>> x = keras.layers.Embedding(100, 8)(ids)
        >>> x = keras.layers.Bidirectional(GRU(16, return_sequences=True))(x, mask=mask)
        >>> pooled = AttentionPooling(8)(x, mask=mask)
    """

    def __init__(self, padding_id=0, **kwargs):
        super().__init__(**kwargs)
        if isinstance(padding_id, bool) or not isinstance(padding_id, int):
            raise ValueError(f"`padding_id` must be an int; received padding_id={padding_id!r}.")
        self.padding_id = padding_id

    def call(self, ids):
        return ops.not_equal(ids, ops.cast(self.padding_id, ids.dtype))  # (B, T) bool

    def compute_output_spec(self, ids):
        return keras.KerasTensor(ids.shape, dtype="bool")

    def get_config(self):
        return {**super().get_config(), "padding_id": self.padding_id}
