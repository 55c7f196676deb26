import pytest

from keras_seq.layers import GRU, LSTM, NTM, SimpleRNN, make_recurrent


def test_each_cell_name_gives_its_layer():
    for name, cls in (("lstm", LSTM), ("gru", GRU), ("simple_rnn", SimpleRNN), ("ntm", NTM)):
        layer = make_recurrent(name, 4, memory_size=5, memory_width=3, return_sequences=True, name=f"rnn_{name}")
        assert type(layer) is cls and layer.return_sequences and layer.name == f"rnn_{name}"
    assert make_recurrent("ntm", 4, memory_size=5, memory_width=3).cell.memory_size == 5
    assert make_recurrent("gru", 4, dropout=0.2).dropout == 0.2


def test_bad_names_and_ntm_dropout():
    with pytest.raises(ValueError, match="Unknown cell 'rnn'"):
        make_recurrent("rnn", 4)
    with pytest.raises(ValueError, match="no input dropout"):
        make_recurrent("ntm", 4, dropout=0.1)
