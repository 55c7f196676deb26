"""The trained NTM task: run, evaluation at any size, plot, export."""

import dataclasses

import keras
import numpy as np

from keras_seq.applications import training
from keras_seq.applications.ntm.config import SIZE_NAMES, NTMTaskConfig
from keras_seq.applications.ntm.data import CHANNELS, EVALUATION_BATCH, TaskBatches, bit_errors_per_sequence, generate
from keras_seq.applications.ntm.model import NTMTaskHyperModel, build_ntm_task
from keras_seq.applications.task import Task, layers_of
from keras_seq.applications.training import Prepared
from keras_seq.errors import UserInputError
from keras_seq.layers import NTM
from keras_seq.training import BestWeights

SPLIT_SEEDS = {"validation": 1, "all": 1, "test": 2}  # added to the config's seed; training draws from the seed itself


@dataclasses.dataclass
class Generated:
    """Sequences to evaluate on: `batches` batches drawn from `seed`."""

    seed: int
    batches: int
    description: str


class NTMTask(Task):
    """A model trained on one algorithmic task: `run`, `evaluate` (at any
    length or item count), `plot`, `save`, `load`, `export`.

    Args:
        model: a model from `build_ntm_task`.

    Examples:
        >>> task = NTMTask.load("saved_models/ntm")
        >>> task.evaluate(task.evaluation_examples("embedded"), length=40)
        {'bit_errors_per_sequence': 0.03, ...}
    """

    config_class = NTMTaskConfig
    builder = staticmethod(build_ntm_task)
    hypermodel_class = NTMTaskHyperModel
    serving = "keras_seq.applications.ntm.export:NTMModule"
    litert = "keras_seq.applications.ntm.litert:NTMLiteRT"

    # ----------------------------------------------------------------- verb
    def check_inputs(self, inputs):
        channels = CHANNELS[self.config.task][0]
        try:
            inputs = np.asarray(inputs, dtype="float32")
        except (TypeError, ValueError):
            raise UserInputError(
                f"{self.config.task} takes bits, numbers of shape (batch, time, {channels}); got "
                f"{type(inputs).__name__}"
            ) from None
        inputs = inputs[None] if inputs.ndim == 2 else inputs
        if inputs.ndim != 3 or inputs.shape[-1] != channels or inputs.shape[1] == 0:
            raise UserInputError(
                f"{self.config.task} takes bits of shape (batch, time, {channels}); got shape {inputs.shape}"
            )
        if not np.isfinite(inputs).all():
            raise UserInputError(f"{self.config.task} takes bits; the input holds NaN or infinite values")
        return inputs

    def run(self, inputs, batch_size=None):
        """The predicted bits `(B, T, output_bits)` (0. or 1.) of input bits
        `(B, T, input_bits)` (or one sequence `(T, input_bits)`)."""
        inputs = self.check_inputs(inputs)
        logits = self.model.predict(inputs, batch_size=batch_size or EVALUATION_BATCH, verbose=0)
        return (logits > 0).astype("float32")

    # ----------------------------------------------------------- evaluation
    def size_for(self, length=None, items=None):
        """The evaluated size from `--length` or `--items` (the trained
        largest size by default), checked against the task and the memory."""
        config = self.config
        name = SIZE_NAMES[config.task]
        given = {"length": length, "items": items}
        for other, value in given.items():
            if value is not None and other != name:
                raise UserInputError(f"--{other} does not apply to {config.task}; it is measured by --{name}")
        size = given[name] if given[name] is not None else config.size
        if (
            isinstance(size, bool)
            or not isinstance(size, (int, np.integer))
            or size < (2 if config.task == "associative-recall" else 1)
        ):
            raise UserInputError(
                f"--{name} must be a positive integer{' >= 2' if config.task == 'associative-recall' else ''}; got "
                f"{size!r}"
            )
        config.check_capacity(int(size), f"--{name}")
        return int(size)

    def evaluate(self, examples, length=None, items=None, repeats=None):
        """`{"bit_errors_per_sequence", "sequences", "size", ...}` on the
        generated sequences of `examples` (`evaluation_examples`), at a
        fixed size (default: the largest trained one)."""
        config = self.config
        size = self.size_for(length, items)
        if repeats is not None and (config.task != "repeat-copy" or repeats < 1):
            raise UserInputError("--repeats applies to repeat-copy and must be >= 1")
        rng = np.random.default_rng([examples.seed, size])
        errors, sequences = 0.0, 0
        for _ in range(examples.batches):
            inputs, targets, weights = generate(
                config.task, rng, EVALUATION_BATCH, size, repeats=repeats, max_repeats=config.max_repeats
            )
            logits = self.model.predict_on_batch(inputs)
            errors += bit_errors_per_sequence(logits, targets, weights) * len(inputs)
            sequences += len(inputs)
        metrics = {
            "bit_errors_per_sequence": round(errors / sequences, 4),
            "sequences": sequences,
            SIZE_NAMES[config.task]: size,
        }
        if repeats is not None:
            metrics["repeats"] = repeats
        return metrics

    def describe(self, metrics):
        name = SIZE_NAMES[self.config.task]
        return (
            f"{self.config.task} at {name} {metrics[name]}: {metrics['bit_errors_per_sequence']} bit errors per "
            f"sequence over {metrics['sequences']} sequences"
        )

    def evaluation_examples(self, source, split="validation", validation_split=None):
        """Generated sequences: `validation` (or `all`) from the seed that
        validation used in training, `test` from one never used."""
        self.check_source(source)
        if split not in SPLIT_SEEDS:
            raise UserInputError(f"--split {split!r}: the NTM tasks generate their data; use validation or test")
        config = self.config if validation_split is None else self.config.replace(validation_split=validation_split)
        return Generated(
            config.seed + SPLIT_SEEDS[split], validation_batches(config), f"{config.task}, generated ({split})"
        )

    # ----------------------------------------------------------------- plot
    def plot(self, path, length=None, items=None, seed=0):
        """Draw one sequence as heat maps (PNG): input, target, output and,
        for an NTM, the first read and write heads' weightings over time."""
        from keras_seq.applications.flags import check_output_folder
        from keras_seq.plotting import plot_memory

        check_output_folder(path)
        config = self.config
        size = self.size_for(length, items)
        inputs, targets, weights = generate(
            config.task, np.random.default_rng(seed), 1, size, max_repeats=config.max_repeats
        )
        panels = [("input", inputs[0]), ("target", targets[0] * weights[0, :, None])]
        if config.model == "ntm":
            trained = layers_of(self.model, NTM)[0]
            probe = NTM.from_config({**trained.get_config(), "return_weightings": True})
            probe(inputs)
            probe.set_weights(trained.get_weights())
            outputs, reads, writes = probe(inputs)
            probabilities = keras.ops.sigmoid(layers_of(self.model, keras.layers.Dense)[-1](outputs))  # the logits
            panels += [
                ("output", keras.ops.convert_to_numpy(probabilities)[0]),
                ("read", np.asarray(reads)[0, :, 0]),
                ("write", np.asarray(writes)[0, :, 0]),
            ]
        else:
            panels.append(("output", 1 / (1 + np.exp(-self.model.predict_on_batch(inputs)[0]))))
        errors = np.sum(((panels[2][1] > 0.5) != (targets[0] > 0.5)) * weights[0][:, None])
        title = f"{config.task}, {SIZE_NAMES[config.task]} {size}: {errors:.0f} bit errors"
        return plot_memory(path, panels, title=title)

    # ------------------------------------------------------------- training
    @staticmethod
    def check_source(source):
        if source not in (None, "embedded"):
            raise UserInputError(
                f"--data {source!r}: no such source for the NTM tasks, which generate their data; leave --data out "
                "(or pass embedded)"
            )

    @classmethod
    def read_examples(cls, source, split="train"):
        raise UserInputError("the NTM tasks generate their data; they read no examples")

    @classmethod
    def training_examples(cls, source, config):
        """The generated training batches (curriculum included) and the
        validation batches (full size, their own seed)."""
        cls.check_source(source)
        validation = TaskBatches(
            config, validation_batches(config), config.seed + 1, full=True, batch_size=EVALUATION_BATCH
        )
        return TaskBatches(config, config.steps_per_epoch, config.seed), validation

    @classmethod
    def prepare(cls, config, train, validation):
        size = f"{SIZE_NAMES[config.task]} up to {config.size}"
        if config.model == "ntm":
            model = (
                f"NTM, {config.controller} controller {config.units}, memory {config.memory_size} x "
                f"{config.memory_width}"
            )
        else:
            from keras_seq.applications.ntm.model import baseline_units

            model = f"LSTM baseline of {baseline_units(config)} units"
        curriculum = ", with a curriculum" if config.curriculum else ""
        summary = (
            f"Data: {config.task}, generated, {size}{curriculum}; {config.steps_per_epoch} batches of "
            f"{config.batch_size} an epoch. Model: {model}."
        )
        return Prepared(
            config, train.dataset(), validation.dataset(), {}, validation, summary, steps=config.steps_per_epoch
        )

    def training_callbacks(self, prepared, print_fn=print, verbose=1):
        return [BestWeights("val_bit_errors", print_fn=print_fn)] if prepared.config.keep_best else []

    def fit(self, data, **kwargs):
        """`model.fit` on the user's own `tf.data` of `(inputs, targets,
        weights)` bit batches."""
        return self.model.fit(data, **{"shuffle": False, **kwargs})


def validation_batches(config):
    return max(1, round(config.validation_split * config.steps_per_epoch))


def train(config=None, data="embedded", **kwargs):
    """Train on `config.task` (generated data) and save; the arguments are
    those of `keras_seq.applications.training.train` (`model_dir`,
    `time_budget`, `verbose`, `print_fn`, `callbacks`).

    Returns:
        `(ntm_task, history)`.
    """
    return training.train(NTMTask, config, data, **kwargs)
