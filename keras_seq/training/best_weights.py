"""Keep the weights of the best epoch and put them back when training ends."""

import math

import keras


class BestWeights(keras.callbacks.Callback):
    """Remembers the weights of the epoch with the best `monitor` value and
    sets them back on the model when `fit` ends, however it ends (the last
    epoch, a time budget, a NaN guard, or `patience` epochs without a
    better value). Unlike `EarlyStopping(..., restore_best_weights=True)`
    it restores also when something else stopped training, and its state
    can be saved and restored (`get_state`, `set_state`), so that a
    training run resumed from a checkpoint keeps its best epoch and
    patience (`TrainingCheckpoint(keep=[...])`).

    Args:
        monitor: the logged quantity, e.g. `"val_loss"`.
        mode: `"min"` or `"max"`: which way is better.
        patience: int > 0, or None. Stop training after this many epochs
            without a better value (None: never stop).
        print_fn: where the messages go (earlier weights put back, an early
            stop); None: silent.

    Attributes:
        best: the best value seen, or None.
        best_epoch: its epoch (0-based), or None.
        wait: epochs since the best one.
        stopped_epoch: the epoch after which patience ran out, or None.

    Examples:
        >>> model.fit(data, validation_data=val, epochs=30, callbacks=[BestWeights("val_loss", patience=3)])
    """

    def __init__(self, monitor="val_loss", mode="min", patience=None, print_fn=None):
        super().__init__()
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max'; got {mode!r}")
        if patience is not None and (isinstance(patience, bool) or not isinstance(patience, int) or patience <= 0):
            raise ValueError(f"`patience` must be a positive integer or None; received patience={patience!r}.")
        self.monitor = monitor
        self.mode = mode
        self.patience = patience
        self.print_fn = print_fn
        self.resumed = False
        self.reset()

    def reset(self):
        self.best = self.best_epoch = self.weights = self.last_epoch = self.stopped_epoch = None
        self.wait = 0

    # ------------------------------------------------------------ state
    def get_state(self):
        """`(values, arrays)`: the JSON values of the state and the best
        epoch's weights (a list of arrays, or None)."""
        values = {"best": self.best, "best_epoch": self.best_epoch, "wait": self.wait, "last_epoch": self.last_epoch}
        return values, self.weights

    def set_state(self, values, arrays):
        """Take up `get_state`'s state; the next `fit` goes on from it
        instead of starting afresh."""
        self.reset()
        self.best, self.best_epoch = values["best"], values["best_epoch"]
        self.wait, self.last_epoch = int(values["wait"]), values["last_epoch"]
        self.weights = None if arrays is None else [a.copy() for a in arrays]
        self.resumed = True

    # ---------------------------------------------------------- callbacks
    def on_train_begin(self, logs=None):
        if not self.resumed:
            self.reset()
        self.resumed = False

    def better(self, value):
        if self.best is None:
            return True
        return value < self.best if self.mode == "min" else value > self.best

    def on_epoch_end(self, epoch, logs=None):
        self.last_epoch = epoch
        value = (logs or {}).get(self.monitor)
        if value is None:  # not measured this epoch (no validation data)
            return
        if math.isfinite(float(value)) and self.better(float(value)):
            self.best, self.best_epoch, self.wait = float(value), epoch, 0
            self.weights = [w.copy() for w in self.model.get_weights()]
            return
        self.wait += 1
        if self.patience is not None and self.wait >= self.patience:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch is not None and self.print_fn is not None:
            self.print_fn(
                f"keras-seq: no better {self.monitor} in {self.patience} epochs; stopped after epoch "
                f"{self.stopped_epoch + 1}"
            )
        if self.weights is None or self.best_epoch == self.last_epoch:
            return
        self.model.set_weights(self.weights)
        if self.print_fn is not None:
            self.print_fn(
                f"keras-seq: kept the weights of epoch {self.best_epoch + 1}, the best {self.monitor} ({self.best:.4g})"
            )
