import keras
import numpy as np
import pytest

from keras_seq.layers import InferenceBlend
from tests.layer_checks import run_layer_test

RNG = np.random.default_rng(0)
FORECAST = RNG.normal(size=(3, 4, 2)).astype("float32")
REFERENCE = RNG.normal(size=(3, 4, 2)).astype("float32")


def test_training_sees_the_forecast_and_inference_the_blend():
    layer = InferenceBlend(0.25)
    np.testing.assert_allclose(np.asarray(layer(FORECAST, REFERENCE, training=True)), FORECAST)
    np.testing.assert_allclose(
        np.asarray(layer(FORECAST, REFERENCE)), 0.25 * FORECAST + 0.75 * REFERENCE, rtol=1e-6, atol=1e-6
    )
    np.testing.assert_allclose(np.asarray(InferenceBlend(1.0)(FORECAST, REFERENCE)), FORECAST)


def test_quantiles_move_together_by_the_median_blend():
    quantiles = np.sort(RNG.normal(size=(3, 4, 2, 3)), axis=-1).astype("float32")  # (B, H, C, Q)
    out = np.asarray(InferenceBlend(0.5, median_index=1)(quantiles, REFERENCE))
    np.testing.assert_allclose(out[..., 1], 0.5 * quantiles[..., 1] + 0.5 * REFERENCE, atol=1e-6)
    np.testing.assert_allclose(out[..., 2] - out[..., 0], quantiles[..., 2] - quantiles[..., 0], atol=1e-5)
    assert np.all(np.diff(out, axis=-1) >= 0)


def test_fit_trains_on_the_forecast_and_evaluate_scores_the_blend():
    x = keras.Input((4, 2))
    reference = keras.Input((4, 2))
    forecast = keras.layers.Dense(2, kernel_initializer="zeros", bias_initializer="zeros")(x)
    model = keras.Model([x, reference], InferenceBlend(0.5)(forecast, reference))
    model.compile(keras.optimizers.SGD(0.5), "mse")
    target = np.ones_like(FORECAST)
    model.fit([FORECAST, REFERENCE], target, epochs=60, verbose=0)
    # the forecast itself learned the target (a blend in training would have learned 2 * target - reference)
    np.testing.assert_allclose(np.asarray(model([FORECAST, REFERENCE], training=True)), target, atol=0.05)
    blended = np.asarray(model.predict([FORECAST, REFERENCE], verbose=0))
    np.testing.assert_allclose(blended, 0.5 * target + 0.5 * REFERENCE, atol=0.05)
    expected = np.mean((blended - target) ** 2)
    assert model.evaluate([FORECAST, REFERENCE], target, verbose=0) == pytest.approx(expected, rel=1e-4)


def test_layer_checks(tmp_path):
    loaded = run_layer_test(
        InferenceBlend, {"weight": 0.3, "median_index": None}, (FORECAST, REFERENCE), tmp_path, fit=False
    )
    assert loaded.layers[-1].weight == pytest.approx(0.3)


@pytest.mark.parametrize("kwargs", [{"weight": 0.0}, {"weight": 1.5}, {"weight": True}, {"median_index": 1.0}])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError, match="weight|median_index"):
        InferenceBlend(**kwargs)
