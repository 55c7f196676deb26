"""Stop training after a wall-clock budget."""

import json
import os
import time

import keras


class TimeBudget(keras.callbacks.Callback):
    """Stops `fit` once `seconds` of wall-clock time have passed, or once the
    clock reaches `deadline`, whichever comes first.

    The check runs after every batch, so the step in progress finishes and
    the model is left in a consistent state; callbacks that save at the end
    of training (checkpoints, `on_train_end`) still run. A `deadline` is
    shared by every `fit` that gets a copy of the callback (the trials of a
    search), where `seconds` counts afresh from the start of each `fit`.

    Under several workers (`tf.distribute.MultiWorkerMirroredStrategy`) every
    worker must stop after the same step, or the others wait forever in
    the next step's all-reduce: `agree` turns this worker's verdict into
    the cluster's (e.g. "stop if any worker's clock says so"), and is
    called after every batch on every worker.

    Args:
        seconds: float > 0, or None. The budget, counted from the start of
            `fit`.
        deadline: float, or None. A `time.monotonic()` value after which no
            `fit` goes on.
        agree: callable `bool -> bool`, or None. The verdict all workers
            share, from this worker's own.
        record: a JSON file path, or None. The seconds spent are written
            there at the end of every epoch (beside, then renamed into
            place), and read back when `fit` starts: a run resumed after
            a crash gets what was left of `seconds`, not all of it again.

    Example:
    >>> model.fit(data, epochs=1000, callbacks=[TimeBudget(60)])
    >>> search_ends = time.monotonic() + 3600
    >>> model.fit(data, epochs=1000, callbacks=[TimeBudget(60, deadline=search_ends)])
    """

    def __init__(self, seconds=None, deadline=None, agree=None, record=None):
        super().__init__()
        if seconds is None and deadline is None:
            raise ValueError("TimeBudget needs `seconds` or a `deadline`; received neither.")
        if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds <= 0):
            raise ValueError(f"`seconds` must be positive; received seconds={seconds!r}.")
        self.seconds = None if seconds is None else float(seconds)
        self.deadline = None if deadline is None else float(deadline)
        self.agree = agree
        self.record = record
        self.start = None
        self.spent = 0.0  # before this `fit`, by the record
        self.stopped = False

    def on_train_begin(self, logs=None):
        self.start = time.monotonic()
        self.stopped = False
        self.spent = 0.0
        if self.record and os.path.isfile(self.record):
            try:
                with open(self.record, encoding="utf-8") as file:
                    self.spent = max(0.0, float(json.load(file)["seconds"]))
            except (ValueError, KeyError, TypeError, OSError):
                self.spent = 0.0  # an unreadable record: the whole budget again

    def on_epoch_end(self, epoch, logs=None):
        if self.record:
            os.makedirs(os.path.dirname(os.path.abspath(self.record)), exist_ok=True)
            partial = f"{self.record}.writing"
            with open(partial, "w", encoding="utf-8") as file:
                json.dump({"seconds": self.elapsed()}, file)
            os.replace(partial, self.record)

    def on_train_batch_end(self, batch, logs=None):
        now = time.monotonic()
        used = self.spent + now - self.start
        stop = (self.seconds is not None and used >= self.seconds) or (self.deadline is not None and now >= self.deadline)
        if self.agree is not None:
            stop = self.agree(stop)
        if stop:
            self.stopped = True
            self.model.stop_training = True

    def elapsed(self):
        """Seconds of training: since `fit` started, plus those of the
        record (`record`)."""
        return self.spent + (0.0 if self.start is None else time.monotonic() - self.start)
