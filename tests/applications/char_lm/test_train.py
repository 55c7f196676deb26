import os

import keras
import pytest

from keras_seq.applications.char_lm import CharLMConfig, train
from keras_seq.errors import UserInputError

SMALL = CharLMConfig(units=16, embedding_dim=8, sequence_length=20, batch_size=4)
QUIET = {"verbose": 0, "samples": False, "print_fn": lambda *a: None}


class Crash(keras.callbacks.Callback):
    """Dies as the third epoch begins, after the second's checkpoint."""

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == 2:
            raise RuntimeError("power cut")


class OptimizerSteps(keras.callbacks.Callback):
    """The optimizer's step count when training starts (after a resume's restore)."""

    def on_train_begin(self, logs=None):
        self.at_start = int(self.model.optimizer.iterations.numpy())


def test_interrupted_training_resumes_and_leaves_no_half_model(tmp_path, text_file):
    model_dir = tmp_path / "m"
    with pytest.raises(RuntimeError, match="power cut"):
        train(SMALL.replace(epochs=4), data=str(text_file), model_dir=str(model_dir), callbacks=[Crash()], **QUIET)
    assert not (model_dir / "model.keras").exists()  # nothing half-written
    assert os.listdir(model_dir / "backup")
    messages, steps = [], OptimizerSteps()
    lm, history = train(
        SMALL.replace(epochs=4),
        data=str(text_file),
        model_dir=str(model_dir),
        callbacks=[steps],
        **{**QUIET, "print_fn": messages.append},
    )
    assert any("Resuming" in m for m in messages)
    assert len(history.history["loss"]) == 2  # epochs 3 and 4 only
    assert steps.at_start > 0  # the optimizer's state came back too, not only the weights
    assert (model_dir / "model.keras").exists() and not (model_dir / "backup").exists()


def test_a_crash_while_saving_keeps_the_backup(tmp_path, text_file, monkeypatch):
    from keras_seq.applications.char_lm import CharLM

    def power_cut(self, model_dir):
        raise RuntimeError("power cut while saving")

    model_dir = tmp_path / "m"
    with monkeypatch.context() as patch:
        patch.setattr(CharLM, "save", power_cut)
        with pytest.raises(RuntimeError, match="while saving"):
            train(SMALL.replace(epochs=1), data=str(text_file), model_dir=str(model_dir), **QUIET)
    assert os.listdir(model_dir / "backup")  # the trained epoch is still there
    messages = []
    _, history = train(
        SMALL.replace(epochs=1), data=str(text_file), model_dir=str(model_dir), **{**QUIET, "print_fn": messages.append}
    )
    assert (
        any("Resuming" in m for m in messages) and history.history.get("loss", []) == []
    )  # nothing left to train: saved at once
    assert (model_dir / "model.keras").exists() and not (model_dir / "backup").exists()


def test_tbptt_trains_and_generates(tmp_path, text_file):
    config = SMALL.replace(tbptt=True, batch_size=2, cell="gru")
    lm, history = train(config.replace(epochs=2), data=str(text_file), model_dir=str(tmp_path / "t"), **QUIET)
    assert history.history["val_loss"][-1] < history.history["val_loss"][0] + 0.5
    assert not lm.config.tbptt  # the saved model is the stateless copy
    assert len(lm.generate("To", max_length=10, seed=0)) == 10


def test_time_budget_stops_and_saves(tmp_path, text_file):
    lm, history = train(
        SMALL.replace(epochs=10_000), data=str(text_file), model_dir=str(tmp_path / "b"), time_budget=2, **QUIET
    )
    assert history.seconds < 60 and (tmp_path / "b" / "model.keras").exists()


