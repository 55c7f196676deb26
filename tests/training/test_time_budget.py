import time

import keras
import numpy as np
import pytest

from keras_seq.training import TimeBudget


class Slow(keras.callbacks.Callback):
    """50 ms a step."""

    def on_train_batch_end(self, batch, logs=None):
        time.sleep(0.05)


def test_stops_fit_after_budget():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")

    budget = TimeBudget(0.3)
    start = time.monotonic()
    history = model.fit(
        np.zeros((4, 3)), np.zeros((4, 1)), batch_size=1, epochs=1000, verbose=0, callbacks=[Slow(), budget]
    )
    assert budget.stopped
    assert time.monotonic() - start < 5
    assert len(history.history["loss"]) < 1000


def test_rejects_non_positive_budget():
    with pytest.raises(ValueError, match="seconds"):
        TimeBudget(0)


def test_a_deadline_is_shared_by_copies_of_the_callback():
    import copy

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    budget = TimeBudget(1000, deadline=time.monotonic() + 0.2)
    time.sleep(0.3)  # the deadline has passed before this fit starts
    trial = copy.deepcopy(budget)  # as keras-tuner copies callbacks per trial
    history = model.fit(np.zeros((4, 3)), np.zeros((4, 1)), batch_size=1, epochs=50, verbose=0, callbacks=[trial])
    assert trial.stopped and len(history.history["loss"]) == 1
    with pytest.raises(ValueError, match="neither"):
        TimeBudget()


def test_a_resumed_run_gets_what_is_left_of_the_budget():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")

    resumed = TimeBudget(1.0, spent=0.9)  # 0.9 s of the budget went to the run before the crash
    history = model.fit(
        np.zeros((4, 3)), np.zeros((4, 1)), batch_size=1, epochs=100, verbose=0, callbacks=[Slow(), resumed]
    )
    assert resumed.stopped and len(history.history["loss"]) == 1 and resumed.elapsed() >= 1.0
    # one callback over two fits of one run counts both
    both = TimeBudget(100)
    model.fit(np.zeros((4, 3)), np.zeros((4, 1)), batch_size=1, epochs=2, verbose=0, callbacks=[Slow(), both])
    first = both.elapsed()
    model.fit(np.zeros((4, 3)), np.zeros((4, 1)), batch_size=1, epochs=1, verbose=0, callbacks=[Slow(), both])
    assert first >= 0.4 and both.elapsed() >= first + 0.2
