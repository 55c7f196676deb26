import keras
import numpy as np

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
