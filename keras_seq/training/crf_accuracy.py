"""Token accuracy of a CRF's best paths, as a Keras metric."""

import keras
from keras import ops

from keras_seq.ops.crf import crf_decode, crf_unpack


@keras.saving.register_keras_serializable(package="keras_seq")
class CRFAccuracy(keras.metrics.Metric):
    """The share of real tokens whose tag on the Viterbi path of a `CRF`'s
    packed scores is the gold tag, over every token since the last reset
    (not a mean of per-batch accuracies).

    Args:
        name: str. Default `"accuracy"`.
        dtype: the metric's variables' dtype.

    Call arguments (`update_state`):
        y_true: int `(B, T)` tag ids; padded steps may hold anything.
        y_pred: `(B, T, K+1, K)`, the `CRF` layer's output.
        sample_weight: optional `(B,)` weights of the sentences.

    Returns:
        `result()`: a scalar in [0, 1].

    Examples:
        >>> model.compile("adam", loss=CRFLoss(), metrics=[CRFAccuracy()])
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.correct = self.add_variable(shape=(), initializer="zeros", name="correct")
        self.count = self.add_variable(shape=(), initializer="zeros", name="count")

    def update_state(self, y_true, y_pred, sample_weight=None):
        tags, _ = crf_decode(y_pred)  # (B, T)
        _, mask = crf_unpack(y_pred)  # (B, T)
        weights = ops.cast(mask, self.dtype)
        if sample_weight is not None:
            weights = weights * ops.reshape(ops.cast(sample_weight, self.dtype), (-1, 1))
        hits = ops.cast(ops.equal(tags, ops.cast(y_true, "int32")), self.dtype) * weights  # (B, T)
        self.correct.assign_add(ops.sum(hits))
        self.count.assign_add(ops.sum(weights))

    def result(self):
        return ops.where(self.count > 0, self.correct / ops.maximum(self.count, 1e-12), 0.0)

    def reset_state(self):
        self.correct.assign(0.0)
        self.count.assign(0.0)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}
