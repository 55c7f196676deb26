"""The application contract: what every `keras-seq <app>` offers, checked
the same way for each application. A new application joins with one
entry in `APPS`."""

import json
import os
import shutil
import subprocess
import sys
import zipfile

import h5py
import pytest

from keras_seq.applications import cli, import_object
from keras_seq.applications.task import FORMAT_VERSION
from tests.applications.shared import run_cli

TEXT = "To be, or not to be, that is the question:\nWhether 'tis nobler in the mind to suffer\n" * 30
REVIEWS = ["review,label"] + ["I loved it,pos", "Great and lovely,pos", "I hated it,neg", "Awful and rude,neg"] * 12
PAIRS = [f"{a} {b}\t{b} {a}" for a in ("red", "blue", "big") for b in ("cat", "dog", "car")] * 12


def _write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _strips(folder):
    from tests.applications.caption.conftest import write_strips

    return str(write_strips(folder / "strips", 40))


# app -> (data file maker, tiny train flags, predict action args (or a function of the data), a call of the export's
# serving signature `m`)
APPS = {
    "caption": (
        _strips,
        [
            "--image-height",
            "16",
            "--image-width",
            "40",
            "--filters",
            "4",
            "--decoder-units",
            "8",
            "--embedding-dim",
            "4",
            "--batch-size",
            "8",
        ],
        lambda data: ["predict", os.path.join(data, "strip0.png"), "--beam-width", "2"],
        "[x.decode() for x in m.signatures['caption'](images=tf.stack([tf.io.encode_png(tf.zeros((16, 40, 3), "
        "tf.uint8))] * 2))['output_0'].numpy()]",
    ),
    "char-lm": (
        lambda d: _write(d / "t.txt", [TEXT]),
        ["--units", "8", "--embedding-dim", "4", "--sequence-length", "20", "--batch-size", "8"],
        ["generate", "--prompt", "To", "--max-length", "12", "--seed", "1"],
        "m.signatures['generate'](prompt=tf.constant('To'), max_length=tf.constant(5), temperature=tf.constant(0.05), "
        "top_k=tf.constant(1))"
        "['output_0'].numpy().decode()",
    ),
    "sentiment": (
        lambda d: _write(d / "r.csv", REVIEWS),
        [
            "--units",
            "4",
            "--embedding-dim",
            "4",
            "--attention-units",
            "4",
            "--lexicon",
            "none",
            "--word-vectors",
            "none",
        ],
        ["predict", "I loved it", "Awful"],
        "[x.decode() for x in m.signatures['classify'](texts=tf.constant(['I loved it', 'Awful']))['labels'].numpy()]",
    ),
    "ntm": (
        lambda d: "embedded",  # the tasks generate their data
        [
            "--units",
            "8",
            "--memory-size",
            "8",
            "--memory-width",
            "4",
            "--max-size",
            "3",
            "--steps-per-epoch",
            "4",
            "--batch-size",
            "8",
            "--no-jit-compile",
        ],
        ["evaluate", "--length", "5"],
        "m.signatures['run'](bits=tf.ones((1, 7, 9)) * 0.5)['bits'].numpy().tolist()",
    ),
    "translate": (
        lambda d: _write(d / "p.tsv", PAIRS),
        [
            "--embedding-dim",
            "8",
            "--encoder-units",
            "8",
            "--decoder-units",
            "8",
            "--max-length",
            "6",
            "--batch-size",
            "16",
            "--validation-split",
            "0.2",
        ],
        ["predict", "red cat", "--beam-width", "2"],
        "[x.decode() for x in m.signatures['translate'](sentences=tf.constant(['red cat', 'big "
        "dog']))['output_0'].numpy()]",
    ),
}


def _tagged(folder):
    from tests.applications.tag.conftest import toy_news, write_conll

    return str(write_conll(folder / "news.conll", *toy_news(60)))


APPS["tag"] = (
    _tagged,
    ["--units", "8", "--embedding-dim", "8", "--char-dim", "8", "--batch-size", "16", "--head", "softmax"],
    ["predict", "Mary flew to Paris ."],
    "[x.decode() for x in m.signatures['tag'](texts=tf.constant(['Mary flew to Paris .']))['tags'].numpy()[0]]",
)


def _hourly(folder):
    from tests.applications.forecast.conftest import hourly_rows, write_csv

    return str(write_csv(folder / "hourly.csv", *hourly_rows(300)))


APPS["forecast"] = (
    _hourly,
    ["--lookback", "24", "--horizon", "6", "--segment-length", "6", "--units", "8", "--batch-size", "16"],
    lambda data: ["predict", "--data", data],
    "m.signatures['forecast'](history=tf.ones((1, 24, 2)))['forecast'].numpy().round(4).tolist()",
)


def _copy_batches():
    """Eight copy sequences as a user holds them: inputs, targets, weights."""
    import numpy as np

    from keras_seq.applications.ntm.data import copy

    return copy(np.random.default_rng(0), 8, 3)


