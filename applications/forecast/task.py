"""The trained forecaster: forecast windows or the steps after a series,
evaluate beside the baselines on the same windows, plot, save, load,
export."""

import numpy as np

from keras_seq.applications import training
from keras_seq.applications.forecast import pictures, report
from keras_seq.applications.forecast.config import INFERENCE_BATCH_SIZE, ForecasterConfig
from keras_seq.applications.forecast.data import check_windows, read_source, split_parts
from keras_seq.applications.forecast.model import ForecasterHyperModel, build_forecaster, sizes
from keras_seq.applications.forecast.pipeline import window_batches
from keras_seq.applications.forecast.steps import SEASONS, calendar_columns, calendar_features, future_times
from keras_seq.applications.task import Task
from keras_seq.applications.training import Prepared
from keras_seq.errors import UserInputError
from keras_seq.training.forecast_baselines import LinearBaseline, auto_theta, repeat_last, seasonal_naive
from keras_seq.training.forecast_scores import (
    compare,
    coverage,
    mae,
    mase,
    mse,
    naive_scale,
    smape,
    weighted_quantile_loss,
)

SPLITS = ("validation", "test", "all")
THETA_WINDOWS = 5000  # windows AutoTheta is fitted on in evaluate (about 20 ms each here)


class Forecaster(Task):
    """A trained forecaster with its columns and scales: `forecast`,
    `predict_next`, `evaluate`, `plot`, `save`, `load`, `export`.

    Args:
        model: a model from `build_forecaster` (its config, columns and
            scales travel inside it).

    Examples:
        >>> forecaster = Forecaster.load("saved_models/forecast")
        >>> forecaster.predict_next("prices.csv")[0]["forecast"][:2]
        [[101.3], [101.6]]
    """

    config_class = ForecasterConfig
    builder = staticmethod(build_forecaster)
    hypermodel_class = ForecasterHyperModel
    serving = "keras_seq.applications.forecast.export:ForecasterModule"
    litert = "keras_seq.applications.forecast.litert:ForecasterLiteRT"

    def __init__(self, model):
        super().__init__(model)
        self.targets, self.past, self.futures = sizes(self.config)
        self.means = np.asarray(self.config.means, "float64")
        self.scales = np.asarray(self.config.scales, "float64")

    # ---------------------------------------------------------- forecasting
    def scale_targets(self, values):
        """Target values -> the training part's standardized scale."""
        c = self.targets
        return (np.asarray(values, "float64") - self.means[:c]) / self.scales[:c]

    def unscale(self, values, quantiles=False):
        """Model outputs (standardized) -> the original scale."""
        c = self.targets
        mean, scale = self.means[:c], self.scales[:c]
        if quantiles:
            mean, scale = mean[:, None], scale[:, None]
        return np.asarray(values, "float64") * scale + mean

    def _outputs(self, history, future=None):
        """The model's standardized outputs for raw windows, in batches."""
        out = []
        for start in range(0, len(history), INFERENCE_BATCH_SIZE):
            batch = [np.asarray(history[start : start + INFERENCE_BATCH_SIZE], "float32")]
            if self.futures:
                batch.append(np.asarray(future[start : start + INFERENCE_BATCH_SIZE], "float32"))
            out.append(np.asarray(self.model.predict_on_batch(batch if len(batch) > 1 else batch[0])))
        return np.concatenate(out)

    def point(self, outputs):
        """The point forecast of the outputs: the median quantile (the
        middle level) for a quantile model."""
        return outputs[..., self.config.median_index] if self.config.levels else outputs

    def forecast(self, history, future=None, quantiles=False):
        """Forecast after raw windows.

        Args:
            history: numbers `(L, K)` or `(B, L, K)`: the last `lookback`
                rows of the model's `columns` (targets, then covariates,
                then calendar features), as in the training file.
            future: with known-ahead covariates, `(H, F)` or `(B, H, F)`
                of them over the horizon; else None.
            quantiles: return every quantile `(.., H, C, Q)` instead of
                the point forecast (quantile models).

        Returns:
            float64 `(H, C)` or `(B, H, C)` (`(.., Q)` with `quantiles`),
            on the original scale.
        """
        history, single = self._check(history, (self.config.lookback, len(self.config.columns)), "history")
        if self.futures:
            if future is None:
                raise UserInputError(f"this forecaster reads {self.futures} known-ahead column(s): give `future`")
            future, _ = self._check(future, (self.config.horizon, self.futures), "future")
            if len(future) != len(history):
                raise UserInputError(f"{len(history)} history window(s) but {len(future)} future one(s)")
        if quantiles and not self.config.levels:
            raise UserInputError("this forecaster makes point forecasts; train it with --quantiles for intervals")
        outputs = self._outputs(history, future)
        result = self.unscale(outputs, quantiles=True) if quantiles else self.unscale(self.point(outputs))
        return result[0] if single else result

    @staticmethod
    def _check(values, shape, name):
        try:
            array = np.asarray(values, "float64")
        except (TypeError, ValueError):
            raise UserInputError(f"{name} must be numbers, shaped {shape} or (B, *{shape})") from None
        single = array.ndim == len(shape)
        if single:
            array = array[None]
        if array.ndim != len(shape) + 1 or tuple(array.shape[1:]) != tuple(shape) or len(array) == 0:
            raise UserInputError(f"{name} must be shaped {shape} or (B, *{shape}); got {tuple(np.shape(values))}")
        if not np.all(np.isfinite(array)):
            raise UserInputError(f"{name} holds NaN or infinite values")
        return array, single

    def read(self, source):
        """`source` read with the model's columns; other columns are refused."""
        series = read_source(source, self.config)
        if series.columns != self.config.columns:
            raise UserInputError(
                f"{series.description} has the columns {', '.join(series.columns)}; this model was trained on "
                f"{', '.join(self.config.columns)}"
            )
        return series

    def predict_next(self, source):
        """The `horizon` steps after the end of each series of `source` (a
        CSV with the training file's columns, or `embedded`).

        Returns:
            One dict per series: `series`, `times` (ISO timestamps, or step
            numbers without a time column), `columns`, `forecast` (rows of
            values), and for quantile models `lower` and `upper` (the outer
            levels) and `levels`.
        """
        series = source if hasattr(source, "values") else self.read(source)
        if len(self.config.future_covariates):
            raise UserInputError(
                "predict after the end of a file needs the known-ahead covariates over the horizon: call "
                "Forecaster.forecast(history, future) in Python"
            )
        out = []
        lookback, horizon = self.config.lookback, self.config.horizon
        for name, times, values in zip(series.names, series.times, series.values):
            if len(values) < lookback:
                raise UserInputError(f"{series.description}: {len(values)} rows, fewer than the lookback of {lookback}")
            ahead = future_times(times[-1], series.step, horizon) if times else None
            future = calendar_features(ahead, series.step)[None] if self.futures else None
            quantiles = bool(self.config.levels)
            result = self.forecast(values[-lookback:][None], future, quantiles=quantiles)[0]  # (H, C[, Q])
            item = {
                "series": name,
                "times": [t.isoformat() for t in ahead] if ahead else list(range(len(values), len(values) + horizon)),
                "columns": self.config.target,
                "forecast": np.round(self.point(result), 6).tolist(),
            }
            if quantiles:
                item.update(
                    levels=sorted(self.config.levels),
                    lower=np.round(result[..., 0], 6).tolist(),
                    upper=np.round(result[..., -1], 6).tolist(),
                )
            out.append(item)
        return out

    # ------------------------------------------------------------ evaluation
    def evaluate(self, data):
        """Every window of `data`'s part (stride 1), the model beside the
        baselines on the same windows: MSE and MAE on the standardized
        scale, MASE (against the training part's one-step random walk) and
        sMAPE on the original scale (with statsforecast installed and one
        target column, its AutoTheta is a baseline too, fitted on each of
        at most `THETA_WINDOWS` windows); for quantile models the outer
        interval's coverage and the weighted quantile loss. The model
        `beats_repeat_last` (and `beats_every_baseline`) only when its MSE
        is more than `MARGIN` (2%) below.

        Raises:
            UserInputError: no window fits, or other columns than training's.
        """
        if data.columns != self.config.columns:
            raise UserInputError(f"{data.description}: columns differ from training's ({', '.join(data.columns)})")
        config, c = self.config, self.targets
        check_windows(data, config, "evaluation")
        history, truth, future, _, _ = data.windows(config.lookback, config.horizon)
        outputs = self._outputs(history, future)
        train = split_parts(data, config)[0]
        scale = naive_scale(train.training_rows()[:, :c])
        season = config.season or SEASONS.get(data.step or "", 1)
        recent = history[..., :c]  # (N, L, C)
        linear = closed_form_linear(train, config)
        forecasts = {
            "model": self.unscale(self.point(outputs)),
            "repeat_last": repeat_last(recent, config.horizon),
            f"seasonal_naive_{season}": seasonal_naive(recent, config.horizon, season),
        }
        if linear is not None:
            forecasts["linear"] = self.unscale(linear.predict(self.scale_targets(recent)))
        if c == 1 and len(history) <= THETA_WINDOWS:  # one fit per window: single series, a bounded count
            theta = auto_theta(recent, config.horizon, season)  # None without statsforecast
            if theta is not None:
                forecasts["auto_theta"] = theta
        scaled_truth = self.scale_targets(truth)

        def scores(forecast):
            return {
                "mse": round(mse(scaled_truth, self.scale_targets(forecast)), 6),
                "mae": round(mae(scaled_truth, self.scale_targets(forecast)), 6),
                "mase": round(mase(truth, forecast, scale), 6),
                "smape": round(smape(truth, forecast), 4),
            }

        metrics = {**scores(forecasts.pop("model")), "windows": int(len(history)), "horizon": config.horizon}
        metrics["baselines"] = {name: scores(f) for name, f in forecasts.items()}
        if config.levels:
            every = self.unscale(outputs, quantiles=True)  # (N, H, C, Q)
            levels = sorted(config.levels)
            metrics["coverage"] = round(coverage(truth, every[..., 0], every[..., -1]), 2)
            metrics["nominal_coverage"] = round(100 * (levels[-1] - levels[0]), 2)
            metrics["weighted_quantile_loss"] = round(weighted_quantile_loss(truth, every, levels), 6)
        return compare(metrics)

    def describe(self, metrics):
        return report.describe(metrics)

    # ------------------------------------------------------------------ plots
    def plot(self, source, path, split="test"):
        """A PNG of the first series: its lookback, the forecast (and its
        interval) and the truth, at the last window of `split`
        (`validation`, `test`) or after the end of the data (`future`)."""
        series = self.read(source)
        config = self.config
        if split == "future":
            item = self.predict_next(series)[0]
            values, times = series.values[0], series.times[0]
            past = (times or list(range(len(values))))[-config.lookback :]
            ahead = future_times(times[-1], series.step, config.horizon) if times else item["times"]
            return pictures.plot_forecast(
                path, past, values[-config.lookback :, : self.targets], ahead, item, None, config.target
            )
        part = self.evaluation_examples(series, split)
        check_windows(part, config, split)
        history, truth, future, owners, starts = part.windows(config.lookback, config.horizon)
        i = int(np.flatnonzero(owners == 0)[-1])
        times = part.times[0] or list(range(len(part.values[0])))
        start = int(starts[i])
        quantiles = bool(config.levels)
        result = self.forecast(history[i], future[i] if self.futures else None, quantiles=quantiles)
        item = {"forecast": self.point(result) if quantiles else result}
        if quantiles:
            item.update(lower=result[..., 0], upper=result[..., -1])
        ahead = times[start + config.lookback : start + config.lookback + config.horizon]
        return pictures.plot_forecast(
            path,
            times[start : start + config.lookback],
            history[i][:, : self.targets],
            ahead,
            item,
            truth[i],
            config.target,
        )

    # -------------------------------------------------------------- training
    def encode_batch(self, *batch):
        """Raw `(history, targets)` or `(history, future, targets)` ->
        the model's inputs and standardized targets (TensorFlow ops)."""
        import tensorflow as tf  # data pipeline

        c = self.targets
        mean = tf.constant(self.means[:c], tf.float32)
        scale = tf.constant(self.scales[:c], tf.float32)
        inputs = tuple(tf.cast(x, tf.float32) for x in batch[:-1])
        targets = (tf.cast(batch[-1], tf.float32) - mean) / scale
        return (inputs if len(inputs) > 1 else inputs[0]), targets

    objective = "val_loss"

    @classmethod
    def read_examples(cls, source, split="train", **data_options):
        return read_source(source, data_options.get("config") or cls.config_class())

    @classmethod
    def training_examples(cls, source, config, **data_options):
        """`(train, validation)`: the chronological parts of each series."""
        train, validation, _ = split_parts(read_source(source, config), config)
        return train, validation

    def evaluation_examples(self, source, split="validation", validation_split=None, **data_options):
        """The part `evaluate --split` measures: `validation` (default),
        `test` or `all` (every window of the source)."""
        if split not in SPLITS:
            raise UserInputError(f"--split {split!r}: the forecaster's splits are {', '.join(SPLITS)}")
        config = self.config if validation_split is None else self.config.replace(validation_split=validation_split)
        series = source if hasattr(source, "values") else self.read(source)
        if split == "all":
            return series.with_parts([(0, len(v)) for v in series.values], "all")
        parts = split_parts(series, config)
        return parts[1] if split == "validation" else parts[2]

    @classmethod
    def prepare(cls, config, train, validation):
        rows = train.training_rows()
        means, scales = rows.mean(axis=0), rows.std(axis=0)
        calendar = len(calendar_columns(train.step)) if config.calendar else 0
        if calendar:  # sines and cosines as they are (a month's may not vary in a short training part)
            means[-calendar:], scales[-calendar:] = 0.0, 1.0
        constant = [name for name, s in zip(train.columns, scales) if not s > 1e-12]
        if constant:
            raise UserInputError(
                f"{train.description}: column {constant[0]!r} is constant in the training part (its scale is 0); "
                "drop it"
            )
        config = config.replace(
            target=train.columns[: train.targets],
            columns=list(train.columns),
            means=[float(v) for v in means],
            scales=[float(v) for v in scales],
            step=train.step,
        )
        check_windows(train, config, "training")
        check_windows(validation, config, "validation")
        windows = train.window_count(config.lookback, config.horizon)
        summary = (
            f"Data: {train.description.rsplit(' (', 1)[0]}; {len(train.values)} series, {train.targets} column(s) "
            f"forecast from {len(train.columns)}, step {train.step or 'none'}; {windows} training and "
            f"{validation.window_count(config.lookback, config.horizon)} validation windows of {config.lookback} -> "
            f"{config.horizon} steps."
        )
        assets = {}
        if config.linear_skip != "none" or config.blend < 1:  # the model holds the linear baseline's fit
            assets["linear_weights"] = closed_form_linear(train, config).weights.astype("float32")
        return Prepared(
            config,
            window_batches(train, config, shuffle=True),
            window_batches(validation, config, shuffle=False),
            assets,
            validation,
            summary,
        )

    def training_callbacks(self, prepared, print_fn=print, verbose=1):
        from keras_seq.training import BestWeights

        if not self.config.patience:
            return []
        return [BestWeights(self.config.monitor, mode="min", patience=self.config.patience, print_fn=print_fn)]


def closed_form_linear(part, config):
    """`LinearBaseline` fitted on the windows of `part` (the training
    part), standardized by `config`'s training statistics; None when no
    window fits."""
    if not part.window_count(config.lookback, config.horizon):
        return None
    history, truth, *_ = part.windows(config.lookback, config.horizon)
    c = part.targets
    mean, scale = np.asarray(config.means[:c]), np.asarray(config.scales[:c])
    return LinearBaseline().fit((history[..., :c] - mean) / scale, (truth - mean) / scale)


def train(config=None, data="embedded", **kwargs):
    """Train a forecaster on `data` (`embedded`, `embedded:NAME` or a CSV)
    and save it. Keyword arguments are those of
    `keras_seq.applications.training.train`.

    Returns:
        `(forecaster, history)`.
    """
    return training.train(Forecaster, config, data, **kwargs)


__all__ = ["Forecaster", "train"]
