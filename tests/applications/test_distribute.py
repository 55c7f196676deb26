"""Training under the `tf.distribute` strategies (`applications/distribute.py`): one process over two
replicas, and two worker processes on loopback."""

import json
import os

import pytest

from keras_seq.applications.char_lm import CharLM
from keras_seq.errors import UserInputError
from tests.applications.shared import RUNS, run_cli

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
        _, history = train(
            config, model_dir=f"{folder}/{app}-{name}", verbose=0, print_fn=lambda *a: None, strategy=strategy, **kwargs
        )
        losses.append(history.history["loss"] + history.history["val_loss"])
    result[app] = {"gap": max(abs(a - b) for a, b in zip(*losses)), "losses": losses}
print(json.dumps(result))
"""
)


def _mirrored_gaps(apps, folder):
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", MIRRORED, json.dumps(apps), str(folder)], capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow  # two trainings in a fresh process, about 30 s; the two-worker test below covers the driver
def test_mirrored_training_matches_one_device_on_the_same_batches(tmp_path, text_file):
    result = _mirrored_gaps({"char_lm": str(text_file)}, tmp_path)
    assert result["char_lm"]["gap"] < 1e-5, result  # losses of both epochs and validation losses


def test_a_strategy_is_refused_for_the_char_lms_stateful_streams(tmp_path, text_file, capsys):
    # a strategy cannot split the char LM's stateful streams: one line, exit 2, nothing written
    code, _, err = run_cli(
        capsys,
        *"char-lm train --tbptt --strategy mirrored --data".split(),
        str(text_file),
        "--model-dir",
        str(tmp_path / "t"),
    )
    assert code == 2 and "--tbptt" in err and not (tmp_path / "t").exists()


@pytest.mark.slow  # four applications, two trainings each (about 2 minutes); the char LM's is in the default run
def test_every_application_trains_the_same_on_two_replicas(tmp_path, text_file):
    from tests.applications.caption.conftest import write_strips
    from tests.applications.forecast.conftest import hourly_rows, write_csv
    from tests.applications.sentiment.conftest import write_reviews
    from tests.applications.translate.conftest import write_pairs

    reviews = write_reviews(tmp_path / "reviews.csv", repeat=8)
    pairs = write_pairs(tmp_path / "pairs.tsv", 400)
    with pytest.raises(UserInputError, match="raw strings"):  # refused before anything is read
        from keras_seq.applications.sentiment import train as train_sentiment

        train_sentiment(data=str(reviews), model_dir=str(tmp_path / "s"), strategy="mirrored")
    apps = {
        "char_lm": str(text_file),
        "translate": str(pairs),
        "caption": str(write_strips(tmp_path / "strips", 120)),
        "ntm": None,
        # 313 rows: 160 training and 20 validation windows, batches that split evenly between the two replicas
        "forecast": str(write_csv(tmp_path / "hourly.csv", *hourly_rows(313))),
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
        config, model_dir=f"{folder}/{app}", verbose=0, strategy=strategy, time_budget=options.get("budget"),
        callbacks=[Watch()], **kwargs,
    )
    result[app] = history.history["loss"] + history.history["val_loss"]
print(json.dumps(result))
"""
)


