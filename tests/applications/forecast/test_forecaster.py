import json

import keras
import numpy as np
import pytest

from keras_seq.applications.forecast import Forecaster, ForecasterConfig, build_forecaster, train
from keras_seq.applications.forecast.files import write_forecasts
from keras_seq.applications.forecast.task import compare
from keras_seq.errors import UserInputError
from tests.applications.forecast.conftest import SMALL, hourly_rows, write_csv
from tests.applications.shared import exported, quiet


def test_it_learns_the_hourly_cycle_and_beats_repeating_the_last_value(trained_forecaster, hourly_csv):
    forecaster, history, _ = trained_forecaster
    assert history.history["loss"][-1] < history.history["loss"][0]  # it starts at the linear map, already close
    metrics = forecaster.evaluate(forecaster.evaluation_examples(str(hourly_csv), "test"))
    assert metrics["windows"] == 180 - 12 + 1  # every test window (a fifth of 900 rows), stride 1
    assert metrics["mse"] < 0.5 * metrics["baselines"]["repeat_last"]["mse"] and metrics["beats_repeat_last"]
    assert set(metrics["baselines"]) == {"repeat_last", "seasonal_naive_24", "linear"}
    assert "beats" in forecaster.describe(metrics)


def test_forecast_the_export_and_a_reload_agree(trained_forecaster, tmp_path):
    forecaster, _, model_dir = trained_forecaster
    _, values = hourly_rows(100, seed=5)
    windows = np.stack([values[:48], values[50:98]])  # (2, 48, 2)
    expected = forecaster.forecast(windows)
    assert expected.shape == (2, 12, 2) and np.allclose(forecaster.forecast(windows[0]), expected[0])
    np.testing.assert_allclose(Forecaster.load(str(model_dir)).forecast(windows), expected, rtol=1e-6)
    served = exported(forecaster, tmp_path / "export")
    out = served.signatures["forecast"](history=np.asarray(windows, "float32"))["forecast"].numpy()
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-4)
    assert abs(expected[0, :, 0].mean() - values[:48, 0].mean()) < 3  # on the original scale


def test_predict_next_continues_the_timestamps(trained_forecaster, hourly_csv, tmp_path):
    forecaster, _, _ = trained_forecaster
    (item,) = forecaster.predict_next(str(hourly_csv))
    assert item["times"][:2] == ["2024-02-07T12:00:00", "2024-02-07T13:00:00"]  # 900 hours after 2024-01-01
    assert np.asarray(item["forecast"]).shape == (12, 2) and item["columns"] == ["load", "temperature"]
    write_forecasts([item], str(tmp_path / "next.csv"))
    lines = (tmp_path / "next.csv").read_text().splitlines()
    assert lines[0] == "series,time,load,temperature" and len(lines) == 13
    write_forecasts([item], str(tmp_path / "next.json"))
    assert json.loads((tmp_path / "next.json").read_text())["forecasts"][0]["times"] == item["times"]


def test_plot_writes_a_png(trained_forecaster, hourly_csv, tmp_path):
    forecaster, _, _ = trained_forecaster
    for split in ("test", "future"):
        path = tmp_path / f"{split}.png"
        forecaster.plot(str(hourly_csv), str(path), split=split)
        assert path.read_bytes()[:4] == b"\x89PNG"


def test_bad_windows_and_other_columns_are_refused(trained_forecaster, tmp_path):
    forecaster, _, _ = trained_forecaster
    with pytest.raises(UserInputError, match="shaped"):
        forecaster.forecast(np.zeros((47, 2)))
    with pytest.raises(UserInputError, match="NaN"):
        forecaster.forecast(np.full((48, 2), np.nan))
    with pytest.raises(UserInputError, match="numbers"):
        forecaster.forecast([["a", "b"]] * 48)
    with pytest.raises(UserInputError, match="point forecasts"):
        forecaster.forecast(np.zeros((48, 2)), quantiles=True)
    times, values = hourly_rows(100)
    other = write_csv(tmp_path / "other.csv", times, values, header=("time", "load", "humidity"))
    with pytest.raises(UserInputError, match="no column 'temperature'|columns"):
        forecaster.predict_next(str(other))
    short = write_csv(tmp_path / "short.csv", times[:20], values[:20])
    with pytest.raises(UserInputError, match="fewer than the lookback"):
        forecaster.predict_next(str(short))


