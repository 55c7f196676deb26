import keras
import numpy as np
import pytest

from keras_seq.layers import PaddingMask
from tests.layer_checks import run_layer_test


def test_marks_the_real_tokens():
    ids = np.array([[4, 7, 0, 0], [3, 0, 0, 0]], "int32")
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(PaddingMask()(ids)), ids != 0)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(PaddingMask(padding_id=3)(ids)), ids != 3)
    assert PaddingMask()(keras.Input((None,), dtype="int32")).dtype == "bool"


def test_layer_checks(tmp_path):  # config, JSON, .keras under safe_mode (nothing to fit, no float to cast)
    loaded = run_layer_test(
        PaddingMask, {"padding_id": 2}, np.array([[1, 2, 3], [2, 2, 5]], "int32"), tmp_path, fit=False, bfloat16=False
    )
    assert loaded.layers[-1].padding_id == 2


def test_bad_padding_id():
    with pytest.raises(ValueError, match="padding_id"):
        PaddingMask(padding_id=0.5)
