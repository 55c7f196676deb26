"""The forecaster's settings, with defaults (and, from them, its flags)."""

import dataclasses
import typing

import numpy as np

from keras_seq.applications.config import AppConfig, field
from keras_seq.errors import UserInputError

CELLS = ("gru", "lstm")
CHANNELS = ("independent", "mixing")
SHIFTS = ("last", "mean")
LOSSES = ("mse", "mae")
PROTOCOLS = ("fractions", "ett")
DECODERS = ("parallel", "recursive")
LINEAR_SKIPS = ("frozen", "trained", "none")
ATTENTIONS = ("none", "bahdanau", "luong")
MAX_STEPS = 100_000  # a lookback or horizon beyond this is a typo, not a forecast
INFERENCE_BATCH_SIZE = 512  # windows per batch when forecasting and evaluating


@dataclasses.dataclass
class ForecasterConfig(AppConfig):
    """Everything `build_forecaster` and training need.

    Attributes:
        target: the columns to forecast; empty: every numeric column that
            is not a covariate (set from the data).
        time_column: the timestamps' column; None: found by name (`date`,
            `time`, `timestamp`, ...) or the first column when it holds dates.
        past_covariates: columns known only up to now (inputs, not forecast).
        future_covariates: columns known ahead (holidays, planned load):
            the model reads their values over the horizon.
        calendar: add the timestamps' hour, weekday and month (as sines and
            cosines) as future covariates.
        series_column: a column naming the series of a long file (one
            global model over all of them); None: one series.
        fill: fill missing values by linear interpolation (with a count);
            False refuses them.
        protocol: `"fractions"` (chronological `validation_split` and
            `test_split`, or `split_at`) or `"ett"` (the long-horizon
            benchmark's 12 / 4 / 4 months of hours).
        validation_split, test_split: the last parts of each series held
            out, validation before test.
        split_at: None, or `"T1,T2"`: validation starts at timestamp T1 and
            test at T2.
        lookback, horizon: steps read and steps forecast.
        segment_length: steps per segment of the encoder and the decoder;
            the lookback must be a multiple.
        season: steps per season of the seasonal naive baseline; None:
            from the step (24 for hours, 7 for days, 52 for weeks, 12 for
            months).
        cell, units: the recurrent encoder and the decoder's cell.
        channels: `"independent"` (each column its own sequence, shared
            weights) or `"mixing"` (all columns in one sequence).
        decoder: `"parallel"` (`ParallelSegmentDecoder`: every future
            segment from one cell step) or `"recursive"`
            (`RecursiveSegmentDecoder`: one segment after another).
        attention: `"none"`, `"bahdanau"` or `"luong"`: the parallel
            decoder's segments attend over the encoder's outputs.
        linear_skip: add a linear map from each column's shifted lookback
            to its horizon, the closed-form fit of the linear baseline
            (see `build_forecaster`): `"trained"` on from there (the
            default), `"frozen"` as it is, or `"none"`.
        blend: the trained model's share of the forecast at inference
            (validation, `predict`, `evaluate`, the export), the rest the
            closed-form linear map's (`InferenceBlend`); training sees the
            model's own forecast. 1: the model alone.
        shift: subtract each window's `"last"` value or its `"mean"`, and
            add it back to the forecast.
        loss: `"mae"` (the default: lower test MSE on ETTh2 than training
            on MSE itself, as SegRNN found) or `"mse"`, for point forecasts.
        quantiles: empty for point forecasts, or levels such as
            `[0.1, 0.5, 0.9]`: the pinball loss, and intervals between the
            outer levels.
        dropout: on the decoder's states.
        columns, means, scales: set from the data (the training part's
            per-column mean and deviation; covariates after the targets).
        step: the series' step, set from the data (`"1h"`, `"1d"`,
            `"1b"` business days, `"1mo"`, ...; None without timestamps).
    """

    app = "forecast"
    default_epochs = 30
    noun = "forecaster"

    target: list = field([], "columns to forecast; empty: every numeric column that is not a covariate")
    time_column: typing.Optional[str] = field(None, "the timestamps' column; none: found by name")
    past_covariates: list = field([], "columns known only up to now (read, not forecast)")
    future_covariates: list = field([], "columns known ahead (read over the horizon too)")
    calendar: bool = field(False, "add hour, weekday and month of the timestamps as future covariates")
    series_column: typing.Optional[str] = field(None, "a column naming the series of a long file; none: one series")
    fill: bool = field(True, "fill missing values by interpolation (with a count); --no-fill refuses them")
    protocol: str = field(
        "fractions", "how the series is split: by fractions (or --split-at), or ETT's 12/4/4 months", choices=PROTOCOLS
    )
    validation_split: float = field(0.1, "the part of each series held out for validation", bound="fraction")
    test_split: float = field(0.2, "the last part of each series, held out for testing", bound="fraction")
    split_at: typing.Optional[str] = field(None, "T1,T2: validation starts at timestamp T1, test at T2")
    lookback: int = field(336, "steps the model reads", maximum=MAX_STEPS)
    horizon: int = field(96, "steps the model forecasts", maximum=MAX_STEPS)
    segment_length: int = field(24, "steps per segment of the encoder and the decoder", maximum=MAX_STEPS)
    season: typing.Optional[int] = field(None, "steps per season of the seasonal naive baseline; none: from the step")
    cell: str = field("gru", "recurrent cell", choices=CELLS)
    units: int = field(128, "units of the encoder and the decoder cell")
    channels: str = field("independent", "each column its own sequence, or all in one", choices=CHANNELS)
    decoder: str = field(
        "parallel", "every future segment at once, or one after another fed the last", choices=DECODERS
    )
    attention: str = field(
        "none", "the parallel decoder's segments also attend over the encoder's outputs", choices=ATTENTIONS
    )
    linear_skip: str = field(
        "trained",
        "add a linear map of the lookback, started at the closed-form fit and trained on (or frozen there); the RNN "
        "learns what it misses",
        choices=LINEAR_SKIPS,
    )
    blend: float = field(
        0.5,
        "the trained model's share of the forecast at inference, the rest the closed-form linear map's (1: the "
        "model alone)",
        bound=None,
    )
    shift: str = field("last", "subtract each window's last value or mean, and add it back", choices=SHIFTS)
    loss: str = field("mae", "loss of point forecasts", choices=LOSSES)
    quantiles: list = field([], "quantile levels (e.g. 0.1,0.5,0.9) for intervals; empty: point forecasts")
    dropout: float = field(0.1, "dropout on the decoder's states", bound="rate")
    learning_rate: float = field(3e-4, "Adam's learning rate", bound="positive")
    clipnorm: float = field(1.0, "clip gradients by this global norm; 0 disables")
    batch_size: int = field(64, "windows per training batch")
    epochs: typing.Optional[int] = field(
        None, "passes over the training windows; none: {default_epochs}, or until --time-budget runs out"
    )
    patience: int = field(
        5,
        "early stopping after this many epochs without a lower validation MSE (loss); 0 disables",
        bound="non_negative",
    )
    seed: int = field(0, "seed of the weights, the shuffling and the dropout", bound=None)
    columns: list = field([], "the model's columns, set from the data", flag=False)
    means: list = field([], "the training part's column means, set from the data", flag=False)
    scales: list = field([], "the training part's column deviations, set from the data", flag=False)
    step: typing.Optional[str] = field(None, "the series' step, set from the data", flag=False)

    @property
    def covariates(self):
        return list(self.past_covariates) + list(self.future_covariates)

    @property
    def monitor(self):
        """What early stopping watches: the validation MSE (the error
        `evaluate` reports first) when the loss is MAE, else the
        validation loss (MSE, or the pinball loss of quantiles)."""
        return "val_mse" if self.loss == "mae" and not self.levels else "val_loss"

    @property
    def levels(self):
        """The quantile levels as floats (empty for point forecasts)."""
        return [float(q) for q in self.quantiles]

    @property
    def median_index(self):
        """The position of the level nearest 0.5 among the sorted quantiles
        (the point forecast of a quantile model); None for point forecasts."""
        levels = sorted(self.levels)
        return int(np.argmin(np.abs(np.asarray(levels) - 0.5))) if levels else None

    def validate(self):
        self.check_fields()
        try:
            levels = self.levels
        except (TypeError, ValueError):
            raise UserInputError(f"quantiles must be numbers in (0, 1); got {self.quantiles!r}") from None
        if any(not 0 < q < 1 for q in levels) or len(set(levels)) != len(levels):
            raise UserInputError(f"quantiles must be distinct levels in (0, 1); got {self.quantiles!r}")
        if levels and len(levels) < 2:
            raise UserInputError("give at least two quantiles (e.g. 0.1,0.9): an interval needs both ends")
        if isinstance(self.blend, bool) or not isinstance(self.blend, (int, float)) or not 0 < self.blend <= 1:
            raise UserInputError(f"blend must be a number in (0, 1]; got {self.blend!r}")
        if self.lookback % self.segment_length:
            raise UserInputError(
                f"lookback ({self.lookback}) must be a multiple of segment_length ({self.segment_length})"
            )
        if self.attention != "none" and self.decoder == "recursive":
            raise UserInputError("attention goes with the parallel decoder; drop --attention or --decoder recursive")
        if self.validation_split + self.test_split >= 0.9:
            raise UserInputError(
                f"validation_split + test_split leave too little to train on ({self.validation_split} + "
                f"{self.test_split})"
            )
        overlap = set(self.target) & set(self.covariates)
        if overlap:
            raise UserInputError(f"column {sorted(overlap)[0]!r} is both a target and a covariate")
        if self.split_at is not None and len([t for t in str(self.split_at).split(",") if t.strip()]) != 2:
            raise UserInputError(f"split_at must be two timestamps, T1,T2; got {self.split_at!r}")
        return self
