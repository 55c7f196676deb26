"""The shared search driver (`applications/training.py`), on the char LM."""

import json
import os

import pytest

from keras_seq.applications import training
from keras_seq.applications.char_lm import CharLM, CharLMConfig
from keras_seq.errors import UserInputError
from tests.applications.char_lm.conftest import TEXT
from tests.applications.shared import run_cli

CONFIG = CharLMConfig(sequence_length=20, batch_size=8, epochs=1)
TUNE = ["--sequence-length", "20", "--batch-size", "8", "--epochs", "1", "--quiet"]


@pytest.fixture(scope="module")
def text_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("text") / "play.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def _quiet(**kwargs):
    return {"verbose": 0, "print_fn": lambda *a: None, **kwargs}


def test_search_writes_the_best_model_resumes_and_refuses_other_data(tmp_path):
    text = tmp_path / "a.txt"
    text.write_text(TEXT, encoding="utf-8")
    model_dir = str(tmp_path / "search")
    task, rows = training.tune(CharLM, CONFIG, data=str(text), model_dir=model_dir, max_trials=2, **_quiet())
    assert [row["status"] for row in rows] == ["COMPLETED", "COMPLETED"]
    assert rows[0]["score"] <= rows[1]["score"]  # best first (val_loss)
    assert os.path.isfile(os.path.join(model_dir, "model.keras"))
    saved = CharLM.load(model_dir)  # a trained model, as `train` leaves it
    assert saved.model.count_params() == task.model.count_params()
    assert {"cell", "units", "learning_rate"} <= set(rows[0])
    saved_config = saved.model.metadata["config"]  # the best trial's values
    assert (saved_config["units"], saved_config["cell"]) == (rows[0]["units"], rows[0]["cell"])

    # the same search again, one more trial: the first two are kept
    _, more = training.tune(CharLM, CONFIG, data=str(text), model_dir=model_dir, max_trials=3, **_quiet())
    assert len(more) == 3
    assert {r["trial"]: r["units"] for r in rows}.items() <= {r["trial"]: r["units"] for r in more}.items()

    # other data: refused, unless the search starts afresh
    other = tmp_path / "b.txt"
    other.write_text(TEXT.upper(), encoding="utf-8")
    with pytest.raises(UserInputError, match="another data.*--overwrite"):
        training.tune(CharLM, CONFIG, data=str(other), model_dir=model_dir, max_trials=3, **_quiet())
    with pytest.raises(UserInputError, match="another tuner"):
        training.tune(CharLM, CONFIG, data=str(text), model_dir=model_dir, tuner="bayesian", max_trials=3, **_quiet())
    _, fresh = training.tune(CharLM, CONFIG, data=str(other), model_dir=model_dir, max_trials=1, overwrite=True, **_quiet())
    assert len(fresh) == 1
    with open(os.path.join(model_dir, "tuning", "char_lm", "search.json")) as file:
        assert json.load(file)["data"]["source"] == str(other.resolve())


def test_time_budget_bounds_the_whole_search(tmp_path, text_file):
    messages = []
    _, rows = training.tune(
        CharLM,
        CONFIG.replace(epochs=1000),
        data=str(text_file),
        model_dir=str(tmp_path / "s"),
        max_trials=50,
        time_budget=6,
        verbose=0,
        print_fn=messages.append,
    )
    # the first trial runs until the budget is spent, then no other starts
    assert len(rows) == 1 and rows[0]["status"] == "COMPLETED"
    assert any("time budget" in m for m in messages)


def test_bad_tuner_is_refused(text_file, tmp_path):
    with pytest.raises(ValueError, match="tuner"):
        training.tune(CharLM, CONFIG, data=str(text_file), model_dir=str(tmp_path), tuner="grid", **_quiet())


