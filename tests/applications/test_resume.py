"""A killed or interrupted training run resumes where it stopped (`applications/resume.py`)."""

import json

import pytest

from keras_seq.applications import training
from keras_seq.applications.char_lm import CharLMConfig
from tests.applications.shared import RUNS, quiet, run_cli

KILLED = r"""
import json, sys, time
import keras
from keras_seq.applications.char_lm import CharLMConfig, train

class Slow(keras.callbacks.Callback):
    # slow enough to be killed mid-epoch; says how many steps are done
    def on_train_batch_end(self, batch, logs=None):
        self.done = getattr(self, "done", 0) + 1
        print(json.dumps({"done": self.done}), flush=True)
        time.sleep(0.15)

config = CharLMConfig(**json.loads(sys.argv[3]))
train(config, data=sys.argv[1], model_dir=sys.argv[2], verbose=0, samples=False, checkpoint_every=3, callbacks=[Slow()])
"""


def _kill_after_checkpoint(command, state_file, steps, timeout=240):
    """Run `command` (a training that prints `{"done": N}` after each
    step), SIGKILL it once its checkpoint counts `steps` steps, and return
    `(state, trained, stderr)`: the checkpoint left, the steps it had
    trained when killed, and its error output."""
    import signal
    import subprocess
    import time

    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and process.poll() is None:
            if state_file.exists() and json.loads(state_file.read_text())["global_step"] >= steps:
                break
            time.sleep(0.1)
        process.send_signal(signal.SIGKILL)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    trained = max(json.loads(line)["done"] for line in out.splitlines() if line.startswith('{"done"'))
    return json.loads(state_file.read_text()), trained, err


RESUMABLE = CharLMConfig(units=32, embedding_dim=16, sequence_length=20, batch_size=8, epochs=3, dropout=0.0)


def test_a_killed_run_resumes_at_its_last_checkpoint_and_ends_where_an_uninterrupted_one_does(
    tmp_path, text_file, capsys
):
    import sys

    import numpy as np

    model_dir = tmp_path / "killed"
    script = [sys.executable, "-c", KILLED, str(text_file), str(model_dir), json.dumps(RESUMABLE.to_dict())]
    state, trained, err = _kill_after_checkpoint(
        script, model_dir / "backup" / "state.json", 6
    )  # in the middle of the first epoch
    assert state["epoch"] == 0 and 6 <= state["global_step"] <= trained, (state, trained, err[-2000:])
    assert trained - state["global_step"] <= 3  # lost: the steps since the last checkpoint, at most
    # another config is refused while the killed run's checkpoint is there: one line, nothing touched
    same = [
        "--embedding-dim",
        "16",
        "--sequence-length",
        "20",
        "--batch-size",
        "8",
        "--epochs",
        "3",
        "--dropout",
        "0",
        "--quiet",
    ]
    code, _, message = run_cli(
        capsys, "char-lm", "train", "--data", str(text_file), "--model-dir", str(model_dir), "--units", "16", *same
    )
    assert (
        code == 2
        and "(config.units differ)" in message
        and "delete" in message
        and len(message.strip().splitlines()) == 1
    )
    from keras_seq.applications.char_lm import train

    messages = []
    resumed, history = train(
        RESUMABLE, data=str(text_file), model_dir=str(model_dir), **quiet(print_fn=messages.append, samples=False)
    )
    assert any(f"{state['global_step']} steps done" in m for m in messages), messages
    assert len(history.history["loss"]) == 3  # the rest of the first epoch, then the two others
    fresh, fresh_history = train(
        RESUMABLE, data=str(text_file), model_dir=str(tmp_path / "fresh"), **quiet(samples=False)
    )
    gaps = [np.abs(a - b).max() for a, b in zip(resumed.model.get_weights(), fresh.model.get_weights())]
    assert max(gaps) < 1e-5, max(gaps)  # the same batches in the same order: the same model
    assert abs(history.history["val_loss"][-1] - fresh_history.history["val_loss"][-1]) < 1e-5
    assert not (model_dir / "backup").exists()


