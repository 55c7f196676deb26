import json
import os

import pytest

from keras_seq.applications import cli
from tests.applications.shared import run_cli

TINY = [
    "--units",
    "8",
    "--memory-size",
    "10",
    "--memory-width",
    "4",
    "--max-size",
    "3",
    "--steps-per-epoch",
    "5",
    "--batch-size",
    "8",
    "--no-jit-compile",
]


def test_evaluate_plot_export(trained, tmp_path, capsys):
    _, _, model_dir = trained  # a copy NTM with 12 memory slots
    model_dir = str(model_dir)
    code, out, _ = run_cli(capsys, "ntm", "evaluate", "--model-dir", model_dir, "--length", "9", "--split", "test")
    metrics = json.loads(out.strip().splitlines()[-1])
    assert code == 0 and metrics["length"] == 9 and "bit_errors_per_sequence" in metrics
    code, out, _ = run_cli(
        capsys, "ntm", "plot", "--model-dir", model_dir, "--length", "3", "--output", str(tmp_path / "p.png")
    )
    assert code == 0 and (tmp_path / "p.png").is_file()
    code, out, _ = run_cli(capsys, "ntm", "export", "--model-dir", model_dir)
    assert code == 0 and "signatures: run" in out
    for args, match in [
        (["evaluate", "--model-dir", model_dir, "--length", "13"], "needs 13 memory slots"),
        (["evaluate", "--model-dir", model_dir, "--items", "3"], "--items does not apply to copy"),
        (["evaluate", "--model-dir", model_dir, "--repeats", "3"], "--repeats applies to repeat-copy"),
    ]:
        code, _, err = run_cli(capsys, "ntm", *args)
        assert code == 2 and match in err and err.count("\n") == 1, err


def test_bad_flags_are_one_line_and_exit_2(tmp_path, capsys):
    never = str(tmp_path / "never")
    for args, match in [
        (["train", "--task", "sort"], "unknown task 'sort'"),
        (["train", "--memory-size", "0"], "--memory-size"),
        (["train", "--memory-width", "-3"], "--memory-width"),
        (["train", "--read-heads", "0"], "--read-heads"),
        (["train", "--shift-range", "5", "--memory-size", "10", "--max-size", "3"], "as large as the memory"),
        (["train", "--max-size", "200"], "needs 200 memory slots"),
    ]:
        try:
            code = cli.main(["ntm", *args, "--model-dir", never])
        except SystemExit as exit:  # argparse's own checks
            code = exit.code
        err = capsys.readouterr().err
        assert code == 2 and match in err and err.count("\n") == 1, (args, err)
    assert not os.path.exists(never)


@pytest.mark.slow  # the search itself is checked by the char LM's tune test
def test_tune(tmp_path, capsys):
    tune = [
        "--max-trials",
        "1",
        "--epochs",
        "1",
        "--steps-per-epoch",
        "2",
        "--memory-size",
        "10",
        "--max-size",
        "2",
        "--no-jit-compile",
        "--quiet",
    ]
    code, out, _ = run_cli(capsys, "ntm", "tune", "--model-dir", str(tmp_path / "tune"), *tune)
    assert code == 0 and "best_hyperparameters" in json.loads(out.strip().splitlines()[-1])