@pytest.mark.parametrize("tuner", ["bayesian", "hyperband"])
def test_cli_searches_prints_the_trials_and_leaves_a_usable_model(tmp_path, text_file, capsys, tuner):
    model_dir = str(tmp_path / tuner)
    # Hyperband's brackets run up to --epochs per trial: 1 would make a single trial
    epochs = ["--epochs", "3"] if tuner == "hyperband" else []
    code, out, _ = run_cli(capsys, "char-lm", "tune", "--tuner", tuner, "--data", str(text_file), "--model-dir", model_dir, "--max-trials", "2", *TUNE, *epochs)
    assert code == 0
    lines = out.strip().splitlines()
    result = json.loads(lines[-1])
    assert result["trials"] == 2 and {"cell", "units"} <= set(result["best_hyperparameters"])
    header = next(i for i, line in enumerate(lines) if line.startswith("trial "))
    assert "val_loss" in lines[header] and len(lines[header + 1 : header + 3]) == 2
    code, out, _ = run_cli(capsys, "char-lm", "evaluate", "--data", str(text_file), "--model-dir", model_dir)
    assert code == 0 and json.loads(out.strip().splitlines()[-1])


def _free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow  # three processes, about 40 s; the README's test command must stay under 10 minutes
def test_distributed_search_with_a_chief_and_two_workers(tmp_path, text_file):
    import glob
    import subprocess
    import sys

    model_dir = tmp_path / "distributed"
    command = [sys.executable, "-c", "import sys; from keras_seq.applications import cli; sys.exit(cli.main(sys.argv[1:]))"]
    command += ["char-lm", "tune", "--data", str(text_file), "--model-dir", str(model_dir), "--max-trials", "3", *TUNE]
    env = {**os.environ, "KERASTUNER_ORACLE_IP": "127.0.0.1", "KERASTUNER_ORACLE_PORT": str(_free_port())}
    names = ["worker0", "worker1", "chief"]  # workers first: they make the folder before the chief checks it
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
    processes = [subprocess.Popen(command, env={**env, "KERASTUNER_TUNER_ID": name}, **pipes) for name in names]
    try:
        # the chief checks every 20 s whether the workers are done: a bounded wait
        outputs = [process.communicate(timeout=300) for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    for name, process, (out, err) in zip(names, processes, outputs):
        assert process.returncode == 0, f"{name}: {err[-2000:]}"
    chief_result = json.loads(outputs[-1][0].strip().splitlines()[-1])
    assert chief_result["trials"] == 3
    for out, _ in outputs[:-1]:
        assert json.loads(out.strip().splitlines()[-1])["done"] is True  # a worker returns before saving
    trials = []
    for path in glob.glob(str(model_dir / "tuning" / "char_lm" / "trial_*" / "trial.json")):
        with open(path) as file:
            trials.append(json.load(file))
    assert sorted(t["trial_id"] for t in trials) == ["0", "1", "2"]  # every trial ran once
    assert all(t["status"] == "COMPLETED" for t in trials)
    assert CharLM.load(str(model_dir)).model.metadata["config"]["units"] == chief_result["best_hyperparameters"]["units"]


# each application's small training run, equal batches and no dropout (the
# scripts below run it under several strategies in fresh processes)
RUNS = r"""
def runs(app):
    if app == "char_lm":
        from keras_seq.applications.char_lm import CharLMConfig, train

        config = CharLMConfig(units=32, embedding_dim=16, sequence_length=20, batch_size=8, epochs=2, dropout=0.0, clipnorm=0.0)
        return train, config, {"data": apps[app], "samples": False}
    if app == "sentiment":
        from keras_seq.applications.sentiment import SentimentConfig, train

        config = SentimentConfig(units=16, embedding_dim=16, attention_units=8, dropout=0.0, batch_size=16, epochs=2)
        return train, config, {"data": apps[app]}
    if app == "translate":
        from keras_seq.applications.translate import train
        from tests.applications.translate.conftest import SMALL

        return train, SMALL.replace(epochs=2, clipnorm=0.0), {"data": apps[app]}
    if app == "caption":
        from keras_seq.applications.caption import train
        from tests.applications.caption.conftest import SMALL

        return train, SMALL.replace(epochs=2, clipnorm=0.0), {"data": apps[app]}
    from keras_seq.applications.ntm import train
    from tests.applications.ntm.conftest import TINY

    return train, TINY.replace(clip=0.0), {}
"""

MIRRORED = (
    r"""
import json, sys
import tensorflow as tf

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
# the one-device reference runs under a MirroredStrategy of one device: Keras
# then reads the data as it does for two (one batch read ahead to build the
# model), so both runs see the same batches, shuffling included
one = tf.distribute.MirroredStrategy(["/cpu:0"])
two = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
apps, folder = json.loads(sys.argv[1]), sys.argv[2]
"""
    + RUNS
    + r"""
# no gradient clipping: Keras 3.15 clips each replica's gradient before
# the replicas' sum, which one device cannot do alike
result = {}
for app in apps:
    train, config, kwargs = runs(app)
    losses = []
    for name, strategy in (("one", one), ("two", two)):
        _, history = train(config, model_dir=f"{folder}/{app}-{name}", verbose=0, print_fn=lambda *a: None, strategy=strategy, **kwargs)
        losses.append(history.history["loss"] + history.history["val_loss"])
    result[app] = {"gap": max(abs(a - b) for a, b in zip(*losses)), "losses": losses}
print(json.dumps(result))
"""
)


def _mirrored_gaps(apps, folder):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", MIRRORED, json.dumps(apps), str(folder)], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_mirrored_training_matches_one_device_on_the_same_batches(tmp_path, text_file, capsys):
    result = _mirrored_gaps({"char_lm": str(text_file)}, tmp_path)
    assert result["char_lm"]["gap"] < 1e-5, result  # losses of both epochs and validation losses
    # a strategy cannot split the char LM's stateful streams: one line, exit 2, nothing written
    code, _, err = run_cli(capsys, "char-lm", "train", "--tbptt", "--strategy", "mirrored", "--data", str(text_file), "--model-dir", str(tmp_path / "t"))
    assert code == 2 and "--tbptt" in err and not (tmp_path / "t").exists()


@pytest.mark.slow  # four applications, two trainings each (about 2 minutes); the char LM's is in the default run
def test_every_application_trains_the_same_on_two_replicas(tmp_path, text_file):
    from tests.applications.caption.conftest import write_strips
    from tests.applications.sentiment.conftest import NEGATIVE, POSITIVE
    from tests.applications.translate.conftest import toy_pairs

    reviews = tmp_path / "reviews.csv"
    reviews.write_text("review,sentiment\n" + "".join(f'"{t}",pos\n' for t in POSITIVE * 8) + "".join(f'"{t}",neg\n' for t in NEGATIVE * 8), encoding="utf-8")
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("".join(f"{s}\t{t}\n" for s, t in toy_pairs(400)), encoding="utf-8")
    with pytest.raises(UserInputError, match="raw strings"):  # refused before anything is read
        from keras_seq.applications.sentiment import train as train_sentiment

        train_sentiment(data=str(reviews), model_dir=str(tmp_path / "s"), strategy="mirrored")
    apps = {
        "char_lm": str(text_file),
        "translate": str(pairs),
        "caption": str(write_strips(tmp_path / "strips", 120)),
        "ntm": None,
    }
    result = _mirrored_gaps(apps, tmp_path / "models")
    assert set(result) == set(apps)
    # the same training, up to the order of float sums; the captioner's batch
    # normalization takes its statistics from moments summed over the replicas
    # (synchronized), not from one pass over the batch: a little further apart
    tolerance = {"caption": 1e-3}
    for app, run in result.items():
        assert run["gap"] < tolerance.get(app, 1e-4), (app, run)


MULTIWORKER = (
    r"""
import json, sys
import keras
import tensorflow as tf

mode, apps, folder, options = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], json.loads(sys.argv[4])
# the reference: one device under a MirroredStrategy, which reads the data as the cluster does
strategy = tf.distribute.MirroredStrategy(["/cpu:0"]) if mode == "one" else "multiworker"
"""
    + RUNS
    + r"""

class Watch(keras.callbacks.Callback):
    # prints each epoch's loss; with options["crash"] = k, every worker dies as epoch k begins
    def on_epoch_begin(self, epoch, logs=None):
        if epoch == options.get("crash"):
            sys.exit(3)

    def on_epoch_end(self, epoch, logs=None):
        print(json.dumps({"epoch": epoch, "loss": logs["loss"]}), flush=True)


result = {}
for app in apps:
    train, config, kwargs = runs(app)
    config = config.replace(**options.get("config", {}))
    _, history = train(
        config, model_dir=f"{folder}/{app}", verbose=0, strategy=strategy, time_budget=options.get("budget"), callbacks=[Watch()], **kwargs
    )
    result[app] = history.history["loss"] + history.history["val_loss"]
print(json.dumps(result))
"""
)


def _cluster(apps, folder, options=None, reference=False, timeout=600):
    """Two workers of a MultiWorkerMirroredStrategy on loopback ports (and
    with `reference`, the one-device run beside them), each a process
    running `MULTIWORKER`: `[(exit code, stdout, stderr)]`, the chief first."""
    import socket
    import subprocess
    import sys

    sockets = [socket.socket() for _ in range(2)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    cluster = {"worker": [f"127.0.0.1:{sock.getsockname()[1]}" for sock in sockets]}
    for sock in sockets:
        sock.close()
    plain = {key: value for key, value in os.environ.items() if key != "TF_CONFIG"}
    runs = [("multi", {**plain, "TF_CONFIG": json.dumps({"cluster": cluster, "task": {"type": "worker", "index": i}})}, folder / "cluster") for i in range(2)]
    if reference:
        runs.append(("one", plain, folder / "one"))
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", MULTIWORKER, mode, json.dumps(apps), str(where), json.dumps(options or {})],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for mode, env, where in runs
    ]
    try:
        outputs = [process.communicate(timeout=timeout) for process in processes]  # a bounded wait: a lost worker would block the others
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    return [(process.returncode, out, err) for process, (out, err) in zip(processes, outputs)]


def _last_json(out):
    return json.loads(out.strip().splitlines()[-1])


def test_multiworker_training_matches_one_device_and_only_the_chief_writes(tmp_path, text_file, capsys, monkeypatch):
    chief, worker, one = _cluster({"char_lm": str(text_file)}, tmp_path, reference=True)
    for name, (code, _, err) in (("chief", chief), ("worker", worker), ("one device", one)):
        assert code == 0, f"{name}: {err[-3000:]}"
    losses = [_last_json(out)["char_lm"] for _, out, _ in (chief, worker, one)]
    assert len(losses[0]) == 4 and losses[0] == losses[1]  # two epochs and their validation; the workers agree
    assert max(abs(a - b) for a, b in zip(losses[0], losses[2])) < 1e-5, losses
    # the chief's model and logs alone: the worker wrote to a temporary folder and removed its backup
    model_dir = tmp_path / "cluster" / "char_lm"
    assert sorted(os.listdir(model_dir)) == ["logs", "model.keras"]
    assert CharLM.load(str(model_dir)).config.units == 32
    # without a cluster, or with a split CPU: one line, exit 2, nothing written
    monkeypatch.delenv("TF_CONFIG", raising=False)
    train = ["char-lm", "train", "--strategy", "multiworker", "--data", str(text_file), "--model-dir", str(tmp_path / "t")]
    for extra, why in (([], "TF_CONFIG"), (["--cpu-replicas", "2"], "each process")):
        code, _, err = run_cli(capsys, *train, *extra)
        assert code == 2 and why in err and len(err.strip().splitlines()) == 1 and not (tmp_path / "t").exists()


@pytest.mark.slow  # two clusters of two processes, about 35 s (the default run keeps the one-cluster multi-worker test)
def test_a_lost_cluster_resumes_and_the_time_budget_stops_every_worker_at_the_same_step(tmp_path, text_file):
    apps = {"char_lm": str(text_file)}
    crashed = _cluster(apps, tmp_path, {"config": {"epochs": 1000}, "crash": 1})
    assert [code for code, _, _ in crashed] == [3, 3], crashed[0][2][-3000:]
    model_dir = tmp_path / "cluster" / "char_lm"
    assert {"backup", "backup-worker-1"} <= set(os.listdir(model_dir)) and not (model_dir / "model.keras").exists()
    first = json.loads(crashed[0][1].strip().splitlines()[-1])
    assert first["epoch"] == 0
    resumed = _cluster(apps, tmp_path, {"config": {"epochs": 1000}, "budget": 4})
    for code, out, err in resumed:
        assert code == 0, err[-3000:]
        assert "Resuming the interrupted run" in out
    chief_losses, worker_losses = (_last_json(out)["char_lm"] for _, out, _ in resumed)
    assert chief_losses == worker_losses  # the same steps: neither stopped before the other
    epochs = [json.loads(line) for line in resumed[0][1].splitlines() if line.startswith('{"epoch"')]
    assert epochs[0]["epoch"] == 1  # from the backup of epoch 0, not afresh
    assert epochs[0]["loss"] < first["loss"] - 0.05
    assert sorted(os.listdir(model_dir)) == ["logs", "model.keras"]


@pytest.mark.slow  # three applications on two workers and one device (about 3 minutes); the char LM's is in the default run
def test_every_application_trains_the_same_on_two_workers(tmp_path):
    from tests.applications.caption.conftest import write_strips
    from tests.applications.translate.conftest import toy_pairs

    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("".join(f"{s}\t{t}\n" for s, t in toy_pairs(400)), encoding="utf-8")
    apps = {"translate": str(pairs), "caption": str(write_strips(tmp_path / "strips", 120)), "ntm": None}
    chief, worker, one = _cluster(apps, tmp_path, reference=True, timeout=900)
    for name, (code, _, err) in (("chief", chief), ("worker", worker), ("one device", one)):
        assert code == 0, f"{name}: {err[-3000:]}"
    results = [_last_json(out) for _, out, _ in (chief, worker, one)]
    tolerance = {"caption": 1e-3}  # batch statistics summed over the workers, as under MirroredStrategy
    for app in apps:
        assert results[0][app] == results[1][app], app
        assert max(abs(a - b) for a, b in zip(results[0][app], results[2][app])) < tolerance.get(app, 1e-4), (app, results[0][app], results[2][app])


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


def test_a_killed_run_resumes_at_its_last_checkpoint_and_ends_where_an_uninterrupted_one_does(tmp_path, text_file, capsys):
    import sys

    import numpy as np

    model_dir = tmp_path / "killed"
    script = [sys.executable, "-c", KILLED, str(text_file), str(model_dir), json.dumps(RESUMABLE.to_dict())]
    state, trained, err = _kill_after_checkpoint(script, model_dir / "backup" / "state.json", 6)  # in the middle of the first epoch
    assert state["epoch"] == 0 and 6 <= state["global_step"] <= trained, (state, trained, err[-2000:])
    assert trained - state["global_step"] <= 3  # lost: the steps since the last checkpoint, at most
    # another config is refused while the killed run's checkpoint is there: one line, nothing touched
    same = ["--embedding-dim", "16", "--sequence-length", "20", "--batch-size", "8", "--epochs", "3", "--dropout", "0", "--quiet"]
    code, _, message = run_cli(capsys, "char-lm", "train", "--data", str(text_file), "--model-dir", str(model_dir), "--units", "16", *same)
    assert code == 2 and "(config.units differ)" in message and "delete" in message and len(message.strip().splitlines()) == 1
    from keras_seq.applications.char_lm import train

    messages = []
    resumed, history = train(RESUMABLE, data=str(text_file), model_dir=str(model_dir), **_quiet(print_fn=messages.append, samples=False))
    assert any(f"{state['global_step']} steps done" in m for m in messages), messages
    assert len(history.history["loss"]) == 3  # the rest of the first epoch, then the two others
    fresh, fresh_history = train(RESUMABLE, data=str(text_file), model_dir=str(tmp_path / "fresh"), **_quiet(samples=False))
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
        train(RESUMABLE, data=str(text_file), model_dir=str(model_dir), checkpoint_every=100, callbacks=[CtrlC()], **_quiet(samples=False))
    state = TrainingCheckpoint.read(str(model_dir / "backup"))
    assert (state["epoch"], state["step"], state["global_step"]) == (0, 5, 5) and not (model_dir / "model.keras").exists()

    def interrupted(*args, **kwargs):
        raise TrainingInterrupted("interrupted: a checkpoint of epoch 1, step 5 is in X; run the same command to resume")

    monkeypatch.setattr(training, "train", interrupted)
    code, _, err = run_cli(capsys, "char-lm", "train", "--data", str(text_file), "--model-dir", str(tmp_path / "cli"))
    assert code == 130 and err.strip().splitlines()[-1].endswith("run the same command to resume")


@pytest.mark.slow  # alone it passes; in the full run it did not exit within 120 s of SIGINT, twice (not understood yet, see BENCHMARKS)
def test_ctrl_c_writes_a_checkpoint_and_exits_130(tmp_path, text_file):
    import signal
    import subprocess
    import sys
    import time

    model_dir = tmp_path / "stopped"
    command = [sys.executable, "-X", "faulthandler", "-c", "import sys; from keras_seq.applications import cli; sys.exit(cli.main(sys.argv[1:]))"]
    command += ["char-lm", "train", "--data", str(text_file), "--model-dir", str(model_dir), "--sequence-length", "20", "--batch-size", "8"]
    command += ["--epochs", "100000", "--checkpoint-every", "2", "--quiet"]
    # a pytest-xdist worker ignores SIGINT, and a child inherits that: give the command the default, as a terminal does
    default_sigint = lambda: signal.signal(signal.SIGINT, signal.SIG_DFL)  # noqa: E731
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=default_sigint)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and process.poll() is None and not (model_dir / "backup" / "state.json").exists():
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


