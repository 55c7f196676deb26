"""The doubly stochastic attention penalty of Xu et al. (2015)."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_seq")
class AttentionPenalty(keras.layers.Layer):
    """Adds `weight * sum_v (1 - sum_t alpha_tv)^2` of the alignments to the
    model's losses (the mean over the batch) and passes the decoder's
    outputs through unchanged, so that it sits on the model's path.

    The attention weights `alpha_t` of each decoder step sum to 1 over the
    memory; this penalty asks that, over the whole output, each memory
    position is also looked at about once, so that the decoder does not
    keep looking at the same cells (Xu et al.'s "doubly stochastic
    attention"). Padded decoder steps (the mask) do not count.

    Args:
        weight: float >= 0, the penalty's `lambda`. Default 1.
        **kwargs: as for `keras.layers.Layer`.

    Call arguments:
        outputs: the decoder's outputs `(B, T, ...)`, passed through.
        alignments: `(B, T, Tv)` attention weights over the steps.
        mask: bool `(B, T)` or None; True at real decoder steps. Pass it
            explicitly (e.g. `PaddingMask()(caption_ids)`).

    Returns:
        `outputs`, unchanged (with their mask).

    Examples:
        >>> outputs, alignments = AttentionDecoder(cell)(tokens_embedded, grid)
        >>> outputs = AttentionPenalty(1.0)(outputs, alignments)  # adds to model.losses
    """

    def __init__(self, weight=1.0, **kwargs):
        super().__init__(**kwargs)
        weight = float(weight)
        if not weight >= 0:
            raise ValueError(f"weight must be >= 0; received {weight}.")
        self.weight = weight
        self.supports_masking = True

    def call(self, outputs, alignments, mask=None, outputs_mask=None, alignments_mask=None):
        # with several tensor arguments Keras fills `<name>_mask` from each one's own mask
        mask = outputs_mask if mask is None else mask
        alpha = ops.cast(alignments, "float32")  # (B, T, Tv)
        if mask is not None:
            alpha = alpha * ops.cast(mask, "float32")[..., None]  # (B, T, Tv)
        seen = ops.sum(alpha, axis=1)  # (B, Tv)
        penalty = ops.mean(ops.sum(ops.square(1.0 - seen), axis=-1))
        self.add_loss(self.weight * penalty)
        return outputs

    def compute_mask(self, outputs, alignments, mask=None, outputs_mask=None, alignments_mask=None):
        return outputs_mask if mask is None else mask

    def compute_output_shape(self, outputs_shape, alignments_shape):
        return outputs_shape

    def get_config(self):
        return {**super().get_config(), "weight": self.weight}
