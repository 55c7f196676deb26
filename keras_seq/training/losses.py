"""Sequence losses."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_seq")
class SmoothedSparseCrossEntropy(keras.losses.Loss):
    """Sparse categorical cross-entropy from logits with label smoothing.

    The target distribution puts `1 - label_smoothing` on the true class and
    spreads `label_smoothing` evenly over all classes (Szegedy et al., 2016),
    as `keras.losses.CategoricalCrossentropy(label_smoothing=...)` does for
    one-hot targets, without building the one-hot tensor. Keras masks (e.g.
    target padding) weight the per-token losses as usual.

    Args:
        label_smoothing: float in [0, 1).

    Example:
    >>> model.compile("adam", SmoothedSparseCrossEntropy(0.1))
    """

    def __init__(self, label_smoothing=0.0, name="smoothed_sparse_cross_entropy", reduction="sum_over_batch_size"):
        super().__init__(name=name, reduction=reduction)
        if not 0 <= label_smoothing < 1:
            raise ValueError(f"`label_smoothing` must be in [0, 1); received {label_smoothing}.")
        self.label_smoothing = float(label_smoothing)

    def call(self, y_true, y_pred):
        logp = ops.log_softmax(ops.cast(y_pred, "float32"), axis=-1)  # (..., V)
        true = ops.expand_dims(ops.cast(y_true, "int32"), -1)
        nll = -ops.squeeze(ops.take_along_axis(logp, true, axis=-1), -1)  # (...)
        if not self.label_smoothing:
            return nll
        uniform = -ops.mean(logp, axis=-1)
        return (1.0 - self.label_smoothing) * nll + self.label_smoothing * uniform

    def get_config(self):
        return {"label_smoothing": self.label_smoothing, "name": self.name, "reduction": self.reduction}
