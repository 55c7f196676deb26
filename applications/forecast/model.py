"""The forecaster's builder and its keras-tuner HyperModel."""

import keras
import numpy as np

from keras_seq.applications.forecast.config import ForecasterConfig
from keras_seq.applications.hypermodel import TaskHyperModel
from keras_seq.applications.task import AppModel
from keras_seq.layers import (
    InferenceBlend,
    InstanceShift,
    ParallelSegmentDecoder,
    RecursiveSegmentDecoder,
    SeriesSegments,
    make_recurrent,
)
from keras_seq.training import PinballLoss


def sizes(config):
    """`(C, P, F)`: the model's target, past-only and known-ahead columns
    (the calendar features among the last)."""
    targets = len(config.target)
    futures = len(config.columns) - targets - len(config.past_covariates)
    return targets, len(config.columns) - targets - futures, futures


def build_forecaster(config, linear_weights=None):
    """Raw lookback windows in (and known-ahead covariates over the
    horizon, if any); the forecast on the training part's standardized
    scale out.

    The windows are standardized by the training part's column means and
    deviations (inside the model), each target column is shifted by its
    window's last value (or mean), cut into segments (one sequence per
    column, or one for all), embedded, and read by our GRU or LSTM; the
    parallel segment decoder forecasts every segment of the horizon at
    once from the encoder's state, and the shift is added back. Its
    outputs are `(B, H, C)`, or `(B, H, C, Q)` for quantiles; the task and
    the export undo the standardization.

    With `blend` below 1, the forecast at inference (validation, predict,
    the export) is `blend` times the model's plus the rest times that
    closed-form linear map's (`InferenceBlend`); training sees the
    model's own.

    With `linear_skip` (`"trained"`, the default, or `"frozen"`), a linear
    map from each column's shifted lookback to its horizon (`Dense`,
    shared by the columns) is added to the decoder's forecast. It is
    `linear_weights`, the closed-form fit of the linear baseline on the
    training windows, and the decoder's projection starts at zero: the
    untrained model is the linear baseline, and the recurrent network
    learns what the linear map misses.

    Args:
        config: a `ForecasterConfig` whose `target`, `columns`, `means`
            and `scales` are set (from the data).
        linear_weights: None, or the `(L + 1, H)` weights and bias of
            `LinearBaseline` fitted on the standardized training windows
            (the task's `prepare` computes them); None starts the linear
            map at 0 (repeating the last value).

    Returns:
        A compiled `AppModel` whose metadata holds the config.
    """
    config.validate()
    if not config.target or len(config.means) != len(config.columns):
        raise ValueError("build_forecaster needs a config whose target, columns, means and scales are set (prepare)")
    keras.utils.set_random_seed(config.seed)
    c, p, f = sizes(config)
    means = np.asarray(config.means, "float32")
    variances = np.square(np.asarray(config.scales, "float32"))
    history = keras.Input((config.lookback, len(config.columns)), name="history")
    inputs = [history]
    x = keras.layers.Normalization(axis=-1, mean=means, variance=variances, name="scaling")(history)  # (B, L, K)
    shift = InstanceShift(config.shift, name="shift")
    shifted, reference = shift(x[..., :c])  # (B, L, C), (B, 1, C)
    covariates = x[..., c:] if p + f else None  # (B, L, P + F)
    independent = config.channels == "independent"
    segments = SeriesSegments(config.segment_length, independent=independent, name="segments")(
        shifted, covariates
    )  # (B*C, N, W + W*(P+F)) or (B, N, W*K)
    embedded = keras.layers.Dense(config.units, activation="relu", name="segment_embedding")(segments)  # (.., N, U)
    attention = None if config.attention == "none" else config.attention
    encoder = make_recurrent(
        config.cell, config.units, return_sequences=bool(attention), return_state=True, seed=config.seed, name="encoder"
    )
    memory, *states = encoder(embedded)  # (B*C, N, U) with attention, and the final state(s) (B*C, U)
    future = None
    if f:
        future_input = keras.Input((config.horizon, f), name="future")
        inputs.append(future_input)
        future = keras.layers.Normalization(
            axis=-1, mean=means[c + p :], variance=variances[c + p :], name="future_scaling"
        )(future_input)  # (B, H, F)
    levels = config.levels
    decoder_class = RecursiveSegmentDecoder if config.decoder == "recursive" else ParallelSegmentDecoder
    decoder = decoder_class(
        config.horizon,
        config.segment_length,
        c,
        config.units,
        cell=config.cell,
        quantiles=max(len(levels), 1),
        independent=independent,
        dropout=config.dropout,
        seed=config.seed,
        attention=attention,
        projection_initializer="glorot_uniform"
        if config.linear_skip == "none"
        else "zeros",  # at first, the linear map
        name="decoder",
    )
    outputs = decoder(states, future, memory if attention else None)  # (B, H, C) or (B, H, C, Q)
    if config.linear_skip != "none":
        closed_form = linear_weights if config.shift == "last" else None  # the closed form subtracts the last value
        trainable = config.linear_skip == "trained"
        linear = linear_map(shifted, config.horizon, closed_form, trainable, "linear_skip")  # (B, H, C)
        outputs = outputs + (linear[..., None] if levels else linear)
    outputs = shift(outputs, reference=reference)
    if config.blend < 1:  # at inference, part of the way toward the closed-form linear map
        last = x[:, -1:, :c]  # (B, 1, C): the closed form reads each window minus its last value
        linear = linear_map(x[..., :c] - last, config.horizon, linear_weights, False, "linear_reference")  # (B, H, C)
        outputs = InferenceBlend(config.blend, median_index=config.median_index, name="blend")(outputs, linear + last)
    model = AppModel(inputs, outputs, name="forecaster")
    model.set_metadata(ForecasterConfig.app, config.to_dict())
    loss = PinballLoss(levels) if levels else config.loss
    model.compile(
        optimizer=keras.optimizers.Adam(config.learning_rate, global_clipnorm=config.clipnorm or None),
        loss=loss,
        metrics=None if levels else ["mae" if config.loss == "mse" else "mse"],
    )
    return model


