import json
import os
import time

import keras
import numpy as np
import pytest

from keras_seq.training import TrainingCheckpoint

X = np.random.default_rng(0).normal(size=(32, 3)).astype("float32")
Y = X.sum(-1, keepdims=True)


def _model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.Adam(0.01), "mse")
    return model


def test_writes_every_n_steps_and_at_each_epochs_end(tmp_path):
    saved = []

    class Watch(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            saved.append(checkpoint.saves)

    checkpoint = TrainingCheckpoint(tmp_path, every_steps=3, fingerprint={"run": 1})
    _model().fit(X, Y, batch_size=4, epochs=2, verbose=0, callbacks=[checkpoint, Watch()])  # 8 steps an epoch
    # steps 3 and 6, the end of epoch 1 (step 8), then 11 and 14 (3 after the last), the end of epoch 2
    assert saved == [0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 4, 5, 5, 5] and checkpoint.saves == 6
    state = TrainingCheckpoint.read(tmp_path)
    assert (state["epoch"], state["step"], state["global_step"], state["fingerprint"]) == (2, 0, 16, {"run": 1})
    assert sorted(os.listdir(tmp_path)) == [
        "state.json",
        "weights-16.weights.h5",
    ]  # older weights and partial files gone


def test_restore_puts_back_the_weights_and_the_optimizer(tmp_path):
    model = _model()
    model.fit(X, Y, batch_size=4, epochs=1, verbose=0, callbacks=[TrainingCheckpoint(tmp_path, every_steps=100)])
    other = _model()
    TrainingCheckpoint.restore(other, tmp_path, TrainingCheckpoint.read(tmp_path))
    for a, b in zip(model.get_weights(), other.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert int(other.optimizer.iterations.numpy()) == 8
    np.testing.assert_array_equal(other.optimizer.variables[-1].numpy(), model.optimizer.variables[-1].numpy())


def test_time_based_by_default_and_agreed_by_the_cluster(tmp_path):
    class Slow(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            time.sleep(0.05)

    timed = TrainingCheckpoint(tmp_path / "timed", every_seconds=0.12)
    _model().fit(X, Y, batch_size=4, epochs=1, verbose=0, callbacks=[Slow(), timed])
    assert 2 <= timed.saves <= 5  # about every third step of 0.05 s, and the epoch's end
    verdicts = []

    def agree(mine):
        verdicts.append(mine)
        return len(verdicts) == 2  # the cluster says: now, after the second step only

    agreed = TrainingCheckpoint(tmp_path / "agreed", every_steps=1, agree=agree)
    _model().fit(X, Y, batch_size=4, epochs=1, verbose=0, callbacks=[agreed])
    assert (
        verdicts == [True] * 7 + [False] and agreed.saves == 2
    )  # step 2, and the epoch's end (its last step is saved with the end)


def test_reading_back(tmp_path):
    assert TrainingCheckpoint.read(tmp_path) is None
    (tmp_path / "state.json").write_text(
        json.dumps({"epoch": 1, "step": 0, "global_step": 8, "weights": "weights-8.weights.h5"})
    )
    assert TrainingCheckpoint.read(tmp_path) is None  # the weights it names are not there
    (tmp_path / "state.json").write_text('{"epoch": 1, "ste')  # cannot happen through save(); a hand-edited file can
    with pytest.raises(ValueError, match="damaged"):
        TrainingCheckpoint.read(tmp_path)


def test_a_write_cut_short_leaves_the_last_checkpoint(tmp_path):
    model = _model()
    checkpoint = TrainingCheckpoint(tmp_path, every_steps=100)
    model.fit(X, Y, batch_size=4, epochs=1, verbose=0, callbacks=[checkpoint])
    good = TrainingCheckpoint.read(tmp_path)

    def power_cut(*args, **kwargs):
        raise OSError("power cut")

    checkpoint.global_step += 1
    model.save_weights = power_cut
    with pytest.raises(OSError):
        checkpoint.save()
    assert TrainingCheckpoint.read(tmp_path) == good and sorted(os.listdir(tmp_path)) == [
        "state.json",
        "weights-8.weights.h5",
    ]


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="every_steps"):
        TrainingCheckpoint(tmp_path, every_steps=0)
    with pytest.raises(ValueError, match="every_seconds"):
        TrainingCheckpoint(tmp_path, every_seconds=0)


def test_it_holds_the_state_of_the_callbacks_it_keeps(tmp_path):
    from keras_seq.training import BestWeights

    class Score(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["val_score"] = [0.3, 0.1, 0.2][epoch]

    best = BestWeights("val_score", patience=5)
    checkpoint = TrainingCheckpoint(tmp_path, every_steps=100, keep=[best])
    _model().fit(X, Y, batch_size=4, epochs=3, verbose=0, callbacks=[Score(), best, checkpoint])
    state = TrainingCheckpoint.read(tmp_path)
    assert state["callbacks"] == [
        {"class": "BestWeights", "values": {"best": 0.1, "best_epoch": 1, "wait": 1, "last_epoch": 2}, "arrays": 2}
    ]
    assert sorted(os.listdir(tmp_path)) == ["callbacks-24.npz", "state.json", "weights-24.weights.h5"]
    again = BestWeights("val_score", patience=5)
    TrainingCheckpoint.restore(_model(), tmp_path, state, keep=[again])
    assert (again.best, again.best_epoch, again.wait) == (0.1, 1, 1)
    for a, b in zip(again.weights, best.weights):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="holds the state of"):
        TrainingCheckpoint.restore(_model(), tmp_path, state, keep=[])