def test_quantiles_give_ordered_intervals_and_their_coverage(hourly_csv, tmp_path):
    config = SMALL.replace(quantiles=[0.1, 0.5, 0.9], epochs=8, cell="lstm", channels="mixing", calendar=True)
    forecaster, _ = train(config, data=str(hourly_csv), model_dir=str(tmp_path / "q"), **quiet())
    assert forecaster.futures == 6  # the calendar's sines and cosines
    metrics = forecaster.evaluate(forecaster.evaluation_examples(str(hourly_csv), "test"))
    assert metrics["nominal_coverage"] == 80.0 and 30 < metrics["coverage"] <= 100
    assert metrics["weighted_quantile_loss"] > 0
    (item,) = forecaster.predict_next(str(hourly_csv))
    lower, point, upper = (np.asarray(item[k]) for k in ("lower", "forecast", "upper"))
    assert np.all(lower <= point) and np.all(point <= upper) and np.any(lower < upper)
    served = exported(forecaster, tmp_path / "export")
    _, values = hourly_rows(60)
    future = np.zeros((1, 12, 6), "float32")
    history = np.concatenate([values[None, :48], np.zeros((1, 48, 6))], axis=-1)  # the calendar's columns too
    out = served.signatures["forecast"](history=np.asarray(history, "float32"), future=future)
    assert out["quantiles"].shape == (1, 12, 2, 3) and out["forecast"].shape == (1, 12, 2)


def test_a_constant_column_and_a_short_series_are_refused(tmp_path):
    times, values = hourly_rows(300)
    values[:, 1] = 7.0
    flat = write_csv(tmp_path / "flat.csv", times, values)
    with pytest.raises(UserInputError, match="constant"):
        train(SMALL, data=str(flat), model_dir=str(tmp_path / "m"), **quiet())
    short = write_csv(tmp_path / "short.csv", *hourly_rows(70))
    with pytest.raises(UserInputError, match="lookback \\+ horizon"):
        train(SMALL, data=str(short), model_dir=str(tmp_path / "m"), **quiet())
    assert not (tmp_path / "m").exists()


def test_builder_refuses_a_config_without_data():
    with pytest.raises(ValueError, match="prepare"):
        build_forecaster(ForecasterConfig())
    with pytest.raises(UserInputError, match="multiple"):
        ForecasterConfig(lookback=50, segment_length=12).validate()
    with pytest.raises(UserInputError, match="two quantiles"):
        ForecasterConfig(quantiles=[0.5]).validate()


@pytest.mark.parametrize(
    "changes",
    [
        {"decoder": "recursive"},
        pytest.param({"attention": "bahdanau", "cell": "lstm"}, marks=pytest.mark.slow),  # 10 s; the layer's tests
        pytest.param({"attention": "luong", "channels": "mixing"}, marks=pytest.mark.slow),  # check attention
    ],
)
def test_decoder_variants_train_save_and_export_alike(changes, hourly_csv, tmp_path):
    forecaster, history = train(
        SMALL.replace(epochs=3, **changes), data=str(hourly_csv), model_dir=str(tmp_path / "m"), **quiet()
    )
    assert np.isfinite(history.history["val_loss"][-1])
    _, values = hourly_rows(60, seed=2)
    expected = forecaster.forecast(values[:48])
    np.testing.assert_allclose(Forecaster.load(str(tmp_path / "m")).forecast(values[:48]), expected, rtol=1e-6)
    served = exported(forecaster, tmp_path / "export")
    out = served.signatures["forecast"](history=np.asarray(values[None, :48], "float32"))["forecast"].numpy()[0]
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-4)


