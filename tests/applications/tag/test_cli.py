import json

from tests.applications.shared import run_cli


def test_evaluate_predict_plot(trained, conll_file, tmp_path, capsys):
    _, _, _, model_dir = trained
    code, out, _ = run_cli(capsys, "tag", "evaluate", f"--data={conll_file}", f"--model-dir={model_dir}")
    metrics = json.loads(out.strip().splitlines()[-1])
    assert code == 0 and {"f1", "precision", "recall", "accuracy", "per_type"} <= set(metrics)
    code, out, _ = run_cli(capsys, "tag", "predict", f"--model-dir={model_dir}", "Tom flew to Oslo .", "It rained .")
    lines = out.strip().splitlines()
    assert code == 0 and lines[0].startswith("Tom/") and len(json.loads(lines[-1])["results"]) == 2
    html, png, heat = tmp_path / "t.html", tmp_path / "t.png", tmp_path / "heat.png"
    code, _, _ = run_cli(
        capsys, "tag", "plot", f"--model-dir={model_dir}", "Mary met Tom in Lima .", f"--output={html}"
    )
    assert code == 0 and "<span" in html.read_text(encoding="utf-8")
    code, _, _ = run_cli(
        capsys, "tag", "plot", f"--model-dir={model_dir}", "Mary met Tom .", f"--output={png}", f"--transitions={heat}"
    )
    assert code == 0 and png.read_bytes()[:4] == b"\x89PNG" and heat.read_bytes()[:4] == b"\x89PNG"
    code, _, err = run_cli(capsys, "tag", "plot", f"--model-dir={model_dir}", "x", f"--output={tmp_path / 'x.txt'}")
    assert code == 2 and ".html or .png" in err and not (tmp_path / "x.txt").exists()