def _worker_environments():
    """The environments of two workers of a cluster on loopback ports
    (`TF_CONFIG`), and the plain one (no cluster)."""
    import socket

    sockets = [socket.socket() for _ in range(2)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    cluster = {"worker": [f"127.0.0.1:{sock.getsockname()[1]}" for sock in sockets]}
    for sock in sockets:
        sock.close()
    plain = {key: value for key, value in os.environ.items() if key != "TF_CONFIG"}
    return [
        {**plain, "TF_CONFIG": json.dumps({"cluster": cluster, "task": {"type": "worker", "index": i}})}
        for i in range(2)
    ], plain


def _run_all(commands, timeout):
    """Start every `(argv, env)` at once and wait for all:
    `[(exit code, stdout, stderr)]`."""
    import subprocess

    processes = [
        subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for argv, env in commands
    ]
    try:
        outputs = [
            process.communicate(timeout=timeout) for process in processes
        ]  # a bounded wait: a lost worker would block the others
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    return [(process.returncode, out, err) for process, (out, err) in zip(processes, outputs)]


def _cluster(apps, folder, options=None, reference=False, timeout=600):
    """Two workers of a MultiWorkerMirroredStrategy on loopback ports (and
    with `reference`, the one-device run beside them), each a process
    running `MULTIWORKER`: `[(exit code, stdout, stderr)]`, the chief first."""
    import sys

    workers, plain = _worker_environments()
    runs = [("multi", env, folder / "cluster") for env in workers] + (
        [("one", plain, folder / "one")] if reference else []
    )
    script = [sys.executable, "-c", MULTIWORKER]
    arguments = [json.dumps(apps), json.dumps(options or {})]
    return _run_all(
        [([*script, mode, arguments[0], str(where), arguments[1]], env) for mode, env, where in runs], timeout
    )


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
    train = [
        "char-lm",
        "train",
        "--strategy",
        "multiworker",
        "--data",
        str(text_file),
        "--model-dir",
        str(tmp_path / "t"),
    ]
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


# four applications on two workers and one device (about 3 minutes); the char LM's is in the default run
@pytest.mark.slow
def test_every_application_trains_the_same_on_two_workers(tmp_path):
    from tests.applications.caption.conftest import write_strips
    from tests.applications.forecast.conftest import hourly_rows, write_csv
    from tests.applications.translate.conftest import write_pairs

    pairs = write_pairs(tmp_path / "pairs.tsv", 400)
    apps = {
        "translate": str(pairs),
        "caption": str(write_strips(tmp_path / "strips", 120)),
        "ntm": None,
        "forecast": str(write_csv(tmp_path / "hourly.csv", *hourly_rows(313))),
    }
    chief, worker, one = _cluster(apps, tmp_path, reference=True, timeout=900)
    for name, (code, _, err) in (("chief", chief), ("worker", worker), ("one device", one)):
        assert code == 0, f"{name}: {err[-3000:]}"
    results = [_last_json(out) for _, out, _ in (chief, worker, one)]
    tolerance = {"caption": 1e-3}  # batch statistics summed over the workers, as under MirroredStrategy
    for app in apps:
        assert results[0][app] == results[1][app], app
        assert max(abs(a - b) for a, b in zip(results[0][app], results[2][app])) < tolerance.get(app, 1e-4), (
            app,
            results[0][app],
            results[2][app],
        )


def _train_command(model_dir, data, *flags):
    """`keras-seq char-lm train` of a small model for one epoch on `data`
    into `model_dir`, as a user types it, with `flags`."""
    import sys

    small = "--units 16 --sequence-length 20 --batch-size 8 --epochs 1 --quiet".split()
    where = ["--data", str(data), "--model-dir", str(model_dir)]
    return [sys.executable, "-m", "keras_seq.applications.cli", "char-lm", "train", *small, *where, *flags]


@pytest.mark.slow  # 25 s; two workers' training is checked against one device in the default run
def test_the_command_trains_on_two_workers(tmp_path, text_file):
    """The README's multi-worker command, as a user runs it: one process a
    worker, each started alike (`TF_CONFIG` tells them apart)."""
    workers, _ = _worker_environments()
    argv = _train_command(tmp_path / "m", text_file, "--strategy", "multiworker")
    results = _run_all([(argv, env) for env in workers], timeout=300)
    for code, out, err in results:
        assert code == 0, err[-3000:]
        assert "Strategy: MultiWorkerStrategy over 2 replicas" in out
    assert sorted(os.listdir(tmp_path / "m")) == ["logs", "model.keras"]
    assert CharLM.load(str(tmp_path / "m")).config.units == 16


@pytest.mark.slow  # 31 s; by default, the kernels under MirroredStrategy (tests/ops) and the two-worker driver
def test_the_command_trains_mirrored_on_two_cpu_replicas(tmp_path, text_file):
    _, plain = _worker_environments()
    argv = _train_command(tmp_path / "m", text_file, "--strategy", "mirrored", "--cpu-replicas", "2")
    ((code, out, err),) = _run_all([(argv, plain)], timeout=300)
    assert code == 0, err[-3000:]
    assert "Strategy: MirroredStrategy over 2 replicas" in out
    assert json.loads(out.strip().splitlines()[-1])["epochs"] == 1
