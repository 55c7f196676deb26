"""Checkpoints of a training run, every few steps, written atomically."""

import glob
import json
import os
import time

import keras
import numpy as np

from keras_seq.export.atomic import atomic_file

STATE_FILE = "state.json"
WEIGHTS_PATTERN = "weights-{step}.weights.h5"
KEPT_PATTERN = "callbacks-{step}.npz"


class TrainingCheckpoint(keras.callbacks.Callback):
    """Saves where a training run stands, so that a killed run resumes
    from its last checkpoint instead of starting over.

    A checkpoint is the model's weights with the optimizer's state
    (`model.save_weights`) and `state.json`: the epoch, the steps done in
    it, the steps done in all, the seconds of training so far (from
    `clock`), the run's `fingerprint`, and the state of the callbacks in
    `keep` (their `get_state()`: JSON values in `state.json`, arrays such
    as a best epoch's weights in `callbacks-<step>.npz`). It is written at the end of
    every epoch, and within one every `every_steps` steps, or when
    `every_steps` is None, after the first step past `every_seconds` of
    training since the last one (except an epoch's last step: the epoch's
    end follows, so that a resumed run never skips an epoch's
    validation and the callbacks' view of it).

    Nothing is written in place: the weights go to a new file
    (`weights-<step>.weights.h5`), renamed into place once complete, then
    `state.json` is replaced by a new one that names them, then older
    weights are removed. A kill at any moment leaves the last complete
    checkpoint readable.

    Resuming is the caller's: `read(folder)` gives the state, `restore`
    puts the weights back, and the caller skips the data already seen
    (`applications/training.py` repeats the training pipeline and skips
    `state["global_step"]` batches, so that the resumed run sees the
    batches the uninterrupted one would have).

    Args:
        folder: where the checkpoint lives.
        every_steps: int > 0, or None (time-based, the default).
        every_seconds: float > 0. With `every_steps=None`, the training time
            between checkpoints. Default 60.
        fingerprint: a JSON value naming the run (its config and data);
            stored, for the caller to compare on resume.
        clock: an object with `elapsed()` (a `TimeBudget`), or None: the
            seconds stored are this callback's own count.
        agree: callable `bool -> bool`, or None. Under several workers,
            the cluster's decision to save now (every worker must save
            after the same step). Called after every step.
        start: `(epoch, step, global_step)` the run resumes at (default a
            fresh run).
        spent: seconds of training before this run (a resumed run's).
        keep: callbacks whose state the checkpoint holds (an early stop's
            best epoch and patience: `BestWeights`), each with
            `get_state() -> (values, arrays)` and `set_state(values,
            arrays)`. Put them before this callback in `fit`'s list, so
            that an epoch's end is saved after they saw it.

    Examples:
        >>> checkpoint = TrainingCheckpoint("run/backup", every_steps=500)
        >>> model.fit(data, epochs=10, callbacks=[checkpoint])
    """

    def __init__(
        self,
        folder,
        every_steps=None,
        every_seconds=60.0,
        fingerprint=None,
        clock=None,
        agree=None,
        start=(0, 0, 0),
        spent=0.0,
        keep=(),
    ):
        super().__init__()
        if every_steps is not None and (
            isinstance(every_steps, bool) or not isinstance(every_steps, int) or every_steps <= 0
        ):
            raise ValueError(f"`every_steps` must be a positive integer or None; received every_steps={every_steps!r}.")
        if not every_seconds > 0:
            raise ValueError(f"`every_seconds` must be positive; received every_seconds={every_seconds!r}.")
        self.folder = os.fspath(folder)
        self.every_steps = every_steps
        self.every_seconds = float(every_seconds)
        self.fingerprint = fingerprint
        self.clock = clock
        self.agree = agree
        self.epoch, self.step, self.global_step = (int(v) for v in start)
        self.spent = float(spent)
        self.keep = list(keep)
        self.began = None
        self.last_saved_step = self.global_step
        self.last_saved_at = None
        self.saves = 0

    # -------------------------------------------------------- reading back
    @staticmethod
    def read(folder):
        """The state of the checkpoint in `folder`, or None when there is
        none. A state whose weights file is missing counts as none.

        Raises:
            ValueError: `state.json` is there but unreadable.
        """
        path = os.path.join(folder, STATE_FILE)
        if not os.path.isfile(path):
            return None
        try:
            with open(path, encoding="utf-8") as file:
                state = json.load(file)
            state["epoch"], state["step"], state["global_step"], state["weights"]  # noqa: B018 (the keys it must have)
        except (ValueError, KeyError, TypeError, OSError) as error:
            raise ValueError(f"{path} is damaged ({error!r})") from None
        named = [state["weights"]] + ([state["callback_arrays"]] if state.get("callback_arrays") else [])
        if not all(os.path.isfile(os.path.join(folder, name)) for name in named):
            return None
        return state

    @staticmethod
    def restore(model, folder, state, keep=()):
        """Load the checkpoint's weights and optimizer state into `model`,
        and the state of the callbacks `keep` (as they were given when it
        was written: the same kinds in the same order)."""
        if model.optimizer is not None and not model.optimizer.built:
            model.optimizer.build(model.trainable_variables)
        model.load_weights(os.path.join(folder, state["weights"]))
        kept = state.get("callbacks", [])
        if [type(c).__name__ for c in keep] != [entry["class"] for entry in kept]:
            raise ValueError(
                f"the checkpoint in {folder} holds the state of {[e['class'] for e in kept]}, not of "
                f"{[type(c).__name__ for c in keep]}"
            )
        arrays = {}
        if state.get("callback_arrays"):
            with np.load(os.path.join(folder, state["callback_arrays"]), allow_pickle=False) as file:
                arrays = {name: file[name] for name in file.files}
        for index, (callback, entry) in enumerate(zip(keep, kept)):
            count = entry["arrays"]
            callback.set_state(
                entry["values"], None if count is None else [arrays[f"{index}/{j}"] for j in range(count)]
            )

    # ------------------------------------------------------------ writing
    def elapsed(self):
        if self.clock is not None:
            return float(self.clock.elapsed())
        return self.spent + (0.0 if self.began is None else time.monotonic() - self.began)

    def save(self):
        """Write a checkpoint of the model as it is now."""
        os.makedirs(self.folder, exist_ok=True)
        name = WEIGHTS_PATTERN.format(step=self.global_step)
        with atomic_file(
            os.path.join(self.folder, name)
        ) as partial:  # a folder of its own: an interrupted write may hold a file open
            self.model.save_weights(partial, overwrite=True)
        kept, arrays = [], {}
        for index, callback in enumerate(self.keep):
            values, weights = callback.get_state()
            kept.append(
                {
                    "class": type(callback).__name__,
                    "values": values,
                    "arrays": None if weights is None else len(weights),
                }
            )
            arrays.update({f"{index}/{j}": np.asarray(w) for j, w in enumerate(weights or [])})
        extra = KEPT_PATTERN.format(step=self.global_step) if arrays else None
        if extra:
            with atomic_file(os.path.join(self.folder, extra)) as partial:
                np.savez(partial, **arrays)
        state = {
            "epoch": self.epoch,
            "step": self.step,
            "global_step": self.global_step,
            "seconds": self.elapsed(),
            "weights": name,
            "callbacks": kept,
            "callback_arrays": extra,
            "fingerprint": self.fingerprint,
        }
        with (
            atomic_file(os.path.join(self.folder, STATE_FILE)) as partial,
            open(partial, "w", encoding="utf-8") as file,
        ):
            json.dump(state, file)
        for pattern in (WEIGHTS_PATTERN, KEPT_PATTERN):
            for old in glob.glob(os.path.join(self.folder, pattern.format(step="*"))):
                if os.path.basename(old) not in (name, extra):
                    os.remove(old)
        self.last_saved_step, self.last_saved_at = self.global_step, time.monotonic()
        self.saves += 1

    # ---------------------------------------------------------- callbacks
    def on_train_begin(self, logs=None):
        if self.began is None:
            self.began = time.monotonic()
        self.last_saved_at = time.monotonic()

    def on_epoch_begin(self, epoch, logs=None):
        if epoch != self.epoch:  # a new epoch, not the resumed one
            self.epoch, self.step = epoch, 0

    def on_train_batch_end(self, batch, logs=None):
        self.step += 1
        self.global_step += 1
        if self.every_steps is not None:
            due = self.global_step - self.last_saved_step >= self.every_steps
        else:
            due = time.monotonic() - self.last_saved_at >= self.every_seconds
        steps = (self.params or {}).get("steps")
        if steps is not None and batch == steps - 1:
            due = False  # the epoch's end writes it, after the epoch's validation and callbacks (its early-stop state)
        if self.agree is not None:
            due = self.agree(due)
        if due:
            self.save()

    def on_epoch_end(self, epoch, logs=None):
        self.epoch, self.step = epoch + 1, 0
        self.save()
