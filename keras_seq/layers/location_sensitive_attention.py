"""Additive attention that also reads where it looked before."""

import keras
from keras import ops

from keras_seq.layers._recurrent_cell_base import check_units
from keras_seq.layers.bahdanau_attention import BahdanauAttention


@keras.saving.register_keras_serializable(package="keras_seq")
class LocationSensitiveAttention(BahdanauAttention):
    """Additive attention with location features (Chorowski et al., 2015).

    `score(q, k_j) = v . tanh(W_q q + W_k k_j + W_f f_j)`, where `f_j` are
    `filters` features of memory position `j` from a 1-D convolution over
    two alignments: the previous step's and the sum of all earlier steps'.
    The decoder can then move relative to where it looked ("the next
    digit right of the last one read", "the first word not yet
    translated") instead of recalling an absolute position or counting
    its steps, which is what lets it read past the lengths of training.

    Inside an `AttentionDecoderCell` the two alignments travel in the
    cell's state (`tracks_alignments`); a standalone call starts from
    zeros. The convolution runs along the memory's axis: over an image
    grid flattened row by row, its neighbours are the cells left and right
    (and, at a row's ends, the next row's first cells).

    Args:
        units: int > 0. Size of the projections.
        filters: int > 0. Location features per memory position. Default 16.
        kernel_size: int > 0. Width of the convolution over the alignments,
            in memory positions. Default 7.
        normalize: bool. As in `BahdanauAttention`. Default `False`.
        kernel_initializer: initializer of the projections, `v` and the
            convolution. Default `"glorot_uniform"`.

    Call arguments:
        query: `(B, Tq, Dq)`, or `(B, Dq)` for a single step.
        value: `(B, Tv, Dv)`, the memory.
        value_mask: bool `(B, Tv)` or None.

    Returns:
        `(context, weights)`: `(B, Tq, Dv)` and `(B, Tq, Tv)` (no `Tq` axis
        for a single-step query).

    Examples:
        >>> cell = AttentionDecoderCell(GRUCell(32), LocationSensitiveAttention(16))
        >>> outputs, alignments = AttentionDecoder(cell)(np.ones((2, 7, 8)), np.ones((2, 5, 12)))
        >>> alignments.shape
        (2, 7, 5)
    """

    tracks_alignments = True

    def __init__(
        self, units, filters=16, kernel_size=7, normalize=False, kernel_initializer="glorot_uniform", **kwargs
    ):
        super().__init__(units, normalize=normalize, kernel_initializer=kernel_initializer, **kwargs)
        self.filters = check_units(filters)
        self.kernel_size = check_units(kernel_size)

    def build_scoring(self, query_dim, value_dim):
        super().build_scoring(query_dim, value_dim)
        init = self.kernel_initializer
        self.location_kernel = self.add_weight(
            name="location_kernel", shape=(self.kernel_size, 2, self.filters), initializer=init
        )
        self.location_projection = self.add_weight(
            name="location_projection", shape=(self.filters, self.units), initializer=init
        )

    def score(self, query, keys, history):
        dtype = keys.dtype
        previous, cumulative = history
        looked = ops.cast(ops.stack([previous, cumulative], axis=-1), dtype)  # (B, Tv, 2)
        features = ops.conv(looked, ops.cast(self.location_kernel, dtype), padding="same")  # (B, Tv, F)
        location = ops.matmul(features, ops.cast(self.location_projection, dtype))  # (B, Tv, U)
        return super().score(query, keys + location)  # (B, Tq, Tv)

    def get_config(self):
        config = super().get_config()
        config.update(filters=self.filters, kernel_size=self.kernel_size)
        return config
