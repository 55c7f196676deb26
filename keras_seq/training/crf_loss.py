"""The negative log-likelihood of a CRF, as a Keras loss."""

import keras
from keras import ops

from keras_seq.ops.crf import crf_log_likelihood, crf_unpack
from keras_seq.training.losses import _global_sum


@keras.saving.register_keras_serializable(package="keras_seq")
class CRFLoss(keras.losses.Loss):
    """The negative log-likelihood of the gold tag paths under a `CRF`,
    averaged over the sentences of the batch (of the global batch under
    `tf.distribute`: each replica divides its sum by the count of all the
    replicas' sentences, as `SequenceLoss` divides by all their tokens).

    It reads the CRF's packed scores alone (the mask is inside them), so
    it needs no reference to the layer and round-trips through
    `get_config`. A sentence without a real token counts for nothing.

    Args:
        name: the loss' name. Default `"crf_loss"`.

    Call arguments:
        y_true: int `(B, T)` tag ids; padded steps may hold anything.
        y_pred: `(B, T, K+1, K)`, the `CRF` layer's output.
        sample_weight: optional `(B,)` weights of the sentences.

    Returns:
        A scalar.

    Examples:
        >>> model.compile("adam", loss=CRFLoss(), metrics=[CRFAccuracy()])
    """

    def __init__(self, name="crf_loss"):
        super().__init__(name=name, reduction="sum")

    def __call__(self, y_true, y_pred, sample_weight=None):
        log_likelihood, _ = crf_log_likelihood(y_pred, y_true)  # (B,)
        _, mask = crf_unpack(y_pred)
        weights = ops.cast(ops.sum(mask, axis=1) > 0.5, log_likelihood.dtype)  # (B,): sentences with a token
        if sample_weight is not None:
            weights = weights * ops.reshape(ops.cast(sample_weight, log_likelihood.dtype), (-1,))
        total = _global_sum(ops.sum(weights))
        safe = ops.where(ops.equal(total, 0), ops.ones_like(total), total)
        return -ops.sum(log_likelihood * weights) / safe

    def call(self, y_true, y_pred):
        return self(y_true, y_pred)

    def get_config(self):
        return {"name": self.name}
