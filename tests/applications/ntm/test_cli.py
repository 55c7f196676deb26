import json
import os

import pytest

from keras_seq.applications import cli

TINY = ["--units", "8", "--memory-size", "10", "--memory-width", "4", "--max-size", "3", "--steps-per-epoch", "5", "--batch-size", "8", "--no-jit-compile"]


def run(capsys, *args):
    code = cli.main(["ntm", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_train_evaluate_plot_export(tmp_path, capsys):
    model_dir = str(tmp_path / "model")
    code, out, _ = run(capsys, "train", "--task", "associative-recall", "--model-dir", model_dir, "--epochs", "1", "--quiet", *TINY)
    assert code == 0 and "val_bit_errors" in json.loads(out.strip().splitlines()[-1])
    code, out, _ = run(capsys, "evaluate", "--model-dir", model_dir, "--items", "3", "--split", "test")
    metrics = json.loads(out.strip().splitlines()[-1])
    assert code == 0 and metrics["items"] == 3 and "bit_errors_per_sequence" in metrics
    code, out, _ = run(capsys, "plot", "--model-dir", model_dir, "--items", "2")
    assert code == 0 and os.path.isfile(os.path.join(model_dir, "plot.png"))
    code, out, _ = run(capsys, "export", "--model-dir", model_dir)
    assert code == 0 and "signatures: run" in out
    for args, match in [
        (["evaluate", "--model-dir", model_dir, "--items", "4"], "needs 12 memory slots"),  # 4 items of 3 vectors in 10 slots
        (["evaluate", "--model-dir", model_dir, "--length", "3"], "--length does not apply to associative-recall"),
    ]:
        code, _, err = run(capsys, *args)
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
    tune = ["--max-trials", "1", "--epochs", "1", "--steps-per-epoch", "2", "--memory-size", "10", "--max-size", "2", "--no-jit-compile", "--quiet"]
    code, out, _ = run(capsys, "tune", "--model-dir", str(tmp_path / "tune"), *tune)
    assert code == 0 and "best_hyperparameters" in json.loads(out.strip().splitlines()[-1])
