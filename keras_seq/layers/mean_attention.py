"""No attention: the context is the mean of the memory, whatever the query."""

import keras
from keras import ops

from keras_seq.layers.attention_base import AttentionBase


@keras.saving.register_keras_serializable(package="keras_seq")
class MeanAttention(AttentionBase):
    """The baseline of the attention layers: equal weights over the unmasked
    memory, so the context is the memory's mean at every step and the query
    is ignored. In an `AttentionDecoderCell` this gives the classic
    encoder-decoder whose decoder sees its whole input as one vector (the
    `--attention none` of the translator and the captioner), which is the
    bottleneck that attention removes.

    Args:
        **kwargs: as for `keras.layers.Layer` (`name`, `dtype`).

    Call arguments:
        query: `(B, Tq, Dq)`, or `(B, Dq)` for a single step (only its shape
            is used).
        value: `(B, Tv, Dv)`, the memory.
        value_mask: bool `(B, Tv)` or None; True where the memory is real.
            Pass it explicitly (e.g. `PaddingMask()(ids)`).

    Returns:
        `(context, weights)`: the masked mean of the memory `(B, Tq, Dv)`
        and the weights `(B, Tq, Tv)`, `1 / (unmasked positions)` where the
        memory is real and exactly 0 where it is masked (no `Tq` axis for a
        single-step query).

    Examples:
        >>> query, value = np.ones((2, 3, 4)), np.arange(2 * 5 * 6.0).reshape(2, 5, 6)
        >>> context, weights = MeanAttention()(query, value)
        >>> context.shape, float(weights[0, 0, 0])
        ((2, 3, 6), 0.2)
    """

    def build_scoring(self, query_dim, value_dim):
        pass

    def prepare_keys(self, value):
        return ops.zeros_like(value[..., :1])  # (B, Tv, 1)

    def score(self, query, keys):
        return ops.matmul(ops.zeros_like(query[..., :1]), ops.transpose(keys, (0, 2, 1)))  # (B, Tq, Tv), all 0
