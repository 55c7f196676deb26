"""Max over the real (unmasked) steps of a sequence."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_seq")
class MaskedGlobalMaxPooling(keras.layers.Layer):
    """`max_t x[:, t]` over the steps where the mask is True.

    `keras.layers.GlobalMaxPooling1D` ignores masks, so padding (zeros after
    a recurrent layer) would win the max wherever the real values are
    negative. A row with no real step gives zeros.

    Call arguments:
        inputs: `(B, T, D)`.
        mask: bool `(B, T)` or None: the real steps. Pass it explicitly
            (e.g. `PaddingMask()(ids)`).

    Returns:
        `(B, D)`.

    Examples:
        >>> MaskedGlobalMaxPooling()(np.ones((2, 5, 3)), mask=np.ones((2, 5), bool)).shape
        (2, 3)
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            return ops.max(inputs, axis=1)
        keep = ops.expand_dims(ops.cast(mask, "bool"), -1)  # (B, T, 1)
        lowest = ops.cast(-3e38 if inputs.dtype == "float32" else -6e4, inputs.dtype)
        pooled = ops.max(ops.where(keep, inputs, lowest), axis=1)  # (B, D)
        any_real = ops.any(keep, axis=1)  # (B, 1)
        return ops.where(any_real, pooled, ops.zeros_like(pooled))

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, inputs_shape):
        return (inputs_shape[0], inputs_shape[-1])
