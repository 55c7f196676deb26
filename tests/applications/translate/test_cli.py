import json

import pytest

from tests.applications.shared import run_cli


def test_evaluate_predict_plot(trained, tsv_file, tmp_path, capsys):
    _, _, _, model_dir = trained
    code, out, _ = run_cli(
        capsys,
        "translate",
        "evaluate",
        f"--data={tsv_file}",
        f"--model-dir={model_dir}",
        "--validation-split=0.1",
        "--beam-width=2",
    )
    metrics = json.loads(out.strip().splitlines()[-1])
    assert code == 0 and {"bleu_greedy", "bleu_beam", "chrf_greedy", "chrf_beam"} <= set(metrics)
    code, out, _ = run_cli(
        capsys, "translate", "predict", f"--model-dir={model_dir}", "red cat", "big dog", f"--plot={tmp_path / 'a.png'}"
    )
    assert code == 0 and len(out.strip().splitlines()) == 2 and (tmp_path / "a.png").exists()
    code, out, _ = run_cli(
        capsys, "translate", "plot", "--model-dir", str(model_dir), "a small cat", "--output", str(tmp_path / "b.png")
    )
    assert code == 0 and (tmp_path / "b.png").exists()


def test_user_errors_exit_2(trained, tmp_path, capsys):
    _, _, _, model_dir = trained
    (tmp_path / "x.en").write_text("a\nb\n", encoding="utf-8")
    (tmp_path / "x.de").write_text("a\n", encoding="utf-8")
    for args, match in [
        (["predict", "--model-dir", str(model_dir), ""], "empty"),
        (["predict", "--model-dir", str(tmp_path / "none"), "hi"], "no trained translator"),
        (["train", "--data", str(tmp_path / "x"), "--model-dir", str(tmp_path / "o")], "lines but"),
        # its string pipeline (subwords, beam search over strings) has no LiteRT form
        (["export", "--model-dir", str(model_dir), "--format=litert", f"--export-dir={tmp_path / 'o'}"], "LiteRT"),
    ]:
        code, _, err = run_cli(capsys, "translate", *args)
        assert code == 2 and match in err and "Traceback" not in err, err
    assert not (tmp_path / "o").exists()


@pytest.mark.slow  # 29 s; tune's search and trial table are checked in tests/applications/test_tuning.py
def test_tune_leaves_a_translator_that_translates(tmp_path, tsv_file, capsys):
    import json

    model_dir = str(tmp_path / "tuned")
    code, out, _ = run_cli(
        capsys,
        "translate",
        "tune",
        f"--data={tsv_file}",
        f"--model-dir={model_dir}",
        "--max-trials=1",
        "--epochs=1",
        "--quiet",
    )
    assert code == 0
    best = json.loads(out.strip().splitlines()[-1])["best_hyperparameters"]
    assert {"attention", "decoder_units", "learning_rate"} <= set(best)
    code, out, _ = run_cli(capsys, "translate", "predict", "--model-dir", model_dir, "red cat")
    assert code == 0 and out.strip()
