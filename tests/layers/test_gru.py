import keras
import numpy as np
import pytest

from keras_seq.layers import GRU, GRUCell
from tests.layers.recurrent_suite import RecurrentSuite


class TestGRU(RecurrentSuite):
    ours, ours_cell = GRU, GRUCell
    keras_layer, keras_cell = keras.layers.GRU, keras.layers.GRUCell

    def test_bias_shapes(self):
        for reset_after, shape in [(True, (2, 12)), (False, (12,))]:
            layer = GRU(4, reset_after=reset_after)
            layer(np.zeros((1, 2, 3), "float32"))
            assert tuple(layer.cell.bias.shape) == shape
            assert layer.can_fuse() is reset_after


class TestGRUResetBefore(RecurrentSuite):
    ours, ours_cell = GRU, GRUCell
    keras_layer, keras_cell = keras.layers.GRU, keras.layers.GRUCell
    extra = {"reset_after": False}
    fusable = False

    # The training modes run the step path that TestGRU's unfused cases and
    # this class's Keras comparisons already cover; kept for `-m slow`.
    @pytest.mark.slow
    def test_stacked_layers_fit(self):
        super().test_stacked_layers_fit()

    @pytest.mark.slow
    def test_mixed_bfloat16(self):
        super().test_mixed_bfloat16()
