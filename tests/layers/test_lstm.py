import keras
import numpy as np

from keras_seq.layers import LSTM, LSTMCell
from tests.layers.recurrent_suite import RecurrentSuite


class TestLSTM(RecurrentSuite):
    ours, ours_cell = LSTM, LSTMCell
    keras_layer, keras_cell = keras.layers.LSTM, keras.layers.LSTMCell

    def test_unit_forget_bias(self):
        layer = LSTM(3)
        layer(np.zeros((1, 2, 4), "float32"))
        bias = np.asarray(layer.cell.bias)
        np.testing.assert_array_equal(bias[3:6], 1.0)
        np.testing.assert_array_equal(np.delete(bias, range(3, 6)), 0.0)
        layer = LSTM(3, unit_forget_bias=False)
        layer(np.zeros((1, 2, 4), "float32"))
        np.testing.assert_array_equal(np.asarray(layer.cell.bias), 0.0)

    def test_attributes_read_like_keras(self):
        layer = LSTM(6, recurrent_activation="hard_sigmoid", dropout=0.25)
        assert layer.units == 6 and layer.dropout == 0.25
        assert layer.recurrent_activation is keras.activations.hard_sigmoid
        assert not layer.can_fuse()  # non-default gate activation takes the step loop