def _strip_examples():
    """Eight digit strips and their captions, as a user holds them."""
    from keras_seq.applications.caption import embedded_captions

    data = embedded_captions(8, max_digits=2)
    import numpy as np

    return np.stack(data.images), [c[0] for c in data.captions]


def _windows():
    """Eight raw windows and their next steps, as a user holds them."""
    import numpy as np

    return np.random.default_rng(0).normal(10, 1, size=(8, 24, 2)), np.full((8, 6, 2), 10.0)


# app -> raw examples as a user holds them, for `task.fit`
RAW = {
    "caption": _strip_examples,
    "char-lm": lambda: (TEXT.splitlines()[:8],),
    "ntm": _copy_batches,
    "sentiment": lambda: (["I loved it", "I hated it"] * 4, [1, 0] * 4),
    "translate": lambda: (["red cat", "blue dog"] * 4, ["cat red", "dog blue"] * 4),
    "tag": lambda: (["Mary flew to Paris .", "It rained ."] * 4, ["B-PER O O B-LOC O", "O O O"] * 4),
    "forecast": lambda: _windows(),
}


def _command(app):
    """The application's `AppCommand`, from the registry."""
    return import_object(f"keras_seq.applications.{cli.APPLICATIONS[app]}.cli:COMMAND")


@pytest.fixture(scope="module", params=sorted(APPS))
def trained(request, tmp_path_factory):
    """Each application trained for one epoch through the command line."""
    app = request.param
    make_data, flags, _, _ = APPS[app]
    folder = tmp_path_factory.mktemp(app)
    data = make_data(folder)
    model_dir = str(folder / "model")
    code = cli.main([app, "train", "--data", data, "--model-dir", model_dir, "--epochs", "1", "--quiet", *flags])
    assert code == 0
    return app, data, model_dir


def test_train_leaves_one_model_file_without_optimizer_state(trained):
    app, _, model_dir = trained
    assert sorted(f for f in os.listdir(model_dir)) == ["logs", "model.keras"]
    with zipfile.ZipFile(os.path.join(model_dir, "model.keras")) as archive:
        config = json.loads(archive.read("config.json"))
        assert (
            config["config"]["keras_seq"]["app"] == app
            and config["config"]["keras_seq"]["format_version"] == FORMAT_VERSION
        )
        archive.extract("model.weights.h5", model_dir + "-weights")
    with h5py.File(os.path.join(model_dir + "-weights", "model.weights.h5")) as weights:
        optimizer_values = []
        weights["optimizer"].visititems(
            lambda name, obj: optimizer_values.append(obj.size) if isinstance(obj, h5py.Dataset) else None
        )
    assert sum(optimizer_values) <= 2  # the iteration count and learning rate only, no moment estimates


def test_fit_on_the_users_raw_examples(trained):
    import numpy as np
    import tensorflow as tf

    app, _, model_dir = trained
    command = _command(app)
    task = command.task_class().load(model_dir)
    before = [w.copy() for w in task.model.get_weights()]
    data = tf.data.Dataset.from_tensor_slices(RAW[app]()).batch(4)
    history = task.fit(data, epochs=2, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    assert any(np.any(a != b) for a, b in zip(before, task.model.get_weights()))


def _evaluated(capsys, app, data, model_dir, split):
    """The metrics `evaluate` printed, checked to be its last line: a JSON
    object of lower-case keys without spaces."""
    code, out, _ = run_cli(capsys, app, "evaluate", "--data", data, "--model-dir", model_dir, "--split", split)
    metrics = json.loads(out.strip().splitlines()[-1])
    assert code == 0 and isinstance(metrics, dict) and metrics
    assert all(key == key.lower() and " " not in key for key in metrics)
    return metrics


def test_evaluate_prints_json_last_line(trained, capsys):
    app, data, model_dir = trained
    _evaluated(capsys, app, data, model_dir, "validation")  # and "all" below, from the .keras file alone


def test_the_keras_file_alone_is_the_whole_model(trained, tmp_path, capsys):
    app, data, model_dir = trained
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(os.path.join(model_dir, "model.keras"), alone / "model.keras")
    predict = APPS[app][2]
    predict = predict(data) if callable(predict) else predict
    outputs = []
    for folder in (model_dir, str(alone)):  # the verb's output is the same (evaluate reads the same weights)
        code, out, _ = run_cli(capsys, app, *predict, "--model-dir", folder)
        assert code == 0
        outputs.append(out)
    assert outputs[0] == outputs[1]
    _evaluated(capsys, app, data, str(alone), "all")


# A process that never imports keras_seq: it reads `export_dir<TAB>call`
# lines, loads each export with TensorFlow alone, and prints the call's
# repr (one TensorFlow start-up serves every application's check).
SERVER = """
import sys, tensorflow as tf
for line in sys.stdin:
    export_dir, call = line.rstrip("\\n").split("\\t")
    try:
        m = tf.saved_model.load(export_dir)
        answer = repr(eval(call))
    except Exception as error:
        answer = "error: " + repr(error).replace("\\n", " ")
    print(answer if "keras_seq" not in sys.modules else "imported keras_seq", flush=True)
"""


@pytest.fixture(scope="module")
def fresh_process(tmp_path_factory):
    """`serve(export_dir, call)`: the call's repr, from the fresh process."""
    log = tmp_path_factory.mktemp("server") / "stderr.txt"
    with open(log, "w") as stderr:
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
        )

    def serve(export_dir, call):
        server.stdin.write(f"{export_dir}\t{call}\n")
        server.stdin.flush()
        answer = server.stdout.readline()
        assert answer, log.read_text()[-1500:]  # it died: its traceback
        return answer.rstrip("\n")

    yield serve
    server.stdin.close()
    server.wait(timeout=60)


