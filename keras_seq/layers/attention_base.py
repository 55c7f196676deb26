"""`AttentionBase`: the public base of the keras_seq attention layers."""

import keras
from keras import ops

from keras_seq.layers._masking import check_mask


def masked_softmax(scores, mask):
    """Softmax over the last axis, exactly 0 where `mask` is False.

    Computed in float32 whatever the compute dtype (mixed precision), then
    cast back. A row whose positions are all masked gets all-zero weights.

    Args:
        scores: `(B, Tq, Tv)`.
        mask: bool `(B, Tv)` or None.
    """
    dtype = scores.dtype
    scores = ops.cast(scores, "float32")
    if mask is None:
        return ops.cast(ops.softmax(scores, axis=-1), dtype)
    keep = ops.expand_dims(ops.cast(mask, "bool"), 1)  # (B, 1, Tv)
    scores = ops.where(keep, scores, -1e9)
    weights = ops.softmax(scores, axis=-1) * ops.cast(keep, "float32")  # (B, Tq, Tv)
    return ops.cast(weights, dtype)


@keras.saving.register_keras_serializable(package="keras_seq")
class AttentionBase(keras.layers.Layer):
    """A query attends over a memory: `context, weights = layer(q, value)`.

    The base of `BahdanauAttention`, `LuongAttention` and any other scoring
    (the NTM's content addressing, a captioner's attention over an image
    grid). A subclass overrides only the score:
    `build_scoring(query_dim, value_dim)`, `prepare_keys(value)` (the part
    of the score that depends only on the memory, computed once per
    sequence) and `score(query, keys)`. Masked positions get a weight of
    exactly 0.

    The split lets a decoder attend at every step without recomputing the
    memory side: `keys = layer.prepare_keys(value)` once, then
    `layer.attend(query, keys, value, value_mask)` per step.

    A subclass whose score also reads where it looked before sets
    `tracks_alignments = True` and takes `score(query, keys, history)`,
    `history` being `(previous, cumulative)` alignments `(B, Tv)` each;
    `AttentionDecoderCell` then carries them in its state.

    Args:
        **kwargs: as for `keras.layers.Layer` (`name`, `dtype`).

    Call arguments:
        query: `(B, Dq)` (one step) or `(B, Tq, Dq)`.
        value: `(B, Tv, Dv)`, the memory.
        value_mask: optional bool `(B, Tv)`, the real positions of the
            memory. Pass it explicitly (Keras fills it from `value`'s own
            mask only where its layers still propagate one).

    Returns:
        `(context, weights)`: `(B, Tq, Dv)` and `(B, Tq, Tv)`, without the
        `Tq` axis for a `(B, Dq)` query.

    Examples:
        >>> class DotAttention(AttentionBase):
        ...     def build_scoring(self, query_dim, value_dim):
        ...         pass
        ...     def prepare_keys(self, value):
        ...         return value  # (B, Tv, D)
        ...     def score(self, query, keys):
        ...         return ops.matmul(query, ops.transpose(keys, (0, 2, 1)))  # (B, Tq, Tv)
        >>> context, weights = DotAttention()(query, value)
    """

    tracks_alignments = False  # whether `score` takes the alignment history

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def build(self, query_shape, value_shape, value_mask_shape=None):
        if len(query_shape) not in (2, 3):
            raise ValueError(
                f"{type(self).__name__} expects a query of shape (batch, dim) or (batch, Tq, dim); received a query "
                f"of shape {tuple(query_shape)}."
            )
        if len(value_shape) != 3:
            raise ValueError(
                f"{type(self).__name__} expects a value of shape (batch, Tv, dim); received a value of shape "
                f"{tuple(value_shape)}."
            )
        self.build_scoring(query_shape[-1], value_shape[-1])

    def build_scoring(self, query_dim, value_dim):
        raise NotImplementedError

    def prepare_keys(self, value):
        """Memory side of the score, `(B, Tv, K)`; once per sequence."""
        raise NotImplementedError

    def score(self, query, keys):
        """Unnormalized scores `(B, Tq, Tv)` of `query (B, Tq, Dq)`."""
        raise NotImplementedError

    def attention_weights(self, query, keys, value_mask=None, history=None):
        """The weights `(B, Tq, Tv)` of `query (B, Tq, Dq)` over prepared
        keys, without the context (for a caller that reads the memory
        itself, as the NTM does after its location addressing). `history`
        is for a layer with `tracks_alignments` (zeros when not given)."""
        if not self.tracks_alignments:
            return masked_softmax(self.score(query, keys), value_mask)  # (B, Tq, Tv)
        if history is None:
            nothing = ops.zeros(ops.shape(keys)[:2], dtype=keys.dtype)  # (B, Tv): nothing looked at yet
            history = (nothing, nothing)
        return masked_softmax(self.score(query, keys, history), value_mask)  # (B, Tq, Tv)

    def attend(self, query, keys, value, value_mask=None, history=None):
        """Context and weights of `query` over a prepared memory.

        `query` is `(B, Dq)` (one decoder step) or `(B, Tq, Dq)`; outputs
        drop the `Tq` axis when the query has none. `history`: the
        `(previous, cumulative)` alignments `(B, Tv)`, for a layer with
        `tracks_alignments`.
        """
        single = len(query.shape) == 2
        q = ops.expand_dims(query, 1) if single else query  # (B, Tq, Dq)
        weights = self.attention_weights(q, keys, value_mask, history)  # (B, Tq, Tv)
        context = ops.matmul(weights, value)  # (B, Tq, Dv)
        if single:
            return context[:, 0], weights[:, 0]
        return context, weights

    def call(self, query, value, value_mask=None):
        check_mask(type(self).__name__, value_mask, (value.shape[0], value.shape[1]), "value_mask")
        return self.attend(query, self.prepare_keys(value), value, value_mask)

    def compute_mask(self, query, value, value_mask=None, mask=None):
        return None

    def compute_output_shape(self, query_shape, value_shape, value_mask_shape=None):
        if len(query_shape) == 2:
            return (query_shape[0], value_shape[-1]), (query_shape[0], value_shape[1])
        return (
            (query_shape[0], query_shape[1], value_shape[-1]),
            (query_shape[0], query_shape[1], value_shape[1]),
        )
