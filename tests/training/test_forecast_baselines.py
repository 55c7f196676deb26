import sys

import numpy as np
import pytest

from keras_seq.training.forecast_baselines import LinearBaseline, auto_theta, repeat_last, seasonal_naive


def test_baselines():
    windows = np.arange(24.0).reshape(2, 12, 1)  # (N, L, C)
    np.testing.assert_array_equal(repeat_last(windows, 3)[:, :, 0], [[11, 11, 11], [23, 23, 23]])
    np.testing.assert_array_equal(seasonal_naive(windows, 5, 4)[0, :, 0], [8, 9, 10, 11, 8])
    np.testing.assert_array_equal(seasonal_naive(windows, 2, 40), repeat_last(windows, 2))  # a season too long


def test_linear_baseline_learns_a_linear_rule_exactly():
    rng = np.random.default_rng(0)
    series = np.cumsum(rng.normal(size=(600, 2)), axis=0)  # two random walks
    starts = np.arange(500)
    inputs = np.stack([series[s : s + 20] for s in starts])  # (N, 20, 2)
    trend = inputs[:, -1:] + 0.5 * (inputs[:, -1:] - inputs[:, -2:-1]) * np.arange(1, 6)[None, :, None]
    baseline = LinearBaseline(ridge=1e-9).fit(inputs, trend)
    np.testing.assert_allclose(baseline.predict(inputs), trend, atol=1e-6)
    with pytest.raises(ValueError, match="fit"):
        LinearBaseline().predict(inputs)


def test_auto_theta_forecasts_a_seasonal_series_and_repeats_a_constant_one():
    pytest.importorskip("statsforecast")
    steps = np.arange(120 + 12)
    series = 10 + np.sin(2 * np.pi * steps / 12) + 0.02 * steps  # a season of 12 and a trend
    windows = np.stack([series[:120], np.full(120, 3.0)], axis=-1)[None]  # (1, 120, 2): the second constant
    forecast = auto_theta(windows, 12, 12)
    assert forecast.shape == (1, 12, 2)
    truth = series[120:]
    assert np.mean((forecast[0, :, 0] - truth) ** 2) < 0.1 * np.mean((series[119] - truth) ** 2)
    np.testing.assert_array_equal(forecast[0, :, 1], 3.0)


def test_auto_theta_is_none_without_statsforecast(monkeypatch):
    monkeypatch.setitem(sys.modules, "statsforecast", None)  # an import of it now fails
    monkeypatch.setitem(sys.modules, "statsforecast.models", None)
    assert auto_theta(np.ones((1, 24, 1)), 3, 12) is None
