"""Helpers the application tests share."""

import os
import pathlib
import pickle
import shutil
import types

from filelock import FileLock


def run_cli(capsys, *args):
    """`keras-seq ARGS...` in this process: `(exit status, stdout, stderr)`."""
    from keras_seq.applications import cli

    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def bad_files(folder):
    """Write the files a careless user passes into `folder` (an empty
    file, one of blanks, binary bytes, Latin-1 text, a folder, a file where
    a folder is expected), and return `folder`."""
    folder = pathlib.Path(folder)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "blank.txt").write_text("  \n\t\n   \n", encoding="utf-8")
    (folder / "binary.bin").write_bytes(bytes(range(256)) * 8)
    (folder / "latin1.txt").write_bytes("caf\xe9 au lait\tmilchkaffee\n".encode("latin-1") * 50)
    (folder / "a_folder").mkdir(exist_ok=True)
    (folder / "model_is_a_file").write_text("not a folder", encoding="utf-8")
    return folder


def expect_refusal(capsys, folder, *args, match=None):
    """Run `keras-seq ARGS...` and check that it refuses: exit status 2,
    one `keras-seq: error:` line (containing `match`, if given), no
    traceback, and nothing new in `folder`. Returns the error line."""
    before = set(os.listdir(folder))
    try:
        code, _, err = run_cli(capsys, *args)
    except SystemExit as exit:  # argparse's own checks: its usage, then the error line
        code, err = exit.code, capsys.readouterr().err
    lines = err.strip().splitlines()
    assert code == 2, (args, code, err[-2000:])
    assert lines and "error:" in lines[-1] and "Traceback" not in err, (args, err[-2000:])
    if match:
        assert match in lines[-1], (args, lines[-1])
    assert set(os.listdir(folder)) == before, (args, set(os.listdir(folder)) - before)  # nothing written
    return lines[-1]


UNUSABLE = ["missing.txt", "empty.txt", "blank.txt", "binary.bin", "latin1.txt", "a_folder"]


def each_unusable(*args):
    """`(args, None)` cases of `refuses_each`: `args` followed by each of
    the `UNUSABLE` files in turn."""
    return [([*args, f"{{dir}}/{name}"], None) for name in UNUSABLE]


def refuses_each(capsys, folder, cases):
    """`expect_refusal` for each `(args, match)` of `cases`; the arguments
    may name `{dir}`, which is `folder` (made with `bad_files`). Returns
    the error lines, one per case."""
    bad_files(folder)
    return [
        expect_refusal(capsys, folder, *[arg.format(dir=folder) for arg in args], match=match) for args, match in cases
    ]


def trained_once(tmp_path_factory, name, train, load, config, **train_kwargs):
    """A small trained model, trained once per test session even when
    several xdist workers ask for it: the first trains and saves it, the
    others wait for that and load it. Each caller gets its own copy of the
    model folder, so tests that write beside the model do not meet.

    Args:
        tmp_path_factory: pytest's.
        name: what the model is (a folder name).
        train: the application's `train(config, model_dir=..., **kwargs)
            -> (task, history)`; it runs quietly.
        load: `load(model_dir) -> task`.
        config: the application's config.
        **train_kwargs: more of `train`'s arguments (`data`, ...).

    Returns:
        `(task, history, model_dir)`; `history` has `history`, `seconds`
        and `validation_examples`, as the driver's.
    """
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # one folder per session
    folder = shared / f"trained-{name}"
    record = folder / "history.pkl"
    with FileLock(str(folder) + ".lock"):
        if not record.is_file():
            folder.mkdir(exist_ok=True)
            _, history = train(config, model_dir=str(folder / "model"), **quiet(**train_kwargs))
            kept = {
                "history": history.history,
                "seconds": history.seconds,
                "validation_examples": history.validation_examples,
            }
            record.write_bytes(pickle.dumps(kept))
    own = tmp_path_factory.mktemp(name) / "model"
    shutil.copytree(folder / "model", own)
    return load(str(own)), types.SimpleNamespace(**pickle.loads(record.read_bytes())), own


def same_after_reload(task, model_dir, method, inputs):
    """`task.<method>(inputs)`, checked equal to what the task loaded back
    from `model_dir` gives."""
    expected = getattr(task, method)(inputs)
    assert getattr(type(task).load(str(model_dir)), method)(inputs) == expected
    return expected


def exported(task, folder):
    """`task.export(folder)`, then the SavedModel loaded back as a server
    loads it. Keep what it returns while using it: its variables live as
    long as it does."""
    import tensorflow as tf

    task.export(str(folder))
    return tf.saved_model.load(str(folder))


def quiet(**kwargs):
    """Keyword arguments of `train` and `tune` that print nothing."""
    return {"verbose": 0, "print_fn": lambda *a: None, **kwargs}


# `runs(app)`: the small config, data and options each application trains on in the subprocess tests
RUNS = r"""
def runs(app):
    if app == "char_lm":
        from keras_seq.applications.char_lm import CharLMConfig, train

        config = CharLMConfig(
            units=32, embedding_dim=16, sequence_length=20, batch_size=8, epochs=2, dropout=0.0, clipnorm=0.0
        )
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
    if app == "forecast":
        from keras_seq.applications.forecast import train
        from tests.applications.forecast.conftest import SMALL

        return train, SMALL.replace(epochs=2, units=8, dropout=0.0, clipnorm=0.0), {"data": apps[app]}
    from keras_seq.applications.ntm import train
    from tests.applications.ntm.conftest import TINY

    return train, TINY.replace(clip=0.0), {}
"""


def litert_exported(capsys, app, model_dir, folder):
    """`keras-seq APP export --format litert --export-dir FOLDER`: what it
    printed, checked to be a success with no Flex op."""
    args = ["export", "--model-dir", str(model_dir), "--export-dir", str(folder), "--format", "litert"]
    code, out, _ = run_cli(capsys, app, *args)
    assert code == 0 and "ops:" in out and "Flex" not in out, out
    return out


def on_device(script, *args):
    """Run `script` (Python that uses `ai_edge_litert` and prints a JSON
    object last) in a fresh process with `args`: the object, checked to
    come from a process that imported neither Keras nor keras_seq."""
    import json
    import subprocess
    import sys

    check = (
        '\nimport sys\nprint("imported:", sorted({m.split(".")[0] for m in sys.modules} & {"keras", "keras_seq"}))\n'
    )
    run = subprocess.run([sys.executable, "-c", script + check, *map(str, args)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.strip().splitlines()
    assert lines[-1] == "imported: []", lines[-1]
    return json.loads(lines[-2])


# on a device (`on_device(RUN_IDS, folder, ids_json, dtype, output)`): a LiteRT model's one signature called with one
# example of integer inputs (a JSON object, each of `dtype`); prints that example's `output`
RUN_IDS = r"""
import json, sys
import numpy as np
from ai_edge_litert.interpreter import Interpreter

folder, ids, dtype, output = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], sys.argv[4]
run = Interpreter(model_path=folder + "/model.tflite").get_signature_runner()
out = run(**{name: np.array([value], dtype) for name, value in ids.items()})[output]
print(json.dumps({output: out[0].tolist()}))
"""
