"""Language-model metrics from logits and integer targets."""

import math

import keras
from keras import ops


class _TokenCrossEntropy(keras.metrics.Metric):
    """Running mean of the per-token cross-entropy (nats)."""

    def __init__(self, name, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", name="count")

    def update_state(self, y_true, y_pred, sample_weight=None):
        loss = keras.losses.sparse_categorical_crossentropy(y_true, y_pred, from_logits=True)  # (B, T)
        loss = ops.cast(loss, "float32")
        weight = (
            ops.ones_like(loss) if sample_weight is None else ops.cast(sample_weight, "float32") * ops.ones_like(loss)
        )
        self.total.assign_add(ops.sum(loss * weight))
        self.count.assign_add(ops.sum(weight))

    def mean(self):
        return self.total / ops.maximum(self.count, 1.0)

    def reset_state(self):
        self.total.assign(0.0)
        self.count.assign(0.0)


@keras.saving.register_keras_serializable(package="keras_seq")
class BitsPerChar(_TokenCrossEntropy):
    """Mean cross-entropy per character in bits (nats / ln 2), from logits.

    The mean runs over every character of every batch since the last
    reset (weighted by `sample_weight`), not over per-batch means.

    Args:
        name: str. The metric's name in the logs. Default `"bits_per_char"`.
        dtype: the metric's variables' dtype. Default the float policy's.

    Call arguments (`update_state`):
        y_true: int `(B, T)` character ids.
        y_pred: logits `(B, T, V)`.
        sample_weight: optional `(B, T)` (or broadcastable) weights.

    Returns:
        `result()`: a scalar, bits per character.

    Examples:
        >>> model.compile("adam", loss=..., metrics=[BitsPerChar(), Perplexity()])
        >>> metric = BitsPerChar()
        >>> metric.update_state(np.array([[0, 1]]), np.zeros((1, 2, 4)))  # uniform over 4: 2 bits
        >>> float(metric.result())
        2.0
    """

    def __init__(self, name="bits_per_char", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def result(self):
        return self.mean() / math.log(2.0)


@keras.saving.register_keras_serializable(package="keras_seq")
class Perplexity(_TokenCrossEntropy):
    """`exp` of the mean cross-entropy per token, from logits.

    The exponential of the mean over every token since the last reset
    (not the mean of per-batch perplexities), weighted by `sample_weight`.

    Args:
        name: str. Default `"perplexity"`.
        dtype: as for `BitsPerChar`.

    Call arguments (`update_state`):
        y_true, y_pred, sample_weight: token ids `(B, T)`, logits
            `(B, T, V)` and optional weights, as for `BitsPerChar` (a weight
            of 0 leaves a padding token out).

    Returns:
        `result()`: a scalar, the perplexity.

    Examples:
        >>> model.compile("adam", loss=..., metrics=[Perplexity()])
        >>> metric = Perplexity()
        >>> metric.update_state(np.array([[3, 1]]), np.zeros((1, 2, 5)))  # uniform over 5
        >>> round(float(metric.result()), 4)
        5.0
    """

    def __init__(self, name="perplexity", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def result(self):
        return ops.exp(self.mean())
