"""Stop training after a wall-clock budget."""

import time

import keras


class TimeBudget(keras.callbacks.Callback):
    """Stops `fit` once `seconds` of wall-clock time have passed.

    The check runs after every batch, so the step in progress finishes and
    the model is left in a consistent state; callbacks that save at the end
    of training (checkpoints, `on_train_end`) still run.

    Args:
        seconds: float > 0. The budget, counted from the start of `fit`.

    Example:
    >>> model.fit(data, epochs=1000, callbacks=[TimeBudget(60)])
    """

    def __init__(self, seconds):
        super().__init__()
        if seconds is None or seconds <= 0:
            raise ValueError(f"`seconds` must be positive; received seconds={seconds!r}.")
        self.seconds = float(seconds)
        self.start = None
        self.stopped = False

    def on_train_begin(self, logs=None):
        self.start = time.monotonic()
        self.stopped = False

    def on_train_batch_end(self, batch, logs=None):
        if time.monotonic() - self.start >= self.seconds:
            self.stopped = True
            self.model.stop_training = True

    def elapsed(self):
        """Seconds since `fit` started."""
        return 0.0 if self.start is None else time.monotonic() - self.start
