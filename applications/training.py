"""The one training driver: validate -> data -> build -> callbacks -> fit ->
save, for every application, and the keras-tuner search through the same
builder."""

import dataclasses
import os
import time

import keras
import keras_tuner

from keras_seq.applications.task import check_model_dir
from keras_seq.training import TimeBudget

BACKUP_DIR, LOGS_DIR, TUNING_DIR = "backup", "logs", "tuning"


@dataclasses.dataclass
class Prepared:
    """What an application's `prepare` hands the driver.

    Attributes:
        config: the config completed from the data (vocabulary sizes, labels).
        train, validation: the `tf.data` pipelines `fit` reads.
        assets: keyword arguments of the builder besides the config
            (vocabularies).
        validation_examples: the held-out raw examples (for a look at them).
        summary: one line about the data and the model, printed before training.
        callbacks: callbacks the data needs during `fit` (a curriculum).
    """

    config: object
    train: object
    validation: object
    assets: dict
    validation_examples: object = None
    summary: str = ""
    callbacks: list = dataclasses.field(default_factory=list)


def training_callbacks(model_dir, time_budget=None, extra=()):
    """Resume after an interruption (`model_dir/backup`), TensorBoard logs
    (`model_dir/logs`), the wall-clock budget, then `extra`."""
    callbacks = [
        keras.callbacks.BackupAndRestore(os.path.join(model_dir, BACKUP_DIR), delete_checkpoint=True),
        keras.callbacks.TensorBoard(os.path.join(model_dir, LOGS_DIR)),
    ]
    if time_budget is not None:
        callbacks.append(TimeBudget(time_budget))
    return callbacks + list(extra)


def prepare(task_class, config, data, **data_options):
    """Validate `config`, read `data` and split it, then let the
    application encode it (`task_class.prepare`)."""
    config = config.replace()
    config.validate()
    train_examples, validation_examples = task_class.training_examples(data, config, **data_options)
    return task_class.prepare(config, train_examples, validation_examples)


def train(task_class, config=None, data="embedded", model_dir=None, time_budget=None, verbose=1, print_fn=print, callbacks=(), **data_options):
    """Train `task_class`'s application on `data` and save it to `model_dir`.

    Resumes from `model_dir/backup` when an earlier run was interrupted;
    writes TensorBoard logs to `model_dir/logs`; the model is written only
    at the end, atomically (`Task.save`). Bad input fails before anything
    is written.

    Args:
        task_class: the application's `Task` subclass.
        config: its config (default: the defaults); `epochs`,
            `validation_split`, `batch_size` and `seed` are read from it.
        data: a source as the application reads it (`embedded` by default).
        model_dir: output folder (default `saved_models/<app>`).
        time_budget: seconds, or None. Training stops after the step in
            progress, and the model is saved as usual.
        verbose: 0 quiet, 1 progress bar, 2 a line per epoch.
        print_fn: where the messages go.
        callbacks: extra Keras callbacks for `fit`.
        **data_options: the application's data options (columns, languages).

    Returns:
        `(task, history)`: the trained task, loaded back from what was
        saved, and Keras' `History` (with `seconds`, the training time, and
        `validation_examples`, the held-out raw examples).
    """
    config = config if config is not None else task_class.config_class()
    model_dir = model_dir or os.path.join("saved_models", task_class.app.replace("-", "_"))
    check_model_dir(model_dir)
    prepared = prepare(task_class, config, data, **data_options)  # fails before writing anything
    print_fn(prepared.summary)
    task = task_class(task_class.build(prepared.config, **prepared.assets))
    backup = os.path.join(model_dir, BACKUP_DIR)
    if os.path.isdir(backup) and os.listdir(backup):
        print_fn(f"Resuming the interrupted run in {backup}.")
    os.makedirs(model_dir, exist_ok=True)
    own = prepared.callbacks + task.training_callbacks(prepared, print_fn=print_fn, verbose=verbose)
    start = time.monotonic()
    history = task.model.fit(
        prepared.train,
        validation_data=prepared.validation,
        epochs=prepared.config.epochs,
        callbacks=training_callbacks(model_dir, time_budget, own + list(callbacks)),
        verbose=verbose,
        shuffle=False,  # the pipelines shuffle
    )
    history.seconds = time.monotonic() - start
    history.validation_examples = prepared.validation_examples
    task.save(model_dir)
    return task_class.load(model_dir), history


class TaskHyperModel(keras_tuner.HyperModel):
    """The base of the applications' keras-tuner `HyperModel`s: each
    trial's config is the base config with `search_space(hp)` applied,
    built by the same builder as training.

    A subclass sets `build_fn` (the application's `build_*`) and
    `search_space` (a function of `hp` returning config overrides).

    Args:
        base_config: the config the search starts from.
        **assets: the builder's other arguments (vocabularies).

    Example:
    >>> tuner = keras_tuner.RandomSearch(CharLMHyperModel(config, vocabulary=vocab),
    ...                                  objective="val_loss", max_trials=8)
    """

    build_fn = None
    search_space = None

    def __init__(self, base_config, **assets):
        super().__init__()
        self.base_config = base_config
        self.assets = assets

    def config_for(self, hp):
        return self.base_config.replace(**type(self).search_space(hp))

    def build(self, hp):
        return type(self).build_fn(self.config_for(hp), **self.assets)


def tune(task_class, config=None, data="embedded", model_dir=None, max_trials=6, time_budget=None, verbose=1, **data_options):
    """A keras-tuner random search around `config`, through the builder.

    Returns:
        The best trial's hyperparameter values (a dict).
    """
    config = config if config is not None else task_class.config_class()
    model_dir = model_dir or os.path.join("saved_models", task_class.app.replace("-", "_"))
    prepared = prepare(task_class, config, data, **data_options)
    tuner = keras_tuner.RandomSearch(
        task_class.hypermodel_class(prepared.config, **prepared.assets),
        objective=task_class.objective,
        max_trials=max_trials,
        seed=prepared.config.seed,
        directory=os.path.join(model_dir, TUNING_DIR),
        project_name=task_class.app.replace("-", "_"),
        overwrite=False,
    )
    callbacks = prepared.callbacks + ([TimeBudget(time_budget)] if time_budget else [])
    tuner.search(prepared.train, validation_data=prepared.validation, epochs=prepared.config.epochs, callbacks=callbacks, verbose=verbose)
    return tuner.get_best_hyperparameters(1)[0].values


__all__ = ["Prepared", "TaskHyperModel", "prepare", "train", "training_callbacks", "tune"]
