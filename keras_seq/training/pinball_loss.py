"""The pinball (quantile) loss."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_seq")
class PinballLoss(keras.losses.Loss):
    """The pinball loss of quantile forecasts: for level q and error
    `e = y - ŷ_q`, `max(q·e, (q-1)·e)`, averaged over the quantiles and
    every value. Its minimum is at the true q-quantile, so a model trained
    on levels 0.1 and 0.9 gives an 80% interval.

    Args:
        quantiles: the levels, each in (0, 1), in the order of the
            predictions' last axis.

    Call arguments:
        y_true: `(B, H, C)`.
        y_pred: `(B, H, C, Q)`.

    Returns:
        The loss, reduced over the batch as Keras reduces every loss (per
        replica over the global batch under `tf.distribute`).

    Examples:
        >>> model.compile(loss=PinballLoss([0.1, 0.5, 0.9]))
    """

    def __init__(self, quantiles, name="pinball_loss", **kwargs):
        super().__init__(name=name, **kwargs)
        quantiles = [float(q) for q in quantiles]
        if not quantiles or not all(0 < q < 1 for q in quantiles):
            raise ValueError(f"`quantiles` must be levels in (0, 1); received quantiles={quantiles!r}.")
        self.quantiles = quantiles

    def call(self, y_true, y_pred):
        levels = ops.convert_to_tensor(self.quantiles, dtype=y_pred.dtype)  # (Q,)
        errors = ops.expand_dims(ops.cast(y_true, y_pred.dtype), -1) - y_pred  # (B, H, C, Q)
        loss = ops.maximum(levels * errors, (levels - 1.0) * errors)  # (B, H, C, Q)
        return ops.mean(ops.reshape(loss, (ops.shape(loss)[0], -1)), axis=-1)  # (B,)

    def get_config(self):
        return {**super().get_config(), "quantiles": self.quantiles}
