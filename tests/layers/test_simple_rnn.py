import keras

from keras_seq.layers import SimpleRNN, SimpleRNNCell
from tests.layers.recurrent_suite import RecurrentSuite


class TestSimpleRNN(RecurrentSuite):
    ours, ours_cell = SimpleRNN, SimpleRNNCell
    keras_layer, keras_cell = keras.layers.SimpleRNN, keras.layers.SimpleRNNCell

    def test_relu_activation_takes_the_step_loop(self):
        layer = SimpleRNN(4, activation="relu")
        assert not layer.can_fuse()
        assert layer.get_config()["activation"] == "relu"