def test_bad_data_writes_nothing(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("  \n ", encoding="utf-8")
    with pytest.raises(UserInputError):
        train(SMALL, data=str(bad), model_dir=str(tmp_path / "out"), **QUIET)
    assert not (tmp_path / "out").exists()


def test_sample_callback_prints_each_epoch(tmp_path, text_file):
    printed = []
    train(
        SMALL.replace(epochs=2),
        data=str(text_file),
        model_dir=str(tmp_path / "s"),
        verbose=0,
        samples=True,
        print_fn=printed.append,
    )
    assert sum("sample after epoch" in p for p in printed) == 2


class Poison(keras.callbacks.Callback):
    """Makes the weights NaN in the second epoch (as a diverging run would)."""

    def on_train_batch_begin(self, batch, logs=None):
        if self.epoch == 1 and batch == 1:
            weight = self.model.get_layer("logits").kernel
            weight.assign(weight * float("nan"))

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch


def test_a_nan_loss_stops_training_and_no_nan_model_is_saved(tmp_path, text_file):
    import numpy as np

    from keras_seq.applications.char_lm import CharLM

    model_dir = tmp_path / "m"
    messages = []
    lm, history = train(
        SMALL.replace(epochs=4),
        data=str(text_file),
        model_dir=str(model_dir),
        callbacks=[Poison()],
        **{**QUIET, "print_fn": messages.append},
    )
    assert any("became nan at epoch 2, batch 2" in m for m in messages), messages
    assert len(history.history["loss"]) == 2  # stopped in the second epoch
    assert all(np.isfinite(w).all() for w in lm.model.get_weights())  # the first epoch's weights, saved
    good = (model_dir / "model.keras").read_bytes()
    kernel = lm.model.get_layer("logits").kernel
    kernel.assign(kernel * float("nan"))
    with pytest.raises(UserInputError, match="NaN or infinite"):
        lm.save(str(model_dir))
    assert (model_dir / "model.keras").read_bytes() == good
    assert CharLM.load(str(model_dir)).generate("To", max_length=5, seed=0)


SAVING = r"""
import sys
from keras_seq.applications.char_lm import CharLM

lm = CharLM.load(sys.argv[1])
print("saving", flush=True)
while True:  # until killed, most likely in the middle of a save
    lm.save(sys.argv[1])
"""


@pytest.mark.slow  # a process killed while saving (9 s); tests/export/test_atomic.py checks the kill cases by default
def test_a_save_killed_midway_leaves_a_model_that_loads(trained, tmp_path):
    import shutil
    import signal
    import subprocess
    import sys
    import time

    from keras_seq.applications.char_lm import CharLM

    lm, _, model_dir = trained
    copy = tmp_path / "model"
    shutil.copytree(model_dir, copy)
    process = subprocess.Popen(
        [sys.executable, "-c", SAVING, str(copy)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout.readline().strip() == "saving", process.stderr.read()[-2000:]
        time.sleep(3.0)  # a few dozen saves
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    again = CharLM.load(str(copy))
    assert again.generate("To", max_length=20, seed=0) == lm.generate("To", max_length=20, seed=0)
    # the partial file of the killed save is beside, under its own name; the next save writes over nothing of it, and
    # clears it
    again.save(str(copy))
    assert CharLM.load(str(copy)).generate("To", max_length=20, seed=0) == lm.generate("To", max_length=20, seed=0)
    assert not list(copy.glob(".writing-*"))


class CrashAtTheEpochsEnd(keras.callbacks.Callback):
    """Dies at the first epoch's end, before its checkpoint (the last callback)."""

    def on_epoch_end(self, epoch, logs=None):
        if epoch == 0:
            raise RuntimeError("power cut at the epoch's end")


@pytest.mark.slow  # 25 s; tests/applications/test_resume.py resumes killed runs in the default run
def test_an_epochs_last_step_is_saved_with_its_end_so_a_resume_never_skips_the_end(tmp_path, text_file):
    from keras_seq.training import TrainingCheckpoint

    model_dir = tmp_path / "m"
    with pytest.raises(RuntimeError, match="epoch's end"):
        train(
            SMALL.replace(epochs=3),
            data=str(text_file),
            model_dir=str(model_dir),
            checkpoint_every=1,
            callbacks=[CrashAtTheEpochsEnd()],
            **QUIET,
        )
    state = TrainingCheckpoint.read(str(model_dir / "backup"))
    assert (
        state["epoch"] == 0 and state["step"] > 0
    )  # the step before the last: the last one's checkpoint is the epoch's end
    messages = []
    _, history = train(
        SMALL.replace(epochs=3), data=str(text_file), model_dir=str(model_dir), **{**QUIET, "print_fn": messages.append}
    )
    assert any(f"epoch 1, step {state['step']}" in m for m in messages), messages
    assert (
        len(history.history["loss"]) == 3
    )  # the first epoch's last step and its end (validation), then epochs 2 and 3


class Score(keras.callbacks.Callback):
    """Logs a score per epoch whose best (lowest) is the first epoch's."""

    def on_epoch_end(self, epoch, logs=None):
        logs["val_score"] = [0.1, 0.5, 0.2][epoch]


class PowerCut(keras.callbacks.Callback):
    """Dies after the second step of the second epoch."""

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if (self.epoch, batch) == (1, 1):
            raise RuntimeError("power cut")


def test_a_resumed_run_keeps_its_best_epoch_and_sees_one_run(tmp_path, text_file):
    import numpy as np

    from keras_seq.training import BestWeights

    config = SMALL.replace(epochs=3, dropout=0.0)
    model_dir = tmp_path / "m"
    with pytest.raises(RuntimeError, match="power cut"):
        callbacks = [Score(), BestWeights("val_score"), PowerCut()]
        train(config, data=str(text_file), model_dir=str(model_dir), checkpoint_every=1, callbacks=callbacks, **QUIET)
    best = BestWeights("val_score")
    lm, history = train(config, data=str(text_file), model_dir=str(model_dir), callbacks=[Score(), best], **QUIET)
    fresh, fresh_history = train(
        config,
        data=str(text_file),
        model_dir=str(tmp_path / "fresh"),
        callbacks=[Score(), BestWeights("val_score")],
        **QUIET,
    )
    assert best.best_epoch == 0  # from the checkpoint: the resumed run saw epochs 2 and 3 only
    for a, b in zip(lm.model.get_weights(), fresh.model.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-5)  # the first epoch's, put back
    # the resumed partial epoch and the next are two fits, one run: the best weights were not put back between them
    assert abs(history.history["val_loss"][-1] - fresh_history.history["val_loss"][-1]) < 1e-5


def test_a_time_budget_without_epochs_trains_until_it_is_spent(tmp_path, text_file, monkeypatch):
    from keras_seq.applications.config import UNTIL_BUDGET

    monkeypatch.setattr(CharLMConfig, "default_epochs", 1)
    config = SMALL.replace(epochs=None)
    assert (
        config.epochs_to_run() == 1
        and config.epochs_to_run(60) == UNTIL_BUDGET
        and SMALL.replace(epochs=2).epochs_to_run(60) == 2
    )
    messages, asked = [], OptimizerSteps()
    options = {**QUIET, "print_fn": messages.append, "callbacks": [asked]}
    _, history = train(config, data=str(text_file), model_dir=str(tmp_path / "budget"), time_budget=4.0, **options)
    # fit was asked for epochs until the budget, not the default of 1 (how many fit in 4 s depends on the machine's
    # load)
    assert asked.params["epochs"] == UNTIL_BUDGET and any("until the time budget" in m for m in messages)
    assert history.seconds >= 4.0  # the budget was spent (how long after it is not a test's business)
    _, capped = train(
        SMALL.replace(epochs=1), data=str(text_file), model_dir=str(tmp_path / "capped"), time_budget=60.0, **QUIET
    )
    assert len(capped.history["loss"]) == 1  # an explicit --epochs still caps it
