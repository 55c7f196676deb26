"""Keep the weights of the best epoch and put them back when training ends."""

import math

import keras


class BestWeights(keras.callbacks.Callback):
    """Remembers the weights of the epoch with the best `monitor` value and
    sets them back on the model when `fit` ends, however it ends (the last
    epoch, a time budget, a NaN guard). Unlike `EarlyStopping(...,
    restore_best_weights=True)` it never stops training itself, and it
    restores also when something else stopped it.

    Args:
        monitor: the logged quantity, e.g. `"val_loss"`.
        mode: `"min"` or `"max"`: which way is better.
        print_fn: where the message goes when earlier weights are put back
            (None: silent).

    Attributes:
        best: the best value seen, or None.
        best_epoch: its epoch (0-based), or None.

    Example:
    >>> model.fit(data, validation_data=val, epochs=30, callbacks=[BestWeights("val_loss")])
    """

    def __init__(self, monitor="val_loss", mode="min", print_fn=None):
        super().__init__()
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max'; got {mode!r}")
        self.monitor = monitor
        self.mode = mode
        self.print_fn = print_fn
        self.best = None
        self.best_epoch = None
        self.weights = None
        self.last_epoch = None

    def on_train_begin(self, logs=None):
        self.best = self.best_epoch = self.weights = self.last_epoch = None

    def better(self, value):
        if self.best is None:
            return True
        return value < self.best if self.mode == "min" else value > self.best

    def on_epoch_end(self, epoch, logs=None):
        self.last_epoch = epoch
        value = (logs or {}).get(self.monitor)
        if value is None or not math.isfinite(float(value)):
            return
        if self.better(float(value)):
            self.best, self.best_epoch = float(value), epoch
            self.weights = [w.copy() for w in self.model.get_weights()]

    def on_train_end(self, logs=None):
        if self.weights is None or self.best_epoch == self.last_epoch:
            return
        self.model.set_weights(self.weights)
        if self.print_fn is not None:
            self.print_fn(f"keras-seq: kept the weights of epoch {self.best_epoch + 1}, the best {self.monitor} ({self.best:.4g})")
