"""Multiplicative (and concat) attention."""

import keras
from keras import ops

from keras_seq.layers._recurrent_cell_base import check_units
from keras_seq.layers.attention_base import AttentionBase

SCORE_MODES = ("dot", "general", "concat")


@keras.saving.register_keras_serializable(package="keras_seq")
class LuongAttention(AttentionBase):
    """Luong-style attention of a query over a memory (Luong et al., 2015).

    Score modes:
    - `"dot"`: `q . k`, no weights (query and value dims must match);
    - `"general"`: `q . (W k)` with a learned `W (Dv, Dq)`;
    - `"concat"`: `v . tanh(W [q; k])` with `W` of `units` outputs.

    `scale=True` multiplies the scores by a learned scalar (starting at 1).
    As in `BahdanauAttention`, the memory side of the score is computed once
    by `prepare_keys(value)` and each query step by `attend(...)`.

    Args:
        score_mode: `"dot"` (default), `"general"` or `"concat"`.
        units: int > 0, size of the `"concat"` projection; defaults to the
            value's feature size. Ignored by the other modes.
        scale: bool. A learned scalar multiplies the scores. Default `False`.
        kernel_initializer: initializer of the weights.
            Default `"glorot_uniform"`.

    Call arguments and Returns:
        as in `AttentionBase` (`context, weights = layer(query, value,
        value_mask)`; weights exactly 0 where `value_mask` is False).

    Examples:
        >>> query, value = np.ones((2, 3, 6)), np.ones((2, 5, 6))
        >>> context, weights = LuongAttention("general")(query, value)
        >>> context.shape, weights.shape
        ((2, 3, 6), (2, 3, 5))
    """

    def __init__(self, score_mode="dot", units=None, scale=False, kernel_initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        if score_mode not in SCORE_MODES:
            raise ValueError(f"`score_mode` must be one of {SCORE_MODES}; received score_mode={score_mode!r}.")
        self.score_mode = score_mode
        self.units = None if units is None else check_units(units)
        self.scale = bool(scale)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)

    def build_scoring(self, query_dim, value_dim):
        init = self.kernel_initializer
        if self.score_mode == "dot" and query_dim != value_dim:
            raise ValueError(
                "LuongAttention(score_mode='dot') needs query and value of the "
                f"same feature size; received {query_dim} and {value_dim}. "
                "Use score_mode='general' or 'concat'."
            )
        if self.score_mode == "general":
            self.key_kernel = self.add_weight(name="key_kernel", shape=(value_dim, query_dim), initializer=init)
        elif self.score_mode == "concat":
            units = self.units or value_dim
            self.query_kernel = self.add_weight(name="query_kernel", shape=(query_dim, units), initializer=init)
            self.key_kernel = self.add_weight(name="key_kernel", shape=(value_dim, units), initializer=init)
            self.score_vector = self.add_weight(name="score_vector", shape=(units,), initializer=init)
        if self.scale:
            self.score_scale = self.add_weight(name="score_scale", shape=(), initializer="ones")

    def prepare_keys(self, value):
        if self.score_mode == "dot":
            return value  # (B, Tv, D)
        return ops.matmul(value, ops.cast(self.key_kernel, value.dtype))  # (B, Tv, Dq or U)

    def score(self, query, keys):
        dtype = keys.dtype
        if self.score_mode == "concat":
            q = ops.matmul(query, ops.cast(self.query_kernel, dtype))  # (B, Tq, U)
            hidden = ops.tanh(ops.expand_dims(q, 2) + ops.expand_dims(keys, 1))  # (B, Tq, Tv, U)
            scores = ops.sum(hidden * ops.cast(self.score_vector, dtype), axis=-1)
        else:
            scores = ops.matmul(query, ops.transpose(keys, (0, 2, 1)))  # (B, Tq, Tv)
        if self.scale:
            scores = scores * ops.cast(self.score_scale, dtype)
        return scores

    def get_config(self):
        config = super().get_config()
        config.update(
            score_mode=self.score_mode,
            units=self.units,
            scale=self.scale,
            kernel_initializer=keras.initializers.serialize(self.kernel_initializer),
        )
        return config
