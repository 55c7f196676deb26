"""Stop training after a wall-clock budget."""

import time

import keras


class TimeBudget(keras.callbacks.Callback):
    """Stops `fit` once `seconds` of wall-clock time have passed, or once the
    clock reaches `deadline`, whichever comes first.

    The check runs after every batch, so the step in progress finishes and
    the model is left in a consistent state; callbacks that save at the end
    of training (checkpoints, `on_train_end`) still run. A `deadline` is
    shared by every `fit` that gets a copy of the callback (the trials of a
    search), where `seconds` counts afresh in each copy; one callback passed
    to several `fit` calls of one run counts their training time together.

    Under several workers (`tf.distribute.MultiWorkerMirroredStrategy`) every
    worker must stop after the same step, or the others wait forever in
    the next step's all-reduce: `agree` turns this worker's verdict into
    the cluster's (e.g. "stop if any worker's clock says so"), and is
    called after every batch on every worker.

    Args:
        seconds: float > 0, or None. The budget, counted from the start of
            the first `fit` (plus `spent`).
        deadline: float, or None. A `time.monotonic()` value after which no
            `fit` goes on.
        agree: callable `bool -> bool`, or None. The verdict all workers
            share, from this worker's own.
        spent: seconds of the budget already used (a resumed run's, from
            its `TrainingCheckpoint`): it gets what is left, not all of
            `seconds` again.

    Examples:
        >>> model.fit(data, epochs=1000, callbacks=[TimeBudget(60)])
        >>> search_ends = time.monotonic() + 3600
        >>> model.fit(data, epochs=1000, callbacks=[TimeBudget(60, deadline=search_ends)])
    """

    def __init__(self, seconds=None, deadline=None, agree=None, spent=0.0):
        super().__init__()
        if seconds is None and deadline is None:
            raise ValueError("TimeBudget needs `seconds` or a `deadline`; received neither.")
        if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds <= 0):
            raise ValueError(f"`seconds` must be positive; received seconds={seconds!r}.")
        self.seconds = None if seconds is None else float(seconds)
        self.deadline = None if deadline is None else float(deadline)
        self.agree = agree
        self.start = None
        self.spent = max(0.0, float(spent))  # before the first `fit`
        self.stopped = False

    def on_train_begin(self, logs=None):
        if self.start is not None:  # a later `fit` of the same run goes on counting
            self.spent = self.elapsed()
        self.start = time.monotonic()
        self.stopped = False

    def on_train_batch_end(self, batch, logs=None):
        now = time.monotonic()
        used = self.spent + now - self.start
        stop = (self.seconds is not None and used >= self.seconds) or (
            self.deadline is not None and now >= self.deadline
        )
        if self.agree is not None:
            stop = self.agree(stop)
        if stop:
            self.stopped = True
            self.model.stop_training = True

    def elapsed(self):
        """Seconds of training: since `fit` started, plus `spent`."""
        return self.spent + (0.0 if self.start is None else time.monotonic() - self.start)
