"""The bad input a careless user gives every application, on the command
line: each case is one `keras-seq: error:` line, exit status 2, and
nothing written. (Each application's `test_bad_input.py` feeds its other
actions and its Python entry points, with a trained model.)"""

import pytest

from tests.applications.shared import bad_files, expect_refusal, run_cli

APPS = ["char-lm", "sentiment", "translate", "caption", "ntm", "forecast"]
READS = [app for app in APPS if app != "ntm"]  # the NTM generates its data


@pytest.mark.parametrize("app", READS)
@pytest.mark.parametrize("data", ["missing.txt", "empty.txt", "blank.txt", "binary.bin", "latin1.txt", "a_folder"])
def test_train_refuses_unusable_data(app, data, tmp_path, capsys):
    bad_files(tmp_path)
    expect_refusal(
        capsys, tmp_path, app, "train", "--data", str(tmp_path / data), "--model-dir", str(tmp_path / "out"), "--quiet"
    )


FLAGS = [
    ("--epochs", "0"),
    ("--epochs", "-3"),
    ("--batch-size", "0"),
    ("--learning-rate", "inf"),
    ("--learning-rate", "nan"),
]
FLAGS += [("--time-budget", "-1"), ("--seed", "x")]


@pytest.mark.parametrize("app", APPS)
@pytest.mark.parametrize("flag,value", FLAGS)
def test_train_refuses_out_of_range_and_non_finite_flags(app, flag, value, tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:  # argparse's own exit, with its usage line
        run_cli(capsys, app, "train", flag, value, "--model-dir", str(tmp_path / "out"))
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and "Traceback" not in err and f"argument {flag}" in err, err[-2000:]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("app", APPS)
def test_a_model_dir_that_is_a_file_or_holds_nothing(app, tmp_path, capsys):
    bad_files(tmp_path)
    expect_refusal(
        capsys, tmp_path, app, "train", "--model-dir", str(tmp_path / "model_is_a_file"), "--quiet", match="is a file"
    )
    for action in ("evaluate", "export"):
        expect_refusal(capsys, tmp_path, app, action, "--model-dir", str(tmp_path / "a_folder"), match="run `keras-seq")
    (tmp_path / "a_folder" / "model.keras").write_bytes(b"PK\x03\x04 not really a zip")  # a damaged model file
    expect_refusal(
        capsys, tmp_path, app, "evaluate", "--model-dir", str(tmp_path / "a_folder"), match="not a Keras model file"
    )
