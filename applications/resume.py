"""Resuming a killed training run: the run's fingerprint, the checkpoint
it left, and `fit` from the epoch and step where it stopped."""

import hashlib
import json
import os

import keras

from keras_seq.errors import UserInputError
from keras_seq.training import TrainingCheckpoint


class Continued(keras.callbacks.Callback):
    """A callback of one training run that `fit_from` splits into two
    `fit`s: the first `fit` does not end it (`end=False`), the second does
    not begin it again (`begin=False`), so that it sees one run (an early
    stop keeps its count, its best weights are put back once, at the
    end). Every other hook goes to the callback as it is.

    Args:
        callback: the Keras callback.
        begin, end: whether `on_train_begin` and `on_train_end` reach it.
    """

    def __init__(self, callback, begin=True, end=True):
        super().__init__()
        self.callback, self.begin, self.end = callback, begin, end
        self.async_safe = getattr(callback, "async_safe", False)

    def set_model(self, model):
        super().set_model(model)
        self.callback.set_model(model)

    def set_params(self, params):
        super().set_params(params)
        self.callback.set_params(params)

    def on_train_begin(self, logs=None):
        if self.begin:
            self.callback.on_train_begin(logs)

    def on_train_end(self, logs=None):
        if self.end:
            self.callback.on_train_end(logs)

    def on_epoch_begin(self, epoch, logs=None):
        self.callback.on_epoch_begin(epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self.callback.on_epoch_end(epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self.callback.on_train_batch_begin(batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self.callback.on_train_batch_end(batch, logs)

    def on_test_begin(self, logs=None):
        self.callback.on_test_begin(logs)

    def on_test_end(self, logs=None):
        self.callback.on_test_end(logs)

    def on_test_batch_begin(self, batch, logs=None):
        self.callback.on_test_batch_begin(batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self.callback.on_test_batch_end(batch, logs)

    def on_predict_begin(self, logs=None):
        self.callback.on_predict_begin(logs)

    def on_predict_end(self, logs=None):
        self.callback.on_predict_end(logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self.callback.on_predict_batch_begin(batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self.callback.on_predict_batch_end(batch, logs)


def data_identity(data):
    """What identifies a data source: its name, and for a local file or
    folder its size and modification times."""
    if not isinstance(data, (str, os.PathLike)):
        return {"source": f"<{type(data).__name__} in memory>"}
    path = os.fspath(data)
    if os.path.isfile(path):
        stat = os.stat(path)
        return {"source": os.path.abspath(path), "bytes": stat.st_size, "modified": stat.st_mtime_ns}
    if os.path.isdir(path):
        digest = hashlib.sha1()
        for root, dirs, files in os.walk(path):
            dirs.sort()
            for name in sorted(files):
                stat = os.stat(os.path.join(root, name))
                digest.update(
                    f"{os.path.relpath(os.path.join(root, name), path)} {stat.st_size} {stat.st_mtime_ns}\n".encode()
                )
        return {"source": os.path.abspath(path), "files": digest.hexdigest()}
    return {"source": path}


def run_fingerprint(task_class, config, data, data_options):
    """What identifies a training run (the application, the config as
    given, the data and its options), as JSON values: a checkpoint of
    another run is not resumed."""
    options = {key: str(value) for key, value in sorted(data_options.items())}
    record = {"app": task_class.app, "config": config.to_dict(), "data": data_identity(data), "data options": options}
    return json.loads(json.dumps(record, default=str))


def differences(old, new, prefix=""):
    """The keys where two fingerprints differ, such as `config.units`."""
    if isinstance(old, dict) and isinstance(new, dict):
        return [
            d for key in sorted(set(old) | set(new)) for d in differences(old.get(key), new.get(key), f"{prefix}{key}.")
        ]
    return [] if old == new else [prefix.rstrip(".")]


def read_checkpoint(backup, fingerprint):
    """The state of the interrupted run in `backup` (a
    `TrainingCheckpoint`'s), or None.

    Raises:
        UserInputError: a damaged checkpoint, or one of a run with other
            settings or data (the keys that differ are named).
    """
    try:
        state = TrainingCheckpoint.read(backup)
    except ValueError as error:
        raise UserInputError(f"{error}; delete {backup} to start afresh") from None
    if state is not None and state.get("fingerprint") != fingerprint:
        changed = differences(state.get("fingerprint") or {}, fingerprint)
        changed = (
            ", ".join(changed[:6]) + (f" and {len(changed) - 6} more" if len(changed) > 6 else "")
            if changed
            else "the run"
        )
        raise UserInputError(
            f"{backup} holds an interrupted run with other settings or data ({changed} differ); "
            f"run the same command as before to resume it, or delete {backup} to start afresh"
        )
    return state


def steps_per_epoch(prepared):
    if prepared.steps:
        return int(prepared.steps)
    count = int(prepared.train.cardinality())
    return count if count > 0 else None  # unknown (-2) or infinite (-1)


def fit_from(model, prepared, callbacks, epoch, step, done, verbose, rebuild, epochs):
    """`model.fit` from epoch `epoch`, step `step` (`done` steps in all), to `epochs`.

    With a known number of batches per epoch the pipeline is repeated and
    the `done` batches already trained on are skipped, so the epochs see the
    batches an uninterrupted run would; a resumed partial epoch is a `fit`
    of its remaining steps, then a `fit` of the rest on a pipeline made
    afresh by `rebuild()` (a reshuffling pipeline gives each new iterator
    of one `tf.data` object another order; a new object's first iterator
    gives the uninterrupted run's); the callbacks see the two as one run
    (`Continued`). Without a known number, epochs restart from their
    beginning (the checkpoints of the epochs' ends still hold)."""
    steps = steps_per_epoch(prepared)
    common = {
        "validation_data": prepared.validation,
        "callbacks": callbacks,
        "verbose": verbose,
        "shuffle": False,
    }  # the pipelines shuffle
    if steps is None:
        return model.fit(prepared.train, initial_epoch=epoch, epochs=epochs, **common)
    if step >= steps:  # a checkpoint of an epoch's last step alone (written by earlier versions): that epoch is done
        epoch, step = epoch + 1, 0
    stream = prepared.train.repeat()
    if step == 0 or epoch >= epochs:
        return model.fit(stream.skip(done), initial_epoch=epoch, epochs=epochs, steps_per_epoch=steps, **common)
    if epoch + 1 >= epochs:  # the resumed epoch is the last
        return model.fit(stream.skip(done), initial_epoch=epoch, epochs=epochs, steps_per_epoch=steps - step, **common)
    # two fits, one run for the callbacks: the first does not end them, the second does not begin them again
    first = {**common, "callbacks": [Continued(c, end=False) for c in callbacks]}
    history = model.fit(stream.skip(done), initial_epoch=epoch, epochs=epoch + 1, steps_per_epoch=steps - step, **first)
    if model.stop_training:
        for callback in callbacks:
            callback.on_train_end()
        return history
    again = rebuild().repeat()
    second = {**common, "callbacks": [Continued(c, begin=False) for c in callbacks]}
    rest = model.fit(
        again.skip(done + steps - step), initial_epoch=epoch + 1, epochs=epochs, steps_per_epoch=steps, **second
    )
    for key, values in rest.history.items():
        history.history.setdefault(key, []).extend(values)
    history.epoch.extend(rest.epoch)
    return history


__all__ = [
    "Continued",
    "data_identity",
    "differences",
    "fit_from",
    "read_checkpoint",
    "run_fingerprint",
    "steps_per_epoch",
]
