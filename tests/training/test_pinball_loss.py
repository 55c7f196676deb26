import keras
import numpy as np
import pytest

from keras_seq.training import PinballLoss


def test_matches_the_definition_and_is_smallest_at_the_quantile():
    truth = np.random.default_rng(0).normal(size=(4000, 1, 1)).astype("float32")
    loss = PinballLoss([0.1, 0.9])
    errors = truth[..., None] - np.zeros((1, 1, 1, 2), "float32")
    expected = np.mean(np.maximum(np.array([0.1, 0.9]) * errors, (np.array([0.1, 0.9]) - 1) * errors))
    assert float(loss(truth, np.zeros((4000, 1, 1, 2), "float32"))) == pytest.approx(expected, rel=1e-5)
    grid = np.linspace(-2, 2, 81)
    best = grid[np.argmin([float(PinballLoss([0.9])(truth, np.full((4000, 1, 1, 1), g, "float32"))) for g in grid])]
    assert abs(best - np.quantile(truth, 0.9)) < 0.1  # 1.28 for a normal


def test_config_round_trip():
    loss = PinballLoss([0.25, 0.75])
    clone = keras.losses.deserialize(keras.losses.serialize(loss))
    assert clone.quantiles == [0.25, 0.75]


@pytest.mark.parametrize("quantiles", [[], [0.0, 0.5], [1.5]])
def test_bad_levels(quantiles):
    with pytest.raises(ValueError):
        PinballLoss(quantiles)
