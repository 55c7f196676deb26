"""The char LM's settings, with defaults."""

import dataclasses

from keras_seq.applications._common import ConfigMixin
from keras_seq.errors import UserInputError

CELLS = ("lstm", "gru", "simple_rnn")


@dataclasses.dataclass
class CharLMConfig(ConfigMixin):
    """Everything `build_char_lm` and training need; saved with the model.

    Attributes:
        vocab_size: number of character ids (the unknown id included); set
            from the training text's vocabulary.
        cell: `"lstm"`, `"gru"` or `"simple_rnn"`.
        units: units of each recurrent layer.
        layers: number of stacked recurrent layers.
        embedding_dim: size of the character embedding.
        dropout: input dropout of each recurrent layer and before the output
            layer (0 disables).
        sequence_length: characters per training window.
        batch_size: windows per batch (streams per batch with `tbptt`).
        learning_rate: Adam's learning rate.
        clipnorm: gradient clipping by global norm (0 disables).
        tbptt: stateful truncated backpropagation through time instead of
            independent windows.
        seed: seed of the initial weights, the shuffling and the dropout.
    """

    vocab_size: int = 0
    cell: str = "lstm"
    units: int = 256
    layers: int = 1
    embedding_dim: int = 64
    dropout: float = 0.0
    sequence_length: int = 100
    batch_size: int = 64
    learning_rate: float = 2e-3
    clipnorm: float = 1.0
    tbptt: bool = False
    seed: int = 0

    def validate(self):
        """Raise `UserInputError` naming the first bad field."""
        if self.cell not in CELLS:
            raise UserInputError(f"cell must be one of {', '.join(CELLS)}; got {self.cell!r}")
        self.check_positive_ints("units", "layers", "embedding_dim", "sequence_length", "batch_size")
        if not 0 <= self.dropout < 1:
            raise UserInputError(f"dropout must be in [0, 1); got {self.dropout!r}")
        if not self.learning_rate > 0:
            raise UserInputError(f"learning_rate must be > 0; got {self.learning_rate!r}")
        if self.clipnorm < 0:
            raise UserInputError(f"clipnorm must be >= 0; got {self.clipnorm!r}")
        return self
