"""The char LM's builder and its keras-tuner HyperModel."""

import keras
import keras_tuner

from keras_seq.applications.char_lm.config import CharLMConfig
from keras_seq.errors import UserInputError
from keras_seq.layers import GRU, LSTM, SimpleRNN
from keras_seq.training import BitsPerChar, Perplexity

RECURRENT_LAYERS = {"lstm": LSTM, "gru": GRU, "simple_rnn": SimpleRNN}


def build_char_lm(config):
    """`Embedding -> recurrent layers -> Dense` over characters, compiled.

    Inputs are character ids `(B, T)`; outputs are next-character logits
    `(B, T, V)`. The loss is the cross-entropy in nats per character;
    `bits_per_char` and `perplexity` are reported as metrics. Gradients are
    clipped by global norm (`config.clipnorm`). With `config.tbptt` the
    recurrent layers are stateful with a fixed batch size.

    Args:
        config: a `CharLMConfig` whose `vocab_size` is set.

    Returns:
        A compiled `keras.Model`.
    """
    config.validate()
    if config.vocab_size < 2:
        raise UserInputError(f"vocab_size must be at least 2; got {config.vocab_size}")
    keras.utils.set_random_seed(config.seed)
    batch = config.batch_size if config.tbptt else None
    inputs = keras.Input((None,), batch_size=batch, dtype="int32", name="chars")
    x = keras.layers.Embedding(config.vocab_size, config.embedding_dim, name="embedding")(inputs)  # (B, T, E)
    for i in range(config.layers):
        x = RECURRENT_LAYERS[config.cell](
            config.units,
            return_sequences=True,
            dropout=config.dropout,
            stateful=config.tbptt,
            seed=config.seed + i,
            name=f"rnn_{i}",
        )(x)  # (B, T, U)
    if config.dropout:
        x = keras.layers.Dropout(config.dropout, seed=config.seed, name="output_dropout")(x)
    logits = keras.layers.Dense(config.vocab_size, name="logits")(x)  # (B, T, V)
    model = keras.Model(inputs, logits, name="char_lm")
    model.compile(
        optimizer=keras.optimizers.Adam(config.learning_rate, global_clipnorm=config.clipnorm or None),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[BitsPerChar(), Perplexity()],
    )
    return model


class CharLMHyperModel(keras_tuner.HyperModel):
    """Searches cell, units, layers, dropout and learning rate around a base
    config, through `build_char_lm`.

    Example:
    >>> tuner = keras_tuner.RandomSearch(CharLMHyperModel(config),
    ...                                  objective="val_loss", max_trials=8)
    """

    def __init__(self, base_config, **kwargs):
        super().__init__(**kwargs)
        self.base_config = base_config

    def build(self, hp):
        return build_char_lm(self.config_for(hp))

    def config_for(self, hp):
        return self.base_config.replace(
            cell=hp.Choice("cell", ["lstm", "gru"]),
            units=hp.Choice("units", [128, 256, 384]),
            layers=hp.Int("layers", 1, 2),
            dropout=hp.Float("dropout", 0.0, 0.3, step=0.1),
            learning_rate=hp.Float("learning_rate", 5e-4, 5e-3, sampling="log"),
        )


__all__ = ["CharLMConfig", "CharLMHyperModel", "build_char_lm"]
