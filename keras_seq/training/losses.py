"""Sequence losses."""

import keras
from keras import ops


def _global_sum(value):
    """`value` summed over the replicas of a `tf.distribute` strategy when
    called in one of several replicas; `value` itself otherwise."""
    if keras.backend.backend() != "tensorflow":
        return value
    import tensorflow as tf

    context = tf.distribute.get_replica_context()
    if context is None or context.num_replicas_in_sync == 1:
        return value
    return context.all_reduce(tf.distribute.ReduceOp.SUM, value)


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
        ignore_class: int or None. Targets equal to it (e.g. the padding id
            0) do not count, whether or not the predictions carry a Keras
            mask: the loss is then the (sample-weighted) mean over the
            other targets, or with `reduction=None`/`"none"` the per-token
            losses with zeros at ignored targets.
        name, reduction: as in `keras.losses.Loss`.

    Examples:
        >>> model.compile("adam", SmoothedSparseCrossEntropy(0.1, ignore_class=0))
    """

    def __init__(
        self,
        label_smoothing=0.0,
        ignore_class=None,
        name="smoothed_sparse_cross_entropy",
        reduction="sum_over_batch_size",
    ):
        super().__init__(name=name, reduction=reduction)
        if not 0 <= label_smoothing < 1:
            raise ValueError(f"`label_smoothing` must be in [0, 1); received {label_smoothing}.")
        if ignore_class is not None and (isinstance(ignore_class, bool) or int(ignore_class) != ignore_class):
            raise ValueError(f"`ignore_class` must be an integer or None; received {ignore_class!r}.")
        self.label_smoothing = float(label_smoothing)
        self.ignore_class = None if ignore_class is None else int(ignore_class)

    def __call__(self, y_true, y_pred, sample_weight=None):
        if self.ignore_class is None:
            return super().__call__(y_true, y_pred, sample_weight=sample_weight)
        losses = self.call(y_true, y_pred)  # (...)
        weights = ops.cast(ops.not_equal(ops.cast(y_true, "int32"), self.ignore_class), "float32")  # (...)
        if sample_weight is not None:
            sample_weight = ops.cast(sample_weight, "float32")
            while len(sample_weight.shape) < len(weights.shape):
                sample_weight = ops.expand_dims(sample_weight, -1)
            weights = weights * sample_weight
        weighted = losses * weights
        if self.reduction in (None, "none"):
            return weighted
        if self.reduction == "sum":
            return ops.sum(weighted)
        # the mean over the kept targets of the whole (global) batch: under
        # tf.distribute each replica divides its sum by every replica's count,
        # so the replicas' gradients add up to one device's
        return ops.sum(weighted) / ops.maximum(_global_sum(ops.sum(weights)), 1e-7)

    def call(self, y_true, y_pred):
        logits = ops.cast(y_pred, "float32")  # (..., V)
        # The fused sparse cross-entropy: no (..., V) log-probabilities to
        # keep for the backward pass (about 2x faster over 8,000 classes).
        nll = ops.sparse_categorical_crossentropy(ops.cast(y_true, "int32"), logits, from_logits=True)  # (...)
        if not self.label_smoothing:
            return nll
        uniform = ops.logsumexp(logits, axis=-1) - ops.mean(logits, axis=-1)  # (...) = -mean(log p)
        return (1.0 - self.label_smoothing) * nll + self.label_smoothing * uniform

    def get_config(self):
        return {
            "label_smoothing": self.label_smoothing,
            "ignore_class": self.ignore_class,
            "name": self.name,
            "reduction": self.reduction,
        }
