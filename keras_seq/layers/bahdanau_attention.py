"""Additive attention."""

import keras
from keras import ops

from keras_seq.layers._recurrent_cell_base import check_units
from keras_seq.layers.attention_base import AttentionBase


@keras.saving.register_keras_serializable(package="keras_seq")
class BahdanauAttention(AttentionBase):
    """Additive attention of a query over a memory (Bahdanau et al., 2015).

    `score(q, k) = v . tanh(W_q q + W_k k)`: learned query and key
    projections to `units` and a learned scoring vector `v`. With
    `normalize=True` the scoring vector is weight-normalized,
    `g * v / |v|` with a learned scalar `g`, and a bias joins the sum inside
    the `tanh` (Salimans & Kingma, 2016), which keeps scores well scaled
    early in training.

    The key projection depends only on the memory: `prepare_keys(value)`
    computes it once, and `attend(query, keys, value, value_mask)` scores one
    query step against it (`AttentionDecoderCell` uses the pair).

    Args:
        units: int > 0. Size of the projections.
        normalize: bool. Weight-normalized scoring vector plus bias.
            Default `False`.
        kernel_initializer: initializer of the projections and of `v`.
            Default `"glorot_uniform"`.

    Call arguments and Returns:
        as in `AttentionBase` (`context, weights = layer(query, value,
        value_mask)`; weights exactly 0 where `value_mask` is False).

    Examples:
        >>> query, value = np.ones((2, 3, 4)), np.ones((2, 5, 6))
        >>> context, weights = BahdanauAttention(8)(query, value)
        >>> context.shape, weights.shape
        ((2, 3, 6), (2, 3, 5))
    """

    def __init__(self, units, normalize=False, kernel_initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        self.units = check_units(units)
        self.normalize = bool(normalize)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)

    def build_scoring(self, query_dim, value_dim):
        init = self.kernel_initializer
        self.query_kernel = self.add_weight(name="query_kernel", shape=(query_dim, self.units), initializer=init)
        self.key_kernel = self.add_weight(name="key_kernel", shape=(value_dim, self.units), initializer=init)
        self.score_vector = self.add_weight(name="score_vector", shape=(self.units,), initializer="glorot_uniform")
        if self.normalize:
            self.score_gain = self.add_weight(
                name="score_gain", shape=(), initializer=keras.initializers.Constant(self.units**-0.5)
            )
            self.score_bias = self.add_weight(name="score_bias", shape=(self.units,), initializer="zeros")

    def prepare_keys(self, value):
        return ops.matmul(value, ops.cast(self.key_kernel, value.dtype))  # (B, Tv, U)

    def score(self, query, keys):
        dtype = keys.dtype
        q = ops.matmul(query, ops.cast(self.query_kernel, dtype))  # (B, Tq, U)
        hidden = ops.expand_dims(q, 2) + ops.expand_dims(keys, 1)  # (B, Tq, Tv, U)
        v = ops.cast(self.score_vector, dtype)
        if self.normalize:
            hidden = hidden + ops.cast(self.score_bias, dtype)
            v = ops.cast(self.score_gain, dtype) * v / ops.sqrt(ops.sum(v * v))
        return ops.sum(ops.tanh(hidden) * v, axis=-1)  # (B, Tq, Tv)

    def get_config(self):
        config = super().get_config()
        config.update(
            units=self.units,
            normalize=self.normalize,
            kernel_initializer=keras.initializers.serialize(self.kernel_initializer),
        )
        return config
