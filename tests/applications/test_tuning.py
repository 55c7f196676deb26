"""The keras-tuner search (`applications/tuning.py`), on the char LM."""

import json
import os

import pytest

from keras_seq.applications import tuning
from keras_seq.applications.char_lm import CharLM, CharLMConfig
from keras_seq.applications.char_lm.model import CharLMHyperModel
from keras_seq.errors import UserInputError
from tests.applications.char_lm.conftest import TEXT
from tests.applications.shared import quiet, run_cli

CONFIG = CharLMConfig(sequence_length=20, batch_size=8, epochs=1)


def _small_space(hp):
    """The char LM's search space at test sizes (the same names, so the
    search, its resumption and its refusals are the ones users get)."""
    return {
        "cell": hp.Choice("cell", ["lstm", "gru"]),
        "units": hp.Choice("units", [8, 16]),
        "embedding_dim": hp.Choice("embedding_dim", [4, 8]),
        "learning_rate": hp.Float("learning_rate", 5e-4, 5e-3, sampling="log"),
    }


@pytest.fixture(autouse=True)
def small_space(monkeypatch):
    monkeypatch.setattr(CharLMHyperModel, "search_space", staticmethod(_small_space))


TUNE = ["--sequence-length", "20", "--batch-size", "8", "--epochs", "1", "--quiet"]


def test_search_writes_the_best_model_resumes_and_refuses_other_data(tmp_path):
    text = tmp_path / "a.txt"
    text.write_text(TEXT, encoding="utf-8")
    model_dir = str(tmp_path / "search")
    task, rows = tuning.tune(CharLM, CONFIG, data=str(text), model_dir=model_dir, max_trials=2, **quiet())
    assert [row["status"] for row in rows] == ["COMPLETED", "COMPLETED"]
    assert rows[0]["score"] <= rows[1]["score"]  # best first (val_loss)
    assert os.path.isfile(os.path.join(model_dir, "model.keras"))
    saved = CharLM.load(model_dir)  # a trained model, as `train` leaves it
    assert saved.model.count_params() == task.model.count_params()
    assert {"cell", "units", "learning_rate"} <= set(rows[0])
    saved_config = saved.model.metadata["config"]  # the best trial's values
    assert (saved_config["units"], saved_config["cell"]) == (rows[0]["units"], rows[0]["cell"])

    # the same search again, one more trial: the first two are kept
    _, more = tuning.tune(CharLM, CONFIG, data=str(text), model_dir=model_dir, max_trials=3, **quiet())
    assert len(more) == 3
    assert {r["trial"]: r["units"] for r in rows}.items() <= {r["trial"]: r["units"] for r in more}.items()

    # other data: refused, unless the search starts afresh
    other = tmp_path / "b.txt"
    other.write_text(TEXT.upper(), encoding="utf-8")
    with pytest.raises(UserInputError, match="another data.*--overwrite"):
        tuning.tune(CharLM, CONFIG, data=str(other), model_dir=model_dir, max_trials=3, **quiet())
    with pytest.raises(UserInputError, match="another tuner"):
        tuning.tune(CharLM, CONFIG, data=str(text), model_dir=model_dir, tuner="bayesian", max_trials=3, **quiet())
    _, fresh = tuning.tune(
        CharLM, CONFIG, data=str(other), model_dir=model_dir, max_trials=1, overwrite=True, **quiet()
    )
    assert len(fresh) == 1
    with open(os.path.join(model_dir, "tuning", "char_lm", "search.json")) as file:
        assert json.load(file)["data"]["source"] == str(other.resolve())


def test_time_budget_bounds_the_whole_search(tmp_path, text_file):
    messages = []
    _, rows = tuning.tune(
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
        tuning.tune(CharLM, CONFIG, data=str(text_file), model_dir=str(tmp_path), tuner="grid", **quiet())


@pytest.mark.parametrize("tuner", ["bayesian", pytest.param("hyperband", marks=pytest.mark.slow)])  # hyperband: 17 s
def test_cli_searches_prints_the_trials_and_leaves_a_usable_model(tmp_path, text_file, capsys, tuner):
    model_dir = str(tmp_path / tuner)
    # Hyperband's brackets run up to --epochs per trial: 1 would make a single trial
    epochs = ["--epochs", "3"] if tuner == "hyperband" else []
    code, out, _ = run_cli(
        capsys,
        *"char-lm tune --tuner".split(),
        tuner,
        "--data",
        str(text_file),
        "--model-dir",
        model_dir,
        *"--max-trials 2".split(),
        *TUNE,
        *epochs,
    )
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
    command = [sys.executable, "-m", "keras_seq.applications.cli", "char-lm", "tune"]
    command += ["--data", str(text_file), "--model-dir", str(model_dir), "--max-trials", "3", *TUNE]
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
    assert (
        CharLM.load(str(model_dir)).model.metadata["config"]["units"] == chief_result["best_hyperparameters"]["units"]
    )


# each application's small training run, equal batches and no dropout (the
# scripts below run it under several strategies in fresh processes)
