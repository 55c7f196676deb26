"""The tagger's builder and its keras-tuner HyperModel."""

import keras
import numpy as np

from keras_seq.applications.hypermodel import TaskHyperModel
from keras_seq.applications.tag.config import TaggerConfig
from keras_seq.applications.tag.preprocessor import CASES
from keras_seq.applications.task import AppModel
from keras_seq.layers import CRF, CharacterEncoder, PaddingMask, TokenDropout, make_recurrent
from keras_seq.training import CRFAccuracy, CRFLoss, EntityF1


def build_tagger(config, words, chars, word_vectors=None, seen_words=None, rare_from=None):
    """Word, character and case ids in; packed CRF scores (or per-token
    tag probabilities, `head="softmax"`) out.

    Each word is its trainable embedding (rare words replaced by the
    unknown word now and then in training), beside its pretrained vector
    (frozen, optional), its characters' vector (`CharacterEncoder`) and
    its case (one-hot); then dropout, our bidirectional recurrent layers
    (stacked), dropout, the tag scores (`Dense`), and our `CRF` over them
    with the scheme's allowed transitions. The padding mask goes to every
    layer that reads the sentence.

    Args:
        config: a `TaggerConfig` (its `tags` and `scheme` set).
        words, chars: the vocabularies (`[PAD]`, `[UNK]` first).
        word_vectors: None, or a float32 array `(len(words), D)` of
            pretrained vectors aligned with `words` (zeros where none).
        seen_words: the words before this index were seen in training;
            the others are there for their pretrained vector, and their
            trainable embedding starts (and, never trained, stays) at 0.
        rare_from: the words from this index on were seen once in training
            (the vocabulary is most frequent first): with
            `config.word_dropout_words="once"`, only they are replaced by
            the unknown word in training. None: every word may be.

    Returns:
        A compiled `AppModel`; its metadata holds the config and the
        vocabularies.
    """
    config.validate()
    keras.utils.set_random_seed(config.seed)
    word_ids = keras.Input((None,), dtype="int32", name="word_ids")
    char_ids = keras.Input((None, None), dtype="int32", name="char_ids")
    case_ids = keras.Input((None,), dtype="int32", name="case_ids")
    mask = PaddingMask(name="token_mask")(word_ids)  # (B, T)
    embedding = keras.layers.Embedding(len(words), config.embedding_dim, name="word_embedding")
    dropped = word_ids
    if config.word_dropout:
        once = config.word_dropout_words == "once" and rare_from is not None
        first = max(2, int(rare_from)) if once else 2
        dropped = TokenDropout(config.word_dropout, first_id=first, seed=config.seed, name="word_dropout")(word_ids)
    features = [embedding(dropped)]  # (B, T, E)
    if seen_words is not None and seen_words < len(words):
        rows = embedding.get_weights()[0]
        rows[seen_words:] = 0.0
        embedding.set_weights([rows])
    if word_vectors is not None:
        table = keras.layers.Embedding(len(words), word_vectors.shape[1], trainable=False, name="word_vectors")
        features.append(table(word_ids))  # (B, T, D)
        table.set_weights([np.asarray(word_vectors, "float32")])
    if config.char_encoder != "none":
        encoder = CharacterEncoder(len(chars), config.char_dim, config.char_dim, kind=config.char_encoder, name="chars")
        features.append(encoder(char_ids))  # (B, T, F)
    if config.case_features:
        cases = keras.layers.Embedding(len(CASES), len(CASES), trainable=False, name="case")
        features.append(cases(case_ids))  # (B, T, 7): one-hot
        cases.set_weights([np.eye(len(CASES), dtype="float32")])
    x = features[0] if len(features) == 1 else keras.layers.Concatenate(name="word_features")(features)
    x = keras.layers.Dropout(config.dropout, seed=config.seed, name="feature_dropout")(x)
    for i in range(config.layers):
        layer = make_recurrent(config.cell, config.units, return_sequences=True, seed=config.seed + i)
        x = keras.layers.Bidirectional(layer, name=f"rnn_{i}")(x, mask=mask)  # (B, T, 2H)
    x = keras.layers.Dropout(config.dropout, seed=config.seed + 1, name="output_dropout")(x)
    # the validation entity F1, logged in the graph, is what early stopping reads
    entity_f1 = [EntityF1(config.tags)] if config.scheme else []
    if config.head == "crf":
        scores = keras.layers.Dense(config.num_tags, name="tag_scores")(x)  # (B, T, K)
        crf = CRF(config.num_tags, tags=config.tags, scheme=config.scheme, name="crf")
        outputs = crf(scores, mask=mask)  # (B, T, K+1, K)
        loss, metrics, weighted = CRFLoss(), entity_f1 or [CRFAccuracy()], None  # one Viterbi pass per batch
    else:
        outputs = keras.layers.Dense(config.num_tags, activation="softmax", name="tag_probabilities")(x)  # (B, T, K)
        loss, metrics, weighted = "sparse_categorical_crossentropy", None, ["accuracy"] + entity_f1
    model = AppModel([word_ids, char_ids, case_ids], outputs, name="tagger")
    model.set_metadata(TaggerConfig.app, config.to_dict(), {"words": list(words), "chars": list(chars)})
    model.compile(
        optimizer=keras.optimizers.Adam(config.learning_rate, global_clipnorm=config.clipnorm or None),
        loss=loss,
        metrics=metrics,
        weighted_metrics=weighted,
    )
    return model


def search_space(hp):
    """Cell, units, layers, character encoder, dropout and learning rate."""
    return {
        "cell": hp.Choice("cell", ["lstm", "gru"]),
        "units": hp.Choice("units", [50, 100, 200]),
        "layers": hp.Int("layers", 1, 2),
        "char_encoder": hp.Choice("char_encoder", ["cnn", "lstm"]),
        "dropout": hp.Float("dropout", 0.2, 0.6, step=0.1),
        "learning_rate": hp.Float("learning_rate", 5e-4, 5e-3, sampling="log"),
    }


class TaggerHyperModel(TaskHyperModel):
    """Searches `search_space` around a base config, through `build_tagger`.

    Args:
        base_config: a `TaggerConfig`.
        **assets: `words`, `chars` (and `word_vectors`), as for the builder.

    Examples:
        >>> tuner = keras_tuner.RandomSearch(TaggerHyperModel(config, words=words, chars=chars),
        ...                                  objective="val_loss", max_trials=6)
    """

    build_fn = staticmethod(build_tagger)
    search_space = staticmethod(search_space)
