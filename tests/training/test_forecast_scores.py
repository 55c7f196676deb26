import numpy as np
import pytest

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