def test_export_serves_raw_input_without_keras_seq(trained, tmp_path, capsys, fresh_process):
    """The serving signature gives, in a process that never imports
    keras_seq, what it gives here (where each app's tests check it against
    the task's own verb)."""
    import tensorflow as tf

    app, _, model_dir = trained
    export_dir = str(tmp_path / "export")
    code, _, _ = run_cli(capsys, app, "export", "--model-dir", model_dir, "--export-dir", export_dir)
    assert code == 0
    call = APPS[app][3]
    expected = eval(call, {"tf": tf, "m": tf.saved_model.load(export_dir)})
    assert fresh_process(export_dir, call) == repr(expected)


@pytest.mark.parametrize("app", sorted(APPS))
def test_bad_input_is_one_line_and_exit_2(app, tmp_path, capsys):
    garbage = tmp_path / "garbage"
    garbage.mkdir()
    (garbage / "model.keras").write_bytes(b"not a zip file")
    a_file = tmp_path / "a_file"
    a_file.write_text("x", encoding="utf-8")
    cases = [
        (["train", "--data", str(tmp_path / "missing.txt"), "--model-dir", str(tmp_path / "never")], "no such"),
        (["evaluate", "--model-dir", str(tmp_path / "none")], "no trained"),
        (["evaluate", "--model-dir", str(garbage)], "not a Keras model file"),
        (["export", "--model-dir", str(a_file)], "no trained"),
        (["train", "--model-dir", str(a_file)], "is a file"),
    ]
    for args, match in cases:
        code, _, err = run_cli(capsys, app, *args)
        assert code == 2 and match in err and err.count("\n") == 1 and "Traceback" not in err, (args, err)
    assert not (tmp_path / "never").exists()


def test_another_applications_model_is_one_clear_error(trained, capsys):
    app, _, model_dir = trained
    other = {
        "caption": "char-lm",
        "char-lm": "sentiment",
        "sentiment": "translate",
        "translate": "ntm",
        "ntm": "tag",
        "tag": "forecast",
        "forecast": "caption",
    }[app]
    code, _, err = run_cli(capsys, other, "export", "--model-dir", model_dir)
    assert code == 2 and f"holds a {app} model, not a {other} one" in err


@pytest.mark.parametrize("app", sorted(APPS))
def test_shared_flags_come_from_the_config(app):
    parser = cli.build_parser()
    args = parser.parse_args([app, "train"])
    command = _command(app)
    defaults = command.config_class()
    for name in ("epochs", "batch_size", "seed", "validation_split"):
        assert getattr(args, name) == getattr(defaults, name)
    assert args.data == "embedded" and args.model_dir == os.path.join("saved_models", cli.APPLICATIONS[app])
    for action in ("train", "evaluate", "export", "tune"):
        assert parser.parse_args([app, action]).action == action


HELPS = [
    ["--help"],
    ["char-lm", "train", "--help"],
    ["translate", "evaluate", "--help"],
    ["sentiment", "predict", "--help"],
    ["ntm", "plot", "--help"],
    ["caption", "plot", "--help"],
    ["tag", "predict", "--help"],
    ["forecast", "plot", "--help"],
]


@pytest.mark.parametrize("argv", HELPS)
def test_help_needs_no_tensorflow(argv):
    script = (
        "import sys\n"
        "from keras_seq.applications import cli\n"
        f"try:\n    cli.main({argv!r})\nexcept SystemExit:\n    pass\n"
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules, 'imported TensorFlow'\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-1500:]
    assert "usage:" in result.stdout


def test_no_tensorflow_log_lines_reach_the_terminal(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    result = subprocess.run(
        [sys.executable, "-m", "keras_seq.applications.cli", "char-lm", "evaluate", "--model-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]  # one line: the error, no I0000 / cuda lines
    assert "I0000" not in result.stderr and "cuda" not in result.stderr.lower()


def test_an_applications_model_and_task_import_no_keras_tuner():
    packages = [f"keras_seq.applications.{package}" for package in cli.APPLICATIONS.values()]
    script = (
        "import sys\n"
        + "".join(f"import {p}.model, {p}.task\n" for p in packages)
        + "assert 'keras_tuner' not in sys.modules, 'imported keras_tuner'\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-1500:]
