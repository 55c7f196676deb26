"""The sentiment classifier's builder and its keras-tuner HyperModel."""

import keras
import numpy as np
from keras import ops

from keras_seq.applications.hypermodel import TaskHyperModel
from keras_seq.applications.sentiment.config import SentimentConfig
from keras_seq.applications.sentiment.lexicon import load_lexicon, standardize_word
from keras_seq.applications.task import AppModel
from keras_seq.data.word_vectors import load_word_vectors
from keras_seq.errors import UserInputError
from keras_seq.layers import AttentionPooling, MaskedGlobalMaxPooling, PaddingMask, make_recurrent


def build_sentiment_classifier(config, vocabulary):
    """Raw strings in, class probabilities out.

    `TextVectorization` (lowercase, punctuation stripped, the given
    vocabulary, `sequence_length` tokens) -> `Embedding` ->
    dropout -> our recurrent layers (bidirectional by default) -> pooling
    (attention, last, mean or max over real tokens) -> dropout -> `Dense`
    (sigmoid for two classes, softmax otherwise).

    With `config.lexicon`, each token also carries its lexicon polarity (0
    for words not in it) as one more, frozen, feature beside its embedding:
    words that training never saw still tell the model which way they lean.
    With `config.word_vectors`, each token also carries its pretrained word
    vector (frozen, after dropout): its own lookup covers the training
    vocabulary, the lexicon's words and, for `"wordllama"`, every whole word
    of its tokenizer, so similar words start out close and many words unseen
    in training are not blank.

    Args:
        config: a `SentimentConfig`.
        vocabulary: the training texts' words, most frequent first, without
            the padding and OOV entries: a dict from word to its count in
            the training texts (as `adapt_vocabulary` returns; words seen
            fewer than `config.min_count` times then get no trainable
            embedding row, but keep their word vector), or a list (every
            word gets a row).

    Returns:
        A compiled `AppModel` taking a batch of strings `(B,)`; its
        metadata holds the config (labels included).
    """
    config.validate()
    training_words = list(vocabulary)
    counts = vocabulary if isinstance(vocabulary, dict) else dict.fromkeys(training_words, config.min_count)
    frequent = [w for w in training_words if counts[w] >= config.min_count]
    if not frequent:
        raise UserInputError(f"no word is seen min_count={config.min_count} times in the training texts")
    keras.utils.set_random_seed(config.seed)
    polarity = load_lexicon(config.lexicon) if config.lexicon else None
    texts = keras.Input((), dtype="string", name="text")
    vectorize = keras.layers.TextVectorization(
        max_tokens=config.max_tokens,
        output_sequence_length=config.sequence_length,
        vocabulary=frequent,
        name="vectorize",
    )
    tokens = vectorize(texts)  # (B, T) int
    mask = PaddingMask(name="token_mask")(tokens)  # (B, T): every layer below gets it explicitly
    x = keras.layers.Embedding(len(vectorize.get_vocabulary()), config.embedding_dim, name="embedding")(tokens)
    x = keras.layers.Dropout(config.dropout, seed=config.seed, name="embedding_dropout")(x)  # (B, T, E)
    if polarity:
        # The lexicon has its own lookup, aligned token for token with the
        # main one, so that words training never saw keep their polarity.
        words = sorted(polarity)
        prior = _frozen_token_features(
            texts, words, np.array([[polarity[w]] for w in words], "float32"), config, "lexicon"
        )
        x = keras.layers.Concatenate(name="with_lexicon")([x, prior])  # (B, T, E + 1)
    if config.word_vectors:
        known, vectors = load_word_vectors(
            config.word_vectors, [w for w in training_words + sorted(polarity or []) if w], standardize_word
        )
        v = _frozen_token_features(texts, known, vectors, config, "word_vectors")  # (B, T, D)
        v = keras.layers.Dropout(config.dropout, seed=config.seed + 1, name="word_vectors_dropout")(v)
        x = keras.layers.Concatenate(name="with_word_vectors")([x, v])  # (B, T, E + 1 + D)
    pool_last = config.pooling == "last"
    for i in range(config.layers):
        last = i == config.layers - 1
        layer = make_recurrent(
            config.cell,
            config.units,
            **config.memory(),
            return_sequences=not (last and pool_last),
            seed=config.seed + i,
        )
        if config.bidirectional:
            layer = keras.layers.Bidirectional(layer, name=f"rnn_{i}")
        else:
            layer.name = f"rnn_{i}"
        x = layer(x, mask=mask)  # (B, T, H) or (B, H)
    if config.pooling == "attention":
        x = AttentionPooling(config.attention_units, name="pooling")(x, mask=mask)  # (B, H)
    elif config.pooling == "mean":
        x = keras.layers.GlobalAveragePooling1D(name="pooling")(x, mask=mask)
    elif config.pooling == "max":
        x = MaskedGlobalMaxPooling(name="pooling")(x, mask=mask)
    x = keras.layers.Dropout(config.dropout, seed=config.seed, name="output_dropout")(x)
    binary = config.num_classes == 2
    outputs = keras.layers.Dense(
        1 if binary else config.num_classes, activation="sigmoid" if binary else "softmax", name="probabilities"
    )(x)
    model = AppModel(texts, outputs, name="sentiment_classifier")
    model.set_metadata(SentimentConfig.app, config.to_dict())
    model.compile(
        optimizer=keras.optimizers.Adam(
            config.learning_rate,
            global_clipnorm=config.clipnorm or None,
            use_ema=config.weight_averaging,
            ema_momentum=0.99,
        ),
        loss="binary_crossentropy" if binary else "sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def _frozen_token_features(texts, words, rows, config, name):
    """Per-token features that training leaves alone: `rows[i]` (a `(W, D)`
    array) for `words[i]`, zeros for padding and other words, through a
    lookup of their own (`{name}_vectorize`) and a frozen `Embedding`
    (`name`). Returns `(B, T, D)`."""
    lookup = keras.layers.TextVectorization(
        output_sequence_length=config.sequence_length, vocabulary=list(words), name=f"{name}_vectorize"
    )
    table = np.zeros(
        (len(lookup.get_vocabulary()), rows.shape[1]), "float32"
    )  # (W + 2, D): padding and OOV rows stay 0
    table[2:] = rows
    embedding = keras.layers.Embedding(len(table), rows.shape[1], trainable=False, name=name)
    features = embedding(lookup(texts))  # (B, T, D)
    embedding.set_weights([table])
    return features


def class_probabilities(outputs):
    """`(B, C)` probabilities from the model's output (`(B, 1)` when binary)."""
    outputs = ops.convert_to_numpy(outputs)
    if outputs.shape[-1] == 1:
        return ops.convert_to_numpy(ops.concatenate([1.0 - outputs, outputs], axis=-1))
    return outputs


def search_space(hp):
    """Cell, units, layers, embedding size, pooling, dropout and learning rate."""
    return {
        "cell": hp.Choice("cell", ["lstm", "gru"]),
        "units": hp.Choice("units", [32, 64, 128]),
        "layers": hp.Int("layers", 1, 2),
        "embedding_dim": hp.Choice("embedding_dim", [64, 128, 256]),
        "pooling": hp.Choice("pooling", ["attention", "mean", "max", "last"]),
        "dropout": hp.Float("dropout", 0.2, 0.6, step=0.1),
        "learning_rate": hp.Float("learning_rate", 3e-4, 3e-3, sampling="log"),
    }


class SentimentHyperModel(TaskHyperModel):
    """Searches `search_space` around a base config, through
    `build_sentiment_classifier`.

    Args:
        base_config: a `SentimentConfig`.
        vocabulary: the training words (as for the builder).

    Examples:
        >>> tuner = keras_tuner.RandomSearch(SentimentHyperModel(config, vocabulary=words),
        ...                                  objective="val_accuracy", max_trials=6)
    """

    build_fn = staticmethod(build_sentiment_classifier)
    search_space = staticmethod(search_space)


__all__ = [
    "SentimentConfig",
    "SentimentHyperModel",
    "build_sentiment_classifier",
    "class_probabilities",
    "search_space",
]
