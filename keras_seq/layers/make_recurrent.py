"""`make_recurrent`: one of our recurrent layers by the name of its cell."""

from keras_seq.layers.gru import GRU
from keras_seq.layers.lstm import LSTM
from keras_seq.layers.ntm import NTM
from keras_seq.layers.simple_rnn import SimpleRNN

LAYERS = {"lstm": LSTM, "gru": GRU, "simple_rnn": SimpleRNN, "ntm": NTM}


def make_recurrent(cell, units, memory_size=32, memory_width=16, dropout=0.0, seed=None, **kwargs):
    """The recurrent layer of `cell` (`"lstm"`, `"gru"`, `"simple_rnn"` or
    `"ntm"`), so that an application's `--cell` can name any of them.

    Args:
        cell: the cell's name.
        units: the layer's units (the NTM's controller size).
        memory_size, memory_width: the NTM's memory (ignored by the others).
        dropout: input dropout; the NTM has none and refuses a rate > 0.
        seed: seed of the dropout (the NTM has no randomness of its own).
        **kwargs: for the layer (`return_sequences`, `stateful`, `name`).

    Returns:
        An `LSTM`, `GRU`, `SimpleRNN` or `NTM` layer.

    Examples:
        >>> make_recurrent("ntm", 64, memory_size=32, memory_width=16, return_sequences=True)
    """
    if cell not in LAYERS:
        raise ValueError(f"Unknown cell {cell!r}; choose one of {', '.join(LAYERS)}.")
    if cell == "ntm":
        if dropout:
            raise ValueError(f"The NTM has no input dropout; received dropout={dropout}.")
        return NTM(units, memory_size, memory_width, **kwargs)
    return LAYERS[cell](units, dropout=dropout, seed=seed, **kwargs)
