"""The NTM tasks' builder (NTM or LSTM baseline), their metric and their
keras-tuner HyperModel."""

import math

import keras
from keras import ops

from keras_seq.applications.hypermodel import TaskHyperModel
from keras_seq.applications.ntm.config import NTMTaskConfig
from keras_seq.applications.ntm.data import CHANNELS
from keras_seq.applications.task import AppModel
from keras_seq.layers import LSTM, NTM


@keras.saving.register_keras_serializable(package="keras_seq")
class BitErrorsPerSequence(keras.metrics.Metric):
    """Wrong bits per sequence on the steps whose weight is 1 (a logit above
    0 is a predicted 1), averaged over the sequences seen.

    Args:
        name: default `"bit_errors"`.

    Examples:
        >>> model.compile("adam", loss, weighted_metrics=[BitErrorsPerSequence()])
    """

    def __init__(self, name="bit_errors", **kwargs):
        super().__init__(name=name, **kwargs)
        self.errors = self.add_variable((), initializer="zeros", name="errors")
        self.sequences = self.add_variable((), initializer="zeros", name="sequences")

    def update_state(self, y_true, y_pred, sample_weight=None):
        wrong = ops.cast(ops.not_equal(y_pred > 0, y_true > 0.5), "float32")  # (B, T, bits)
        if sample_weight is not None:
            wrong = wrong * ops.expand_dims(ops.cast(sample_weight, "float32"), -1)
        self.errors.assign_add(ops.sum(wrong))
        self.sequences.assign_add(ops.cast(ops.shape(y_true)[0], "float32"))

    def result(self):
        return ops.divide_no_nan(self.errors, self.sequences)


def ntm_weights(config):
    """Trainable weights of the NTM of `config` (controller, heads, output)."""
    inputs, outputs = CHANNELS[config.task]
    m, r, w, u = config.memory_width, config.read_heads, config.write_heads, config.units
    head = m + 3 + 2 * config.shift_range + 1
    x = inputs + r * m
    controller = 4 * u * (x + u + 1) if config.controller == "lstm" else u * (x + 1)
    interface = (u + 1) * (r * head + w * (head + 2 * m))
    return controller + interface + (u + r * m + 1) * outputs


def baseline_units(config):
    """LSTM units whose one-layer model has about as many weights as the
    NTM: the root of `4u^2 + u(4D + 4 + out) + out = weights`."""
    inputs, outputs = CHANNELS[config.task]
    b = 4 * inputs + 4 + outputs
    target = ntm_weights(config) - outputs
    return max(1, int(round((-b + math.sqrt(b * b + 16 * target)) / 8)))


def build_ntm_task(config):
    """`NTM (or LSTM) -> Dense` over bit sequences, compiled.

    Inputs are `(B, T, input_bits)` floats, outputs `(B, T, output_bits)`
    logits. The loss is the binary cross-entropy on the answer steps (the
    data's weights); `bit_errors` (per sequence) is reported. The NTM
    trains with Adam and global-norm clipping (Collier & Beel, 2018) or
    RMSProp with momentum and value clipping (Graves et al., 2014), as
    `config.optimizer` says.

    Args:
        config: an `NTMTaskConfig`.

    Returns:
        A compiled `AppModel` whose metadata holds the config.
    """
    config.validate()
    keras.utils.set_random_seed(config.seed)
    input_bits, output_bits = CHANNELS[config.task]
    inputs = keras.Input((None, input_bits), name="bits")
    if config.model == "ntm":
        x = NTM(
            config.units,
            config.memory_size,
            config.memory_width,
            read_heads=config.read_heads,
            write_heads=config.write_heads,
            shift_range=config.shift_range,
            controller=config.controller,
            return_sequences=True,
            name="ntm",
        )(inputs)  # (B, T, U + R*M)
    else:
        x = LSTM(baseline_units(config), return_sequences=True, name="lstm")(inputs)  # (B, T, U')
    logits = keras.layers.Dense(output_bits, name="logits")(x)  # (B, T, bits)
    model = AppModel(inputs, logits, name="ntm_task")
    model.set_metadata(NTMTaskConfig.app, config.to_dict())
    clip = config.clip or None
    if config.optimizer == "adam":
        optimizer = keras.optimizers.Adam(config.learning_rate, global_clipnorm=clip)
    else:
        optimizer = keras.optimizers.RMSprop(config.learning_rate, momentum=0.9, clipvalue=clip)
    model.compile(
        optimizer=optimizer,
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        weighted_metrics=[BitErrorsPerSequence()],
        jit_compile=config.jit_compile,
    )
    return model


def search_space(hp):
    """Controller size, memory size and width, learning rate and clipping
    (the learning rates around the default optimizer's 1e-4)."""
    return {
        "units": hp.Choice("units", [64, 100, 160]),
        "memory_size": hp.Choice("memory_size", [64, 128]),
        "memory_width": hp.Choice("memory_width", [12, 20, 32]),
        "learning_rate": hp.Float("learning_rate", 3e-5, 1e-3, sampling="log"),
        "clip": hp.Choice("clip", [10.0, 50.0]),
    }


class NTMTaskHyperModel(TaskHyperModel):
    """Searches `search_space` around a base config, through `build_ntm_task`.

    Args:
        base_config: an `NTMTaskConfig`.

    Examples:
        >>> tuner = keras_tuner.RandomSearch(NTMTaskHyperModel(config), objective="val_bit_errors", max_trials=8)
    """

    build_fn = staticmethod(build_ntm_task)
    search_space = staticmethod(search_space)


__all__ = [
    "BitErrorsPerSequence",
    "NTMTaskConfig",
    "NTMTaskHyperModel",
    "baseline_units",
    "build_ntm_task",
    "ntm_weights",
    "search_space",
]