@pytest.mark.slow  # four applications, each killed, resumed and trained again uninterrupted (about 3 minutes)
@pytest.mark.parametrize("app", ["sentiment", "translate", "caption", "ntm"])
def test_every_application_resumes_a_killed_run_where_an_uninterrupted_one_ends(app, tmp_path):
    import sys

    import numpy as np

    from tests.applications.caption.conftest import write_strips
    from tests.applications.sentiment.conftest import NEGATIVE, POSITIVE
    from tests.applications.translate.conftest import toy_pairs

    if app == "sentiment":
        data = tmp_path / "reviews.csv"
        data.write_text("review,sentiment\n" + "".join(f'"{t}",pos\n' for t in POSITIVE * 8) + "".join(f'"{t}",neg\n' for t in NEGATIVE * 8), encoding="utf-8")
    elif app == "translate":
        data = tmp_path / "pairs.tsv"
        data.write_text("".join(f"{s}\t{t}\n" for s, t in toy_pairs(400)), encoding="utf-8")
    elif app == "caption":
        data = write_strips(tmp_path / "strips", 120)
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
    pairs["loss"] = (resumed.history["loss"][partial:], fresh.history["loss"][len(fresh.history["loss"]) - tail + partial :])
    for key, (got, want) in pairs.items():
        assert len(got) == len(want) and float(np.abs(np.array(got) - np.array(want)).max(initial=0.0)) < 1e-4, (key, got, want)
