import json

import pytest

from tests.applications.shared import run_cli


def test_train_on_a_csv_evaluate_predict_explain(tmp_path, csv_file, capsys):
    """A CSV's columns and labels found, `--input` and `--explain` (export is the contract's)."""
    model_dir = str(tmp_path / "m")
    tiny = [
        "--units",
        "8",
        "--embedding-dim",
        "8",
        "--lexicon",
        "none",
        "--word-vectors",
        "none",
    ]  # the frozen features have their own tests
    code, out, _ = run_cli(
        capsys, "sentiment", "train", f"--data={csv_file}", f"--model-dir={model_dir}", "--epochs=1", *tiny, "--quiet"
    )
    assert code == 0 and "val_accuracy" in json.loads(out.strip().splitlines()[-1])
    code, out, _ = run_cli(
        capsys, "sentiment", "evaluate", "--data", str(csv_file), "--model-dir", model_dir, "--split", "all"
    )
    metrics = json.loads(out.strip().splitlines()[-1])
    assert code == 0 and metrics["count"] == 80 and metrics["labels"] == ["neg", "pos"]
    lines = tmp_path / "in.txt"
    lines.write_text("Great food.\n\nAwful staff.\n", encoding="utf-8")
    page = tmp_path / "why.html"
    code, out, err = run_cli(
        capsys,
        "sentiment",
        "predict",
        f"--model-dir={model_dir}",
        "Lovely place.",
        f"--input={lines}",
        f"--explain={page}",
    )
    rows = [json.loads(line) for line in out.strip().splitlines()]
    assert code == 0 and [r["text"] for r in rows] == ["Lovely place.", "Great food.", "Awful staff."]
    assert page.exists() and "Lovely".lower() in page.read_text(encoding="utf-8")


def test_user_errors_exit_2(tmp_path, trained, capsys):
    _, _, model_dir = trained
    cases = [
        (["predict", "--model-dir", str(model_dir), ""], "empty"),
        (["predict", "--model-dir", str(model_dir)], "no text given"),
        (["predict", "--model-dir", str(tmp_path / "none"), "hi"], "no trained sentiment classifier"),
        (["train", "--data", str(tmp_path / "none.csv"), "--model-dir", str(tmp_path / "out")], "no such file"),
        (
            [
                "train",
                "--data",
                "embedded",
                "--lexicon",
                str(tmp_path / "none.tsv"),
                "--model-dir",
                str(tmp_path / "out"),
            ],
            "lexicon",
        ),
    ]
    for args, match in cases:
        code, _, err = run_cli(capsys, "sentiment", *args)
        assert code == 2 and match in err and "Traceback" not in err, (args, err)
    assert not (tmp_path / "out").exists()


def test_csv_without_the_named_column_exits_2(csv_file, tmp_path, capsys):
    code, _, err = run_cli(
        capsys, "sentiment", "train", f"--data={csv_file}", "--text-column=body", f"--model-dir={tmp_path / 'o'}"
    )
    assert code == 2 and "no column named 'body'" in err
    assert not (tmp_path / "o").exists()


@pytest.mark.slow  # the search itself is checked by the char LM's and the NTM's tune tests
def test_tune(tmp_path, csv_file, capsys):
    small = ["--max-trials=1", "--epochs=1", "--quiet"]
    code, out, _ = run_cli(capsys, "sentiment", "tune", f"--data={csv_file}", f"--model-dir={tmp_path / 't'}", *small)
    assert code == 0 and "pooling" in json.loads(out.strip().splitlines()[-1])["best_hyperparameters"]
