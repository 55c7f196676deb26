"""keras_seq layers: recurrent cells and layers."""

from keras_seq.layers.gru import GRU
from keras_seq.layers.gru_cell import GRUCell
from keras_seq.layers.lstm import LSTM
from keras_seq.layers.lstm_cell import LSTMCell
from keras_seq.layers.simple_rnn import SimpleRNN
from keras_seq.layers.simple_rnn_cell import SimpleRNNCell

__all__ = ["GRU", "GRUCell", "LSTM", "LSTMCell", "SimpleRNN", "SimpleRNNCell"]
