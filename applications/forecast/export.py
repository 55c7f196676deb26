"""SavedModel export of a forecaster: raw windows in, forecasts out."""

import tensorflow as tf

from keras_seq.applications.forecast.model import sizes


class ForecasterModule(tf.Module):
    """Serving module: the standardization, the model and its undoing all
    run in the graph.

    Signatures `forecast(history: float32[B, L, K][, future: float32[B, H,
    F]]) -> {"forecast": float32[B, H, C]}` (and, for quantile models,
    `"quantiles": float32[B, H, C, Q]`, ascending), and `serving_default`
    (the same). `K` is the model's columns in training order, `F` its
    known-ahead ones (calendar features included, as sines and cosines).
    """

    signatures = ("forecast", "serving_default")

    def __init__(self, forecaster):
        super().__init__()
        config = forecaster.config
        c, _, f = sizes(config)
        self.model = forecaster.model  # tracked: the weights
        self.mean = tf.constant(forecaster.means[:c], tf.float32)
        self.scale = tf.constant(forecaster.scales[:c], tf.float32)
        self.median = config.median_index
        self.quantiles = bool(config.levels)
        history = tf.TensorSpec([None, config.lookback, len(config.columns)], tf.float32, name="history")
        specs = [history] + ([tf.TensorSpec([None, config.horizon, f], tf.float32, name="future")] if f else [])
        self.forecast = tf.function(self._forecast, input_signature=specs)
        self.serving_default = tf.function(self._forecast, input_signature=specs)

    def _forecast(self, history, future=None):
        inputs = [history, future] if future is not None else history
        outputs = self.model(inputs, training=False)  # (B, H, C) or (B, H, C, Q), standardized
        if not self.quantiles:
            return {"forecast": outputs * self.scale + self.mean}
        every = outputs * self.scale[:, None] + self.mean[:, None]  # (B, H, C, Q)
        return {"forecast": every[..., self.median], "quantiles": every}
