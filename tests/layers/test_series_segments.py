import numpy as np
import pytest

from keras_seq.layers import SeriesSegments
from tests.layer_checks import run_layer_test

WINDOWS = np.arange(2 * 6 * 3, dtype="float32").reshape(2, 6, 3)  # (B, L, C)


def test_channel_independent_segments_are_each_columns_own_steps():
    out = np.asarray(SeriesSegments(2)(WINDOWS))  # (B*C, N, W)
    assert out.shape == (6, 3, 2)
    np.testing.assert_array_equal(out[4], WINDOWS[1, :, 1].reshape(3, 2))  # batch 1, column 1


def test_covariates_join_every_columns_segments():
    covariates = -np.ones((2, 6, 1), "float32")
    out = np.asarray(SeriesSegments(3)(WINDOWS, covariates))  # (B*C, N, W + W*P)
    assert out.shape == (6, 2, 6)
    np.testing.assert_array_equal(out[:, :, 3:], -1)


def test_mixing_puts_every_column_in_one_sequence():
    out = np.asarray(SeriesSegments(2, independent=False)(WINDOWS))  # (B, N, W*C)
    assert out.shape == (2, 3, 6)
    np.testing.assert_array_equal(out[0, 0], WINDOWS[0, :2].reshape(-1))


def test_layer_checks(tmp_path):
    run_layer_test(SeriesSegments, {"segment_length": 3}, WINDOWS, tmp_path, fit=False, bfloat16=False)


def test_lookback_must_be_a_multiple():
    with pytest.raises(ValueError, match="multiple"):
        SeriesSegments(4)(WINDOWS)
    with pytest.raises(ValueError, match="segment_length"):
        SeriesSegments(0)
