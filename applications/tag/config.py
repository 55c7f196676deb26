"""The tagger's settings and data options, with defaults (and, from them,
its flags)."""

import dataclasses
import os
import typing

from keras_seq.applications.config import AppConfig, field
from keras_seq.errors import UserInputError

CELLS = ("lstm", "gru")
HEADS = ("crf", "softmax")
CHAR_ENCODERS = ("cnn", "lstm", "none")
WORD_DROPOUT_WORDS = ("all", "once")
INFERENCE_BATCH_SIZE = 256  # sentences per batch when tagging and evaluating


@dataclasses.dataclass
class TaggerConfig(AppConfig):
    """Everything `build_tagger` and training need.

    Attributes:
        tags: the tag names, in id order (set from the data).
        scheme: `"iob2"` or `"bioes"` for chunk tags (named entities),
            None for other tags (parts of speech); set from the data.
        max_words: size of the word vocabulary (most frequent first).
        min_count: words seen fewer times in training share the unknown
            word's embedding (their characters and word vector still count).
        max_length: tokens per sentence; longer sentences are split.
        max_word_length: characters read per word (the rest is cut).
        embedding_dim: size of the trainable word embedding.
        word_dropout: in training, a word becomes the unknown word with
            this probability, so that the unknown word's embedding learns
            what new words look like (only its trainable embedding: its
            characters, case and pretrained vector stay).
        word_dropout_words: which words it may replace: `"all"`, or
            `"once"`, those seen once in training (Lample et al., 2016).
        char_encoder: `"cnn"` (Ma & Hovy, 2016), `"lstm"` (Lample et al.,
            2016) or `"none"`: the word's characters as a vector.
        char_dim: size of the character embedding and of the character
            encoder's output.
        case_features: a word's shape (lower, upper, title, digits, mixed)
            as a one-hot feature.
        word_vectors: None, `"wordllama"` (the vectors that ship with the
            `wordllama` package) or the path of a GloVe-style
            `word v1 ... vD` file: pretrained vectors of the training
            vocabulary's words as frozen features.
        cell, units, layers: our bidirectional recurrent layers (units per
            direction).
        head: `"crf"` (our CRF over the tag scores, Viterbi decoding) or
            `"softmax"` (each token on its own).
        dropout: on the word features and before the tag scores.
        learning_rate, clipnorm, batch_size: the training run's.
        epochs, seed, validation_split: the training run's.
        patience: early stopping on the validation entity F1 (chunk tags)
            or loss (other tags), keeping the best epoch; 0 disables.
    """

    app = "tag"  # the `keras-seq` command, also stamped into saved models
    default_epochs = 30
    noun = "tagger"

    tags: list = field([], "the tag names, set from the data", flag=False)
    scheme: typing.Optional[str] = field(None, "the chunk scheme of the tags, set from the data", flag=False)
    max_words: int = field(30000, "size of the word vocabulary")
    min_count: int = field(1, "words seen fewer times in training share the unknown word's embedding")
    max_length: int = field(100, "tokens per sentence; longer ones are split")
    max_word_length: int = field(20, "characters read per word")
    embedding_dim: int = field(100, "size of the trainable word embedding")
    word_dropout: float = field(0.5, "in training, a word becomes the unknown word this often", bound="rate")
    word_dropout_words: str = field("once", "the words word dropout may replace", choices=WORD_DROPOUT_WORDS)
    char_encoder: str = field("cnn", "how a word's characters become a vector", choices=CHAR_ENCODERS)
    char_dim: int = field(32, "size of the character embedding and of its encoder's output")
    case_features: bool = field(True, "a word's shape (lower, upper, title, digits, mixed) as a feature")
    word_vectors: typing.Optional[str] = field(
        None, "pretrained vectors of the training words as frozen features: 'wordllama', a GloVe-style file, or 'none'"
    )
    cell: str = field("lstm", "recurrent cell", choices=CELLS)
    units: int = field(100, "units of each recurrent layer, per direction")
    layers: int = field(1, "stacked bidirectional recurrent layers")
    head: str = field("crf", "tag scores to tags: a CRF, or each token on its own", choices=HEADS)
    dropout: float = field(0.5, "dropout on the word features and before the tag scores", bound="rate")
    learning_rate: float = field(2e-3, "Adam's learning rate", bound="positive")
    clipnorm: float = field(5.0, "clip gradients by this global norm; 0 disables")
    batch_size: int = field(32, "sentences per training batch")
    epochs: typing.Optional[int] = field(
        None, "passes over the training sentences; none: {default_epochs}, or until --time-budget runs out"
    )
    patience: int = field(
        5, "early stopping after this many epochs without a better validation score; 0 disables", bound="non_negative"
    )
    validation_split: float = field(0.1, "the part of --data held out for validation (seeded)", bound="fraction")
    seed: int = field(0, "seed of the split, the weights, the shuffling and the dropout", bound=None)

    @property
    def num_tags(self):
        return len(self.tags)

    def validate(self):
        self.check_fields()
        if self.word_vectors not in (None, "wordllama") and not os.path.isfile(str(self.word_vectors)):
            raise UserInputError(
                f"word_vectors must be None, 'wordllama' or a 'word v1 ... vD' file; got {self.word_vectors!r}"
            )
        if len(set(self.tags)) != len(self.tags):
            raise UserInputError(f"tags must be distinct; got {self.tags!r}")
        if self.scheme not in (None, "iob2", "bioes"):
            raise UserInputError(f"scheme must be iob2, bioes or None; got {self.scheme!r}")
        return self


@dataclasses.dataclass
class TaggerDataOptions(AppConfig):
    """How to read a column file (flags of every action that reads `--data`)."""

    word_column: int = field(0, "a column file's word column (0 the first)", bound=None)
    tag_column: typing.Optional[str] = field(
        None, "a column file's tag column (a number, -1 the last: the default); upos or xpos for CoNLL-U"
    )
