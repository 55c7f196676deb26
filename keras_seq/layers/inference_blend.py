"""At inference, a trained model's forecast moved part of the way toward a
reference forecast (a closed-form baseline); in training, the model's own."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_seq")
class InferenceBlend(keras.layers.Layer):
    """Training sees the model's forecast alone; validation, `predict` and
    the export see `weight * forecast + (1 - weight) * reference`.

    Blending the forecasts of two different models lowers the squared
    error when their errors are not the same (forecast combination). Here
    the reference is a fixed closed-form fit, so at inference the blend
    shrinks what training changed toward it, and training is unaffected:
    the loss and its gradients see the model's forecast as if the blend
    were not there. Because validation runs at inference, early stopping
    and the kept epoch judge the blended forecast.

    For a quantile forecast `(B, H, C, Q)`, every quantile moves by the
    same amount, the blend of the median's move toward the reference: the
    interval keeps its width and its order, and only its centre moves.

    Args:
        weight: float in (0, 1]: the trained forecast's share at
            inference; 1 leaves it as it is.
        median_index: None for point forecasts; for quantile forecasts,
            the index of the median along the last axis.

    Call arguments:
        forecast: float `(B, H, C)`, or `(B, H, C, Q)` with
            `median_index`: the trained model's.
        reference: float `(B, H, C)`: the forecast to move toward.
        training: Keras' flag; in training the forecast passes unchanged.

    Returns:
        The forecast's shape: the forecast in training, the blend
        otherwise.

    Examples:
        >>> blend = InferenceBlend(0.5)
        >>> outputs = blend(model_forecast, linear_forecast)  # (B, H, C)
    """

    def __init__(self, weight=0.5, median_index=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= 1:
            raise ValueError(f"`weight` must be a number in (0, 1]; received weight={weight!r}.")
        if median_index is not None and (isinstance(median_index, bool) or not isinstance(median_index, int)):
            raise ValueError(f"`median_index` must be None or an int; received median_index={median_index!r}.")
        self.weight = float(weight)
        self.median_index = median_index

    def call(self, forecast, reference, training=None):
        if training or self.weight == 1.0:
            return forecast
        reference = ops.cast(reference, forecast.dtype)
        if self.median_index is None:
            return self.weight * forecast + (1.0 - self.weight) * reference  # (B, H, C)
        median = forecast[..., self.median_index]  # (B, H, C)
        move = (1.0 - self.weight) * (reference - median)  # (B, H, C)
        return forecast + ops.expand_dims(move, -1)  # (B, H, C, Q)

    def compute_output_spec(self, forecast, reference, training=None):
        return keras.KerasTensor(forecast.shape, dtype=forecast.dtype)

    def get_config(self):
        return {**super().get_config(), "weight": self.weight, "median_index": self.median_index}
