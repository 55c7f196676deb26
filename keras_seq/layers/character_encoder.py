"""A word's characters as one vector: a character CNN or BiLSTM per word."""

import keras
from keras import ops

from keras_seq.layers.lstm import LSTM


@keras.saving.register_keras_serializable(package="keras_seq")
class CharacterEncoder(keras.layers.Layer):
    """Character features of each word, for taggers: the characters of a
    word are embedded, then read by a convolution with a max over the
    word's characters (`"cnn"`, Ma & Hovy 2016) or by a bidirectional LSTM
    whose two final states are joined (`"lstm"`, Lample et al. 2016).
    Character id 0 is padding; a word without characters (padding) gets
    zeros.

    Args:
        num_chars: int > 0, the character vocabulary's size (0 = padding).
        char_dim: int > 0, the size of a character's embedding.
        units: int > 0, the size of a word's vector (for `"lstm"`, even:
            half per direction).
        kind: `"cnn"` or `"lstm"`.
        kernel_size: the convolution's width, in characters.
        **kwargs: as for `keras.layers.Layer`.

    Call arguments:
        char_ids: int `(B, T, C)`, the characters of each word.

    Returns:
        `(B, T, units)`.

    Examples:
        >>> CharacterEncoder(60, 16, 32)(np.ones((2, 5, 7), "int32")).shape
        (2, 5, 32)
    """

    def __init__(self, num_chars, char_dim=32, units=32, kind="cnn", kernel_size=3, **kwargs):
        super().__init__(**kwargs)
        if kind not in ("cnn", "lstm"):
            raise ValueError(f"`kind` must be 'cnn' or 'lstm'; received kind={kind!r}.")
        if kind == "lstm" and units % 2:
            raise ValueError(f"a character LSTM's `units` is split over two directions; received odd units={units}.")
        self.num_chars, self.char_dim, self.units = num_chars, char_dim, units
        self.kind, self.kernel_size = kind, kernel_size
        self.embedding = keras.layers.Embedding(num_chars, char_dim, name="char_embedding")
        if kind == "cnn":
            self.reader = keras.layers.Conv1D(units, kernel_size, padding="same", activation="tanh", name="char_cnn")
        else:
            self.reader = keras.layers.Bidirectional(LSTM(units // 2), name="char_lstm")

    def build(self, char_ids_shape):
        self.embedding.build((None, char_ids_shape[-1]))
        self.reader.build((None, char_ids_shape[-1], self.char_dim))

    def call(self, char_ids):
        shape = ops.shape(char_ids)
        flat = ops.reshape(char_ids, (-1, shape[-1]))  # (B*T, C)
        mask = ops.not_equal(flat, 0)  # (B*T, C)
        x = self.embedding(flat)  # (B*T, C, D)
        if self.kind == "cnn":
            x = self.reader(x)  # (B*T, C, U)
            x = ops.max(ops.where(mask[:, :, None], x, -2.0), axis=1)  # tanh > -2: a real character always wins
        else:
            x = self.reader(x, mask=mask)  # (B*T, U): the final states of both directions
        x = ops.where(ops.any(mask, axis=1)[:, None], x, ops.zeros_like(x))  # no characters: zeros
        return ops.reshape(x, (shape[0], shape[1], self.units))  # (B, T, U)

    def compute_output_shape(self, char_ids_shape):
        return tuple(char_ids_shape[:2]) + (self.units,)

    def get_config(self):
        return {
            **super().get_config(),
            "num_chars": self.num_chars,
            "char_dim": self.char_dim,
            "units": self.units,
            "kind": self.kind,
            "kernel_size": self.kernel_size,
        }
