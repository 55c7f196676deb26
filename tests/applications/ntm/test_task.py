import json
import zipfile

import numpy as np
import pytest
import tensorflow as tf

from keras_seq.applications.ntm import NTMTask, generate
from keras_seq.applications.ntm.data import EVALUATION_BATCH
from keras_seq.errors import UserInputError
from tests.applications.shared import exported


def test_trains_saves_and_loads_safely(trained):
    task, history, model_dir = trained
    assert np.all(np.isfinite(history.history["loss"])) and "val_bit_errors" in history.history
    with zipfile.ZipFile(model_dir / "model.keras") as archive:
        assert json.loads(archive.read("config.json"))["config"]["keras_seq"]["config"]["task"] == "copy"
    loaded = NTMTask.load(str(model_dir))
    x, _, _ = generate("copy", np.random.default_rng(0), 2, 3)
    np.testing.assert_array_equal(loaded.run(x), task.run(x))


def test_evaluate_at_sizes_never_trained_and_bad_sizes(trained):
    task, _, _ = trained
    examples = task.evaluation_examples("embedded", "test")
    metrics = task.evaluate(examples, length=8)
    assert metrics["length"] == 8 and metrics["sequences"] == EVALUATION_BATCH  # whatever the training batch
    assert 0 <= metrics["bit_errors_per_sequence"] <= 8 * 8
    assert task.evaluate(examples, length=8) == metrics  # seeded
    with pytest.raises(UserInputError, match="needs 13 memory slots"):
        task.evaluate(examples, length=13)
    with pytest.raises(UserInputError, match="--items does not apply to copy"):
        task.evaluate(examples, items=3)
    with pytest.raises(UserInputError, match="use validation or test"):
        task.evaluation_examples("embedded", "train")
    with pytest.raises(UserInputError, match="no such source"):
        task.evaluation_examples("reviews.csv")


def test_run_checks_its_input(trained):
    task, _, _ = trained
    x, _, _ = generate("copy", np.random.default_rng(1), 1, 4)
    bits = task.run(x[0])  # one sequence
    assert bits.shape == (1, 9, 8) and set(np.unique(bits)) <= {0.0, 1.0}
    with pytest.raises(UserInputError, match=r"shape \(batch, time, 9\)"):
        task.run(np.zeros((1, 5, 7)))


def test_plot_and_export(trained, tmp_path):
    task, _, _ = trained
    path = task.plot(str(tmp_path / "copy.png"), length=4)
    assert open(path, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    served = exported(task, tmp_path / "export")
    x, _, _ = generate("copy", np.random.default_rng(2), 3, 4)
    out = served.signatures["run"](bits=tf.constant(x))
    np.testing.assert_array_equal(out["bits"].numpy(), task.run(x))
    assert out["probabilities"].shape == (3, 9, 8)


def test_an_untrained_lstm_baseline_runs_and_plots(tmp_path):
    from keras_seq.applications.ntm import NTMTaskConfig, build_ntm_task

    task = NTMTask(build_ntm_task(NTMTaskConfig(task="associative-recall", model="lstm", units=8, jit_compile=False)))
    path = task.plot(str(tmp_path / "recall.png"), items=3)
    assert open(path, "rb").read(4) == b"\x89PNG"
    metrics = task.evaluate(task.evaluation_examples("embedded"), items=10)  # no memory to fill: any size
    assert metrics["items"] == 10


def test_the_best_validation_epoch_is_kept_unless_turned_off(trained):
    from types import SimpleNamespace

    from keras_seq.training import BestWeights

    task, _, _ = trained
    kept = task.training_callbacks(SimpleNamespace(config=task.config))
    assert [type(c) for c in kept] == [BestWeights] and kept[0].monitor == "val_bit_errors" and kept[0].mode == "min"
    last = task.training_callbacks(SimpleNamespace(config=task.config.replace(keep_best=False)))
    assert last == []  # the NaN guard is every application's (applications/training.py)
