"""Pools a sequence into one vector with learned attention weights."""

import keras
from keras import ops

from keras_seq.layers._recurrent_cell_base import check_units
from keras_seq.layers.bahdanau_attention import BahdanauAttention


@keras.saving.register_keras_serializable(package="keras_seq")
class AttentionPooling(keras.layers.Layer):
    """Attention pooling: a learned query attends over the sequence.

    `weights = softmax_t(v . tanh(W_q q + W_k h_t))` with a learned query `q`
    (a `BahdanauAttention` inside), and the output is `sum_t weights_t h_t`.
    Masked steps (e.g. padding, from `Embedding(mask_zero=True)`) get weight
    exactly 0, so the weights say which real tokens the pooled vector came
    from: a sentiment classifier's explanation.

    Args:
        units: int > 0. Size of the attention's projections.
        return_weights: bool. Also return the weights. Default `False`.

    Call arguments:
        inputs: `(B, T, D)`.
        mask: bool `(B, T)` or None: the real steps. Pass it explicitly
            (e.g. `PaddingMask()(ids)`).

    Returns:
        `(B, D)`, and the weights `(B, T)` if `return_weights=True`.

    Examples:
        >>> pooled = AttentionPooling(32)(np.ones((2, 5, 8)))
        >>> pooled.shape
        (2, 8)
    """

    def __init__(self, units, return_weights=False, **kwargs):
        super().__init__(**kwargs)
        self.units = check_units(units)
        self.return_weights = bool(return_weights)
        self.attention = BahdanauAttention(units, name="attention")
        self.supports_masking = True

    def build(self, inputs_shape):
        self.query = self.add_weight(name="query", shape=(self.units,), initializer="glorot_uniform")
        self.attention.build((inputs_shape[0], self.units), tuple(inputs_shape))

    def call(self, inputs, mask=None):
        batch = ops.shape(inputs)[0]
        query = ops.broadcast_to(ops.cast(self.query, inputs.dtype), (batch, self.units))  # (B, Q)
        pooled, weights = self.attention(query, inputs, value_mask=mask)  # (B, D), (B, T)
        return (pooled, weights) if self.return_weights else pooled

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, inputs_shape):
        pooled = (inputs_shape[0], inputs_shape[-1])
        return (pooled, (inputs_shape[0], inputs_shape[1])) if self.return_weights else pooled

    def get_config(self):
        config = super().get_config()
        config.update(units=self.units, return_weights=self.return_weights)
        return config
