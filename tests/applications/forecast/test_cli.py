import json

import pytest

from tests.applications.forecast.conftest import hourly_rows, write_csv
from tests.applications.shared import expect_refusal, run_cli

SMALL_FLAGS = ["--lookback", "48", "--horizon", "12", "--segment-length", "12", "--units", "8", "--epochs", "2"]


def test_evaluate_predict_and_plot_from_the_command_line(trained_forecaster, hourly_csv, tmp_path, capsys):
    _, _, model_dir = trained_forecaster
    code, out, _ = run_cli(
        capsys, "forecast", "evaluate", "--data", str(hourly_csv), "--model-dir", str(model_dir), "--split", "test"
    )
    metrics = json.loads(out.strip().splitlines()[-1])
    assert code == 0 and "repeat last" in out and metrics["baselines"]["linear"]["mse"] > 0
    code, out, _ = run_cli(
        capsys,
        "forecast",
        "predict",
        "--data",
        str(hourly_csv),
        "--model-dir",
        str(model_dir),
        "--output",
        str(tmp_path / "n.csv"),
    )
    assert code == 0 and len(json.loads(out.strip().splitlines()[-1])["forecasts"][0]["times"]) == 12
    assert (tmp_path / "n.csv").is_file()
    png = tmp_path / "f.png"
    code, _, _ = run_cli(
        capsys, "forecast", "plot", "--data", str(hourly_csv), "--model-dir", str(model_dir), "--output", str(png)
    )
    assert code == 0 and png.is_file()


def test_bad_input_is_one_line_and_nothing_written(tmp_path, capsys, trained_forecaster, hourly_csv):
    times, values = hourly_rows(200)
    text = write_csv(tmp_path / "text.csv", times, values, extra=["2024-01-09 08:00:00,abc,3"])
    inf = write_csv(tmp_path / "inf.csv", times, values, extra=["2024-01-09 08:00:00,inf,3"])
    short = write_csv(tmp_path / "short.csv", times[:50], values[:50])
    flat = values.copy()
    flat[:, 0] = 1.0
    constant = write_csv(tmp_path / "constant.csv", times, flat)
    other = write_csv(tmp_path / "other.csv", times, values, header=("time", "load", "humidity"))
    out = str(tmp_path / "out")
    for data, match in [(text, "not a number"), (inf, "finite"), (short, "lookback + horizon"), (constant, "constant")]:
        expect_refusal(
            capsys, tmp_path, "forecast", "train", "--data", str(data), "--model-dir", out, *SMALL_FLAGS, match=match
        )
    for flags, match in [
        (["--horizon", "0"], "horizon"),
        (["--horizon", "10000000"], "horizon"),
        (["--lookback", "50"], "multiple"),
    ]:
        expect_refusal(capsys, tmp_path, "forecast", "train", "--data", str(hourly_csv), "--model-dir", out, *flags)
    _, _, model_dir = trained_forecaster
    expect_refusal(
        capsys,
        tmp_path,
        "forecast",
        "predict",
        "--data",
        str(other),
        "--model-dir",
        str(model_dir),
        match="temperature",
    )
    expect_refusal(
        capsys,
        tmp_path,
        "forecast",
        "evaluate",
        "--data",
        str(hourly_csv),
        "--model-dir",
        str(model_dir),
        "--split",
        "train",
    )


@pytest.mark.slow  # 12-23 s; tests/applications/test_tuning.py checks the search itself
def test_tune_searches_through_the_builder_and_leaves_a_forecaster(hourly_csv, tmp_path, capsys):
    model_dir = str(tmp_path / "tuned")
    args = ["--data", str(hourly_csv), "--model-dir", model_dir, "--max-trials", "2", "--epochs", "1"]
    code, out, err = run_cli(capsys, "forecast", "tune", *args, "--lookback", "48", "--horizon", "12", "--quiet")
    assert code == 0, err
    result = json.loads(out.strip().splitlines()[-1])
    assert result["trials"] == 2 and "units" in result["best_hyperparameters"]
    code, out, _ = run_cli(capsys, "forecast", "evaluate", "--data", str(hourly_csv), "--model-dir", model_dir)
    assert code == 0 and json.loads(out.strip().splitlines()[-1])["windows"] > 0
