import json

import pytest

from keras_seq.applications import cli
from tests.applications.shared import expect_refusal, run_cli


def test_evaluate_and_generate(trained, text_file, capsys):
    """The char LM's own metrics and verb (train, the JSON line and export are the contract's)."""
    _, _, model_dir = trained
    model_dir = str(model_dir)
    code, out, _ = run_cli(capsys, "char-lm", "evaluate", "--data", str(text_file), "--model-dir", model_dir)
    metrics = json.loads(out.strip().splitlines()[-1])
    per = {"val_loss", "bits_per_char", "perplexity", "per_word_perplexity", "tokens", "chars", "words", "unknown_rate"}
    assert code == 0 and set(metrics) == per
    assert metrics["tokens"] == metrics["chars"] and metrics["bits_per_char"] == pytest.approx(
        metrics["val_loss"] / 0.693147, abs=2e-4
    )  # characters: a token is a character
    code, out, _ = run_cli(
        capsys, "char-lm", "evaluate", "--data", str(text_file), "--model-dir", model_dir, "--split", "all"
    )
    assert code == 0 and json.loads(out.strip().splitlines()[-1])["chars"] > metrics["chars"]
    code, out, _ = run_cli(
        capsys, "char-lm", "generate", f"--model-dir={model_dir}", "--prompt=To be", "--max-length=30", "--seed=1"
    )
    assert code == 0 and out.startswith("To be") and len(out.rstrip("\n")) == 35


@pytest.mark.parametrize(
    "args,match",
    [
        (["train", "--data", "/no/such/file.txt", "--model-dir", "/tmp/never-written"], "no such file"),
        (["generate", "--model-dir", "/no/such/dir"], "no trained char LM"),
        (["evaluate", "--data", "embedded", "--model-dir", "/no/such/dir"], "no trained char LM"),
    ],
)
def test_user_errors_are_one_line_and_exit_2(capsys, args, match):
    code, _, err = run_cli(capsys, "char-lm", *args)
    assert code == 2 and match in err and err.count("\n") == 1 and "Traceback" not in err


def test_bad_generation_flags_exit_2(trained, capsys, tmp_path):
    _, _, model_dir = trained
    for flags in (["--temperature", "0"], ["--temperature", "-2"], ["--max-length", "-1"]):
        expect_refusal(capsys, tmp_path, "char-lm", "generate", "--model-dir", str(model_dir), *flags, match=flags[0])


def test_bad_flag_types_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["char-lm", "train", "--epochs", "0"])
    assert info.value.code == 2


@pytest.mark.slow  # 10 s; tests/applications/test_tuning.py runs the char LM's searches
def test_tune_runs_a_search_through_the_builder(tmp_path, text_file, capsys):
    small = ["--max-trials=1", "--epochs=1", "--sequence-length=20", "--batch-size=8", "--quiet"]
    code, out, _ = run_cli(capsys, "char-lm", "tune", f"--data={text_file}", f"--model-dir={tmp_path / 't'}", *small)
    assert code == 0
    best = json.loads(out.strip().splitlines()[-1])["best_hyperparameters"]
    assert {"cell", "units", "layers", "dropout", "learning_rate"} <= set(best)
