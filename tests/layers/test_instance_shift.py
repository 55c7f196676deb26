import numpy as np
import pytest

from keras_seq.layers import InstanceShift
from tests.layer_checks import run_layer_test

WINDOWS = np.random.default_rng(0).normal(size=(3, 8, 2)).astype("float32")


@pytest.mark.parametrize("mode", ["last", "mean"])
def test_shift_and_back(mode):
    layer = InstanceShift(mode)
    shifted, reference = (np.asarray(t) for t in layer(WINDOWS))
    expected = WINDOWS[:, -1:] if mode == "last" else WINDOWS.mean(axis=1, keepdims=True)
    np.testing.assert_allclose(reference, expected, atol=1e-6)
    np.testing.assert_allclose(shifted, WINDOWS - expected, atol=1e-6)
    forecast = np.ones((3, 4, 2), "float32")
    np.testing.assert_allclose(
        np.asarray(layer(forecast, reference=reference)), 1 + np.repeat(expected, 4, 1), atol=1e-6
    )
    quantiles = np.zeros((3, 4, 2, 3), "float32")  # the reference broadcasts over the quantiles too
    np.testing.assert_allclose(np.asarray(layer(quantiles, reference=reference))[..., 2], np.repeat(expected, 4, 1))


def test_layer_checks(tmp_path):
    loaded = run_layer_test(InstanceShift, {"mode": "mean"}, WINDOWS, tmp_path, fit=False, bfloat16=False)
    assert loaded.layers[-1].mode == "mean"


def test_bad_mode():
    with pytest.raises(ValueError, match="mode"):
        InstanceShift("median")
