"""The char LM's builder and its keras-tuner HyperModel."""

import keras

from keras_seq.applications.char_lm.config import CharLMConfig
from keras_seq.applications.char_lm.tokens import TextTokens
from keras_seq.applications.hypermodel import TaskHyperModel
from keras_seq.applications.task import AppModel
from keras_seq.errors import UserInputError
from keras_seq.layers import make_recurrent
from keras_seq.training import BitsPerChar, Perplexity


def build_char_lm(config, vocabulary=None):
    """`Embedding -> recurrent layers -> Dense` over characters, words or
    subwords (`config.tokens`), compiled.

    Inputs are token ids `(B, T)`; outputs are next-token logits
    `(B, T, V)`. The loss is the cross-entropy in nats per token;
    `bits_per_char` (bits per token, which are characters by default) and
    `perplexity` are reported as metrics. Gradients are
    clipped by global norm (`config.clipnorm`). With `config.tbptt` the
    recurrent layers are stateful with a fixed batch size.

    Args:
        config: a `CharLMConfig`.
        vocabulary: the `TextTokens` of the training text (or its
            `CharVocabulary`); it sets `vocab_size` and travels inside the
            model (without it, `config.vocab_size` is used and the model
            cannot generate text).

    Returns:
        A compiled `AppModel`; its metadata holds the config and the
        vocabulary's characters.
    """
    if vocabulary is not None:
        tokens = vocabulary if isinstance(vocabulary, TextTokens) else TextTokens(config.tokens, vocabulary)
        config = config.replace(vocab_size=vocabulary.size)
    config.validate()
    if config.vocab_size < 2:
        raise UserInputError(f"vocab_size must be at least 2; got {config.vocab_size}")
    keras.utils.set_random_seed(config.seed)
    batch = config.batch_size if config.tbptt else None
    inputs = keras.Input((None,), batch_size=batch, dtype="int32", name="chars")
    x = keras.layers.Embedding(config.vocab_size, config.embedding_dim, name="embedding")(inputs)  # (B, T, E)
    for i in range(config.layers):
        x = make_recurrent(
            config.cell,
            config.units,
            **config.memory(),
            return_sequences=True,
            dropout=config.dropout,
            stateful=config.tbptt,
            seed=config.seed + i,
            name=f"rnn_{i}",
        )(x)  # (B, T, U)
    if config.dropout:
        x = keras.layers.Dropout(config.dropout, seed=config.seed, name="output_dropout")(x)
    logits = keras.layers.Dense(config.vocab_size, name="logits")(x)  # (B, T, V)
    model = AppModel(inputs, logits, name="char_lm")
    model.set_metadata(
        CharLMConfig.app, config.to_dict(), tokens.assets() if vocabulary is not None else {"chars": None}
    )
    model.compile(
        optimizer=keras.optimizers.Adam(config.learning_rate, global_clipnorm=config.clipnorm or None),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[BitsPerChar(), Perplexity()],
    )
    return model


def search_space(hp):
    """Cell, units, layers, embedding size, dropout and learning rate."""
    return {
        "cell": hp.Choice("cell", ["lstm", "gru"]),
        "units": hp.Choice("units", [128, 256, 384]),
        "embedding_dim": hp.Choice("embedding_dim", [32, 64, 128]),
        "layers": hp.Int("layers", 1, 2),
        "dropout": hp.Float("dropout", 0.0, 0.3, step=0.1),
        "learning_rate": hp.Float("learning_rate", 5e-4, 5e-3, sampling="log"),
    }


class CharLMHyperModel(TaskHyperModel):
    """Searches `search_space` around a base config, through `build_char_lm`.

    Args:
        base_config: a `CharLMConfig`.
        vocabulary: the training text's `CharVocabulary` (optional).

    Examples:
        >>> tuner = keras_tuner.RandomSearch(CharLMHyperModel(config, vocabulary=vocab),
        ...                                  objective="val_loss", max_trials=8)
    """

    build_fn = staticmethod(build_char_lm)
    search_space = staticmethod(search_space)


__all__ = ["CharLMConfig", "CharLMHyperModel", "build_char_lm", "search_space"]
