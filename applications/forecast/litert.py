"""LiteRT export of a forecaster: raw windows in, forecasts out."""

import tensorflow as tf

from keras_seq.applications.forecast.export import ForecasterModule
from keras_seq.export.litert import convert_function


class ForecasterLiteRT:
    """The serving module's `forecast` for LiteRT: the same inputs and
    outputs (the standardization and its undoing inside), one window per
    call. An LSTM encoder becomes the fused op, a GRU one (the default) a
    `WHILE` loop of built-in ops.

    Args:
        forecaster: a `Forecaster`.
    """

    def __init__(self, forecaster):
        self.forecaster = forecaster
        self.module = ForecasterModule(forecaster)

    def write(self, path, quantize="none"):
        """Convert to `path` (see `keras_seq.export.litert.convert_function`)."""
        forecast = self.module.forecast
        specs = [tf.TensorSpec([1, *spec.shape[1:]], spec.dtype, name=spec.name) for spec in forecast.input_signature]
        variables = self.forecaster.model.variables
        return convert_function(forecast.python_function, specs, path, quantize, variables=variables)

    def assets(self):
        """`forecaster.json`: the columns, the lookback and the horizon."""
        config = self.forecaster.config
        return {
            "forecaster.json": {
                "columns": list(config.columns),
                "forecast_columns": list(config.columns[: self.forecaster.targets]),
                "lookback": config.lookback,
                "horizon": config.horizon,
                "how": "history: float32 [1, lookback, len(columns)], the last lookback rows in the columns' order, "
                "raw values (the model standardizes them); with known-ahead columns, future: float32 [1, horizon, "
                "F]. forecast: float32 [1, horizon, len(forecast_columns)], raw values.",
            }
        }
