import numpy as np
import pytest

from keras_seq.training.forecast_baselines import LinearBaseline, repeat_last, seasonal_naive
from keras_seq.training.forecast_scores import coverage, mase, naive_scale, smape, weighted_quantile_loss


def test_scores_by_hand():
    truth = np.array([[[1.0], [3.0]]])
    forecast = np.array([[[2.0], [3.0]]])
    assert mase(truth, forecast, np.array([0.5])) == pytest.approx(1.0)  # errors 1, 0 over a scale of 0.5
    assert smape(truth, forecast) == pytest.approx(100 * (2 / 3) / 2)
    assert smape(np.zeros((1, 1, 1)), np.zeros((1, 1, 1))) == 0.0
    assert coverage(truth, truth - 1, truth + 0.5) == 100.0
    assert coverage(truth, truth + 0.1, truth + 1) == 0.0
    np.testing.assert_allclose(naive_scale(np.array([[0.0, 5.0], [2.0, 5.0], [6.0, 5.0]])), [3.0, 1.0])
    exact = np.repeat(truth[..., None], 2, axis=-1)
    assert weighted_quantile_loss(truth, exact, [0.1, 0.9]) == 0.0


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
