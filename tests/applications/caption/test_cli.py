import json

from tests.applications.shared import run_cli


def test_evaluate_predict_plot(trained, strips_folder, tmp_path, capsys):
    _, _, validation, model_dir = trained
    code, out, _ = run_cli(
        capsys, "caption", "evaluate", "--data", str(strips_folder), "--model-dir", str(model_dir), "--beam-width", "2"
    )
    metrics = json.loads(out.strip().splitlines()[-1])
    assert (
        code == 0 and {"bleu_4_greedy", "cider_beam", "exact_match_beam"} <= set(metrics) and metrics["beam_width"] == 2
    )
    images = validation.images[:2]
    code, out, _ = run_cli(capsys, "caption", "predict", "--model-dir", str(model_dir), *images)
    assert code == 0 and [line.split("\t")[0] for line in out.strip().splitlines()] == images
    code, out, _ = run_cli(
        capsys, "caption", "plot", "--model-dir", str(model_dir), images[0], "--output", str(tmp_path / "o.png")
    )
    assert code == 0 and (tmp_path / "o.png").exists()


def test_user_errors_exit_2(trained, tmp_path, capsys):
    _, _, _, model_dir = trained
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "captions.csv").write_text("", encoding="utf-8")
    for args, match in [
        (["predict", "--model-dir", str(model_dir), str(tmp_path / "absent.png")], "no such file"),
        (["train", "--data", str(tmp_path / "empty"), "--model-dir", str(tmp_path / "o")], "no captions"),
        (["evaluate", "--model-dir", str(model_dir), "--split", "nope"], "needs a tfds: source"),
    ]:
        code, _, err = run_cli(capsys, "caption", *args)
        assert code == 2 and match in err and "Traceback" not in err, err
    assert not (tmp_path / "o").exists()
