import keras
import numpy as np
import pytest

from keras_seq.training import BestWeights


class Scores(keras.callbacks.Callback):
    """Logs a given score for each epoch and keeps each epoch's weights."""

    def __init__(self, scores):
        super().__init__()
        self.scores = scores
        self.weights = []

    def on_epoch_end(self, epoch, logs=None):
        if self.scores[epoch] is not None:
            logs["val_score"] = self.scores[epoch]
        self.weights.append([w.copy() for w in self.model.get_weights()])


def fit(callbacks, epochs):
    x = np.random.default_rng(0).normal(size=(32, 3)).astype("float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.1), "mse")
    model.fit(x, x[:, :1] * 2, batch_size=8, epochs=epochs, verbose=0, callbacks=callbacks)
    return model


@pytest.mark.parametrize(
    "mode, scores, best", [("min", [3.0, 1.0, 2.0, float("nan")], 1), ("max", [0.2, 0.1, 0.9, 0.5], 2)]
)
def test_the_best_epochs_weights_are_put_back(mode, scores, best):
    record, messages = Scores(scores), []
    keep = BestWeights("val_score", mode=mode, print_fn=messages.append)
    model = fit([record, keep], epochs=len(scores))
    assert keep.best_epoch == best and keep.best == scores[best]
    for kept, expected, last in zip(model.get_weights(), record.weights[best], record.weights[-1]):
        np.testing.assert_array_equal(kept, expected)
        assert not np.array_equal(kept, last)
    assert len(messages) == 1 and f"epoch {best + 1}" in messages[0]


def test_the_last_epoch_stays_when_it_is_the_best():
    record, messages = Scores([3.0, 2.0, 1.0]), []
    model = fit([record, BestWeights("val_score", print_fn=messages.append)], epochs=3)
    for kept, last in zip(model.get_weights(), record.weights[-1]):
        np.testing.assert_array_equal(kept, last)
    assert not messages


def test_a_bad_mode_is_refused():
    with pytest.raises(ValueError, match="mode"):
        BestWeights(mode="lowest")


def test_patience_stops_after_epochs_without_a_better_value_and_keeps_the_best():
    record, messages = Scores([0.5, 0.7, 0.6, 0.65, 0.9, 1.0]), []
    keep = BestWeights("val_score", mode="max", patience=2, print_fn=messages.append)
    model = fit([record, keep], epochs=6)
    assert len(record.weights) == 4 and keep.stopped_epoch == 3  # epochs 3 and 4 no better than 2
    for kept, expected in zip(model.get_weights(), record.weights[1]):
        np.testing.assert_array_equal(kept, expected)
    assert "stopped after epoch 4" in messages[0] and "epoch 2" in messages[1]


def test_its_state_carries_the_best_epoch_and_the_patience_into_another_fit():
    first = BestWeights("val_score", mode="max", patience=2)
    fit([Scores([0.5, 0.7, 0.6]), first], epochs=3)
    values, arrays = first.get_state()
    assert (values["best_epoch"], values["wait"]) == (1, 1) and len(arrays) == 2
    # another process: a fresh callback takes the state; one more epoch without a gain ends the patience
    resumed = BestWeights("val_score", mode="max", patience=2)
    resumed.set_state(values, arrays)
    record = Scores([None, None, None, 0.55, 0.99])
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.1), "mse")
    x = np.ones((8, 3), "float32")
    model.fit(x, x[:, :1], epochs=5, initial_epoch=3, verbose=0, callbacks=[record, resumed])
    assert resumed.stopped_epoch == 3 and resumed.best_epoch == 1
    for kept, expected in zip(model.get_weights(), arrays):
        np.testing.assert_array_equal(kept, expected)
    # without set_state, a new fit starts afresh
    fresh = BestWeights("val_score", mode="max", patience=2)
    fit([Scores([0.1, 0.2, 0.3]), fresh], epochs=3)
    assert fresh.best_epoch == 2 and fresh.stopped_epoch is None


@pytest.mark.parametrize("patience", [0, -1, 1.5, True])
def test_a_bad_patience_is_refused(patience):
    with pytest.raises(ValueError, match="patience"):
        BestWeights(patience=patience)
