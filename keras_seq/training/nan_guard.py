"""Stop training on a NaN loss and go back to the last good weights."""

import math

import keras


class NaNGuard(keras.callbacks.Callback):
    """Keeps a copy of the weights at the end of every epoch whose loss was
    finite; when a batch's loss is NaN or infinite, it says so, stops `fit`
    and puts that copy back (the initial weights if no epoch finished), so
    whatever saves the model afterwards saves good weights.

    Args:
        print_fn: where the message goes. Default `print`.

    Attributes:
        stopped_at: `(epoch, batch)` of the bad loss, or None.

    Examples:
        >>> model.fit(data, epochs=50, callbacks=[NaNGuard()])
    """

    def __init__(self, print_fn=print):
        super().__init__()
        self.print_fn = print_fn
        self.good = None
        self.epoch = 0
        self.stopped_at = None

    def on_train_begin(self, logs=None):
        self.good = [w.copy() for w in self.model.get_weights()]
        self.stopped_at = None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None or math.isfinite(float(loss)):
            return
        self.stopped_at = (self.epoch, batch)
        self.model.stop_training = True
        self.model.set_weights(self.good)
        where = f"epoch {self.epoch + 1}, batch {batch + 1}"
        self.print_fn(
            f"keras-seq: the loss became {float(loss)} at {where}; training stopped and the weights of the last good "
            "epoch were kept"
        )

    def on_epoch_end(self, epoch, logs=None):
        if self.stopped_at is None:
            self.good = [w.copy() for w in self.model.get_weights()]