def test_a_model_no_better_than_the_random_walk_is_told_so(trained_forecaster, tmp_path):
    """On a random walk nothing beats repeating the last value; a model a
    hair better must not be said to beat it."""
    import datetime

    forecaster, _, _ = trained_forecaster
    rng = np.random.default_rng(3)
    walk = 100 + np.cumsum(rng.normal(size=(400, 2)), axis=0)
    times = [datetime.datetime(2024, 1, 1) + datetime.timedelta(hours=h) for h in range(400)]
    data = write_csv(tmp_path / "walk.csv", times, walk)
    metrics = forecaster.evaluate(forecaster.evaluation_examples(str(data), "all"))
    assert metrics["mse_vs_repeat_last"] > 0.9  # no skill to find in a random walk
    assert metrics["beats_repeat_last"] == (metrics["mse_vs_repeat_last"] < 0.98)
    for ratio, beats in ((1.01, False), (0.99, False), (0.97, True)):
        crafted = compare({"mse": ratio, "baselines": {"repeat_last": {"mse": 1.0}, "linear": {"mse": 2.0}}})
        assert crafted["beats_repeat_last"] is beats and crafted["beats_every_baseline"] is beats
        crafted.update(windows=1, horizon=1, mae=0, mase=0, smape=0)
        for row in crafted["baselines"].values():
            row.update(mae=0, mase=0, smape=0)
        assert ("does NOT beat" in forecaster.describe(crafted)) is not beats


def test_the_untrained_model_is_the_linear_baseline(hourly_csv):
    """The linear skip starts at the closed-form fit and the decoder at 0:
    before training, the forecaster's test MSE is the linear baseline's."""
    from keras_seq.applications import training

    prepared = training.prepare(Forecaster, SMALL, str(hourly_csv))
    forecaster = Forecaster(build_forecaster(prepared.config, **prepared.assets))
    metrics = forecaster.evaluate(forecaster.evaluation_examples(str(hourly_csv), "test"))
    assert metrics["mse"] == pytest.approx(metrics["baselines"]["linear"]["mse"], rel=1e-4)
    plain = Forecaster(build_forecaster(prepared.config.replace(linear_skip="none"), **prepared.assets))
    metrics = plain.evaluate(plain.evaluation_examples(str(hourly_csv), "test"))
    assert metrics["mse"] != pytest.approx(metrics["baselines"]["linear"]["mse"], rel=1e-2)


def test_inference_blends_the_model_with_the_linear_baseline(trained_forecaster, hourly_csv):
    """The forecast at inference is `blend` times the trained model's plus
    the rest times the closed-form linear map's, which is the linear
    baseline of `evaluate` itself."""
    forecaster = trained_forecaster[0]
    assert forecaster.config.blend == 0.5
    layer = forecaster.model.get_layer("blend")
    parts = keras.Model(forecaster.model.inputs, layer.input)  # (the model's own forecast, the linear map's)
    test = forecaster.evaluation_examples(str(hourly_csv), "test")
    history, truth, *_ = test.windows(SMALL.lookback, SMALL.horizon)
    own, linear = (np.asarray(p) for p in parts.predict(history.astype("float32"), verbose=0))
    blended = forecaster.scale_targets(forecaster.forecast(history))
    np.testing.assert_allclose(blended, 0.5 * own + 0.5 * linear, atol=1e-4)
    scaled = forecaster.scale_targets(truth)
    metrics = forecaster.evaluate(test)
    assert np.mean((linear - scaled) ** 2) == pytest.approx(metrics["baselines"]["linear"]["mse"], rel=1e-3)
    assert np.mean((own - linear) ** 2) > 1e-4  # training moved the model away from the linear map


@pytest.mark.parametrize("installed", [True, False])
def test_a_single_series_is_also_measured_against_auto_theta(tmp_path, monkeypatch, installed):
    """With statsforecast installed, `evaluate` of a one-column series adds
    its AutoTheta as a baseline (the hourly cycle: far better than the
    random walk); without it, the other baselines stay."""
    import sys

    from keras_seq.applications import training

    if installed:
        pytest.importorskip("statsforecast")
    else:
        monkeypatch.setitem(sys.modules, "statsforecast", None)
        monkeypatch.setitem(sys.modules, "statsforecast.models", None)
    times, values = hourly_rows(400)
    data = str(write_csv(tmp_path / "load.csv", times, values[:, :1], header=("time", "load")))
    prepared = training.prepare(Forecaster, SMALL.replace(lookback=96), data)  # four days: the cycle shows
    forecaster = Forecaster(build_forecaster(prepared.config, **prepared.assets))
    baselines = forecaster.evaluate(forecaster.evaluation_examples(data, "test"))["baselines"]
    assert ("auto_theta" in baselines) is installed
    if installed:
        assert baselines["auto_theta"]["mse"] < 0.5 * baselines["repeat_last"]["mse"]