def test_a_keyboard_interrupt_writes_a_checkpoint_and_the_command_exits_130(tmp_path, text_file, capsys, monkeypatch):
    import keras

    from keras_seq.applications.char_lm import train
    from keras_seq.errors import TrainingInterrupted
    from keras_seq.training import TrainingCheckpoint

    class CtrlC(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            if batch == 5:  # five steps done
                raise KeyboardInterrupt

    model_dir = tmp_path / "stopped"
    with pytest.raises(TrainingInterrupted, match="epoch 1, step 5 .* run the same command to resume"):
        train(
            RESUMABLE,
            data=str(text_file),
            model_dir=str(model_dir),
            checkpoint_every=100,
            callbacks=[CtrlC()],
            **quiet(samples=False),
        )
    state = TrainingCheckpoint.read(str(model_dir / "backup"))
    assert (state["epoch"], state["step"], state["global_step"]) == (0, 5, 5) and not (
        model_dir / "model.keras"
    ).exists()

    def interrupted(*args, **kwargs):
        raise TrainingInterrupted(
            "interrupted: a checkpoint of epoch 1, step 5 is in X; run the same command to resume"
        )

    monkeypatch.setattr(training, "train", interrupted)
    code, _, err = run_cli(capsys, "char-lm", "train", "--data", str(text_file), "--model-dir", str(tmp_path / "cli"))
    assert code == 130 and err.strip().splitlines()[-1].endswith("run the same command to resume")


# alone it passes; in the full run it did not exit within 120 s of SIGINT, twice (not understood yet)
@pytest.mark.slow
def test_ctrl_c_writes_a_checkpoint_and_exits_130(tmp_path, text_file):
    import signal
    import subprocess
    import sys
    import time

    model_dir = tmp_path / "stopped"
    command = [sys.executable, "-X", "faulthandler", "-m", "keras_seq.applications.cli", "char-lm", "train"]
    command += ["--data", str(text_file), "--model-dir", str(model_dir), "--sequence-length", "20", "--batch-size", "8"]
    command += ["--epochs", "100000", "--checkpoint-every", "2", "--quiet"]
    # a pytest-xdist worker ignores SIGINT, and a child inherits that: give the command the default, as a terminal does
    default_sigint = lambda: signal.signal(signal.SIGINT, signal.SIG_DFL)  # noqa: E731
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=default_sigint
    )
    try:
        deadline = time.monotonic() + 240
        while (
            time.monotonic() < deadline
            and process.poll() is None
            and not (model_dir / "backup" / "state.json").exists()
        ):
            time.sleep(0.1)
        assert (model_dir / "backup" / "state.json").exists(), "no checkpoint before the deadline"
        process.send_signal(signal.SIGINT)
        try:
            _, err = process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGABRT)  # faulthandler prints where every thread is
            _, err = process.communicate(timeout=60)
            raise AssertionError(f"no exit within 120 s of SIGINT; the threads:\n{err[-6000:]}") from None
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, err[-2000:]
    assert "run the same command to resume" in err.strip().splitlines()[-1]
    from keras_seq.training import TrainingCheckpoint

    state = TrainingCheckpoint.read(str(model_dir / "backup"))
    assert state is not None and state["global_step"] >= 2 and not (model_dir / "model.keras").exists()


KILLED_APP = (
    r"""
import json, sys, time
import keras

app, data, folder = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
"""
    + RUNS
    + r"""

class Slow(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        self.done = getattr(self, "done", 0) + 1
        print(json.dumps({"done": self.done}), flush=True)
        time.sleep(0.3)

apps = {app: data}
train, config, kwargs = runs(app)
config = config.replace(epochs=3)
train(config, model_dir=folder, verbose=0, checkpoint_every=2, callbacks=[Slow()], **kwargs)
"""
)


@pytest.mark.slow  # five applications, each killed, resumed and trained again uninterrupted (about 4 minutes)
@pytest.mark.parametrize("app", ["sentiment", "translate", "caption", "ntm", "forecast"])
def test_every_application_resumes_a_killed_run_where_an_uninterrupted_one_ends(app, tmp_path):
    import sys

    import numpy as np

    from tests.applications.caption.conftest import write_strips
    from tests.applications.sentiment.conftest import write_reviews
    from tests.applications.translate.conftest import write_pairs

    if app == "sentiment":
        data = write_reviews(tmp_path / "reviews.csv", repeat=8)
    elif app == "translate":
        data = write_pairs(tmp_path / "pairs.tsv", 400)
    elif app == "caption":
        data = write_strips(tmp_path / "strips", 120)
    elif app == "forecast":
        from tests.applications.forecast.conftest import hourly_rows, write_csv

        data = write_csv(tmp_path / "hourly.csv", *hourly_rows(600))
    data = None if app == "ntm" else str(data)
    model_dir = tmp_path / "killed"
    command = [sys.executable, "-c", KILLED_APP, app, json.dumps(data), str(model_dir)]
    state, trained, err = _kill_after_checkpoint(command, model_dir / "backup" / "state.json", 3, timeout=300)
    assert 3 <= state["global_step"] <= trained <= state["global_step"] + 2, (state, trained, err[-2000:])
    namespace = {}
    exec(RUNS, namespace)  # the same runs() as the killed process
    namespace["apps"] = {app: data}
    train, config, kwargs = namespace["runs"](app)
    config = config.replace(epochs=3)
    again, resumed = train(config, model_dir=str(model_dir), verbose=0, print_fn=lambda *a: None, **kwargs)
    task, fresh = train(config, model_dir=str(tmp_path / "fresh"), verbose=0, print_fn=lambda *a: None, **kwargs)
    # the losses after the resume: the same weights, optimizer state and batches give the same numbers (a resumed
    # partial epoch's training loss averages its remaining steps only, so it is left out), and the same final
    # weights, also where a best epoch is put back (the sentiment classifier's early stop, the NTM's keep_best:
    # their state is in the checkpoint)
    gaps = [float(np.abs(a - b).max()) for a, b in zip(again.model.get_weights(), task.model.get_weights())]
    assert max(gaps) < 1e-3, (app, max(gaps))
    tail = len(resumed.history["loss"])
    assert 1 <= tail <= 3
    partial = 1 if state["step"] > 0 and tail == len(fresh.history["loss"]) - state["epoch"] else 0
    pairs = {"val_loss": (resumed.history["val_loss"], fresh.history["val_loss"][-tail:])}
    pairs["loss"] = (
        resumed.history["loss"][partial:],
        fresh.history["loss"][len(fresh.history["loss"]) - tail + partial :],
    )
    for key, (got, want) in pairs.items():
        assert len(got) == len(want) and float(np.abs(np.array(got) - np.array(want)).max(initial=0.0)) < 1e-4, (
            key,
            got,
            want,
        )
