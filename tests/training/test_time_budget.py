import time

import keras
import numpy as np
import pytest

from keras_seq.training import TimeBudget


def test_stops_fit_after_budget():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")

    class Slow(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            time.sleep(0.05)

    budget = TimeBudget(0.3)
    start = time.monotonic()
    history = model.fit(np.zeros((4, 3)), np.zeros((4, 1)), batch_size=1, epochs=1000, verbose=0, callbacks=[Slow(), budget])
    assert budget.stopped
    assert time.monotonic() - start < 5
    assert len(history.history["loss"]) < 1000


def test_rejects_non_positive_budget():
    with pytest.raises(ValueError, match="seconds"):
        TimeBudget(0)