def linear_map(windows, horizon, linear_weights, trainable, name):
    """A `Dense` from each column's lookback to its horizon, shared by the
    columns: `(B, L, C)` in, `(B, H, C)` out. It starts at
    `linear_weights` (the `(L + 1, H)` closed-form fit), or at 0."""
    layer = keras.layers.Dense(horizon, kernel_initializer="zeros", trainable=trainable, name=name)
    out = keras.ops.transpose(layer(keras.ops.transpose(windows, (0, 2, 1))), (0, 2, 1))  # (B, H, C)
    if linear_weights is not None:
        weights = np.asarray(linear_weights, "float32")  # (L + 1, H)
        layer.set_weights([weights[:-1], weights[-1]])
    return out


def search_space(hp):
    """Units, segment length, cell, decoder, linear skip, blend, dropout and learning rate."""
    return {
        "decoder": hp.Choice("decoder", ["parallel", "recursive"]),
        "linear_skip": hp.Choice("linear_skip", ["trained", "frozen", "none"]),
        "blend": hp.Choice("blend", [0.5, 1.0]),
        "units": hp.Choice("units", [64, 128, 256, 512]),
        "segment_length": hp.Choice("segment_length", [12, 24, 48]),
        "cell": hp.Choice("cell", ["gru", "lstm"]),
        "dropout": hp.Float("dropout", 0.0, 0.5, step=0.1),
        "learning_rate": hp.Float("learning_rate", 3e-4, 3e-3, sampling="log"),
    }


class ForecasterHyperModel(TaskHyperModel):
    """Searches `search_space` around a base config, through
    `build_forecaster` (a segment length that does not divide the lookback
    is replaced by the base config's; the recursive decoder drops the
    attention).

    Args:
        base_config: a `ForecasterConfig` set from the data.

    Examples:
        >>> tuner = keras_tuner.RandomSearch(ForecasterHyperModel(config), objective="val_loss", max_trials=6)
    """

    build_fn = staticmethod(build_forecaster)
    search_space = staticmethod(search_space)

    def config_for(self, hp):
        config = super().config_for(hp)
        if config.lookback % config.segment_length:
            config = config.replace(segment_length=self.base_config.segment_length)
        if config.decoder == "recursive":
            config = config.replace(attention="none")  # attention goes with the parallel decoder
        return config
