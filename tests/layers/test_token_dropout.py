import keras
import numpy as np
import pytest

from keras_seq.layers import TokenDropout
from tests.layer_checks import run_layer_test


def test_replaces_only_eligible_ids_in_training():
    ids = np.tile(np.arange(10, dtype="int32"), (200, 1))  # (200, 10)
    layer = TokenDropout(0.5, first_id=6, unknown_id=1, seed=3)
    out = keras.ops.convert_to_numpy(layer(ids, training=True))
    np.testing.assert_array_equal(out[:, :6], ids[:, :6])  # padding and frequent ids kept
    replaced = out[:, 6:] == 1
    assert set(np.unique(out[:, 6:])) <= {1, 6, 7, 8, 9}
    assert 0.4 < replaced.mean() < 0.6
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(layer(ids)), ids)  # inference: unchanged


def test_layer_checks(tmp_path):
    loaded = run_layer_test(
        TokenDropout,
        {"rate": 0.3, "first_id": 4, "unknown_id": 1, "seed": 1},
        np.array([[5, 2, 9], [0, 4, 7]], "int32"),
        tmp_path,
        fit=False,
        bfloat16=False,
    )
    assert loaded.layers[-1].first_id == 4


@pytest.mark.parametrize("kwargs", [{"rate": 1.0}, {"rate": -0.1}, {"rate": 0.1, "first_id": 0}, {"rate": True}])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        TokenDropout(**kwargs)
