"""Helpers the application tests share."""

import os
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


def trained_once(tmp_path_factory, name, train, load):
    """A small trained model, trained once per test session even when
    several xdist workers ask for it: the first trains and saves it, the
    others wait for that and load it. Each caller gets its own copy of the
    model folder, so tests that write beside the model do not meet.

    Args:
        tmp_path_factory: pytest's.
        name: what the model is (a folder name).
        train: `train(model_dir) -> (task, history)`.
        load: `load(model_dir) -> task`.

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
            _, history = train(str(folder / "model"))
            kept = {"history": history.history, "seconds": history.seconds, "validation_examples": history.validation_examples}
            record.write_bytes(pickle.dumps(kept))
    own = tmp_path_factory.mktemp(name) / "model"
    shutil.copytree(folder / "model", own)
    return load(str(own)), types.SimpleNamespace(**pickle.loads(record.read_bytes())), own
