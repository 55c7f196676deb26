"""The sentiment classifier's settings and data options, with defaults
(and, from them, its flags)."""

import dataclasses
import os
import typing

from keras_seq.applications.config import AppConfig, NTMCellFields, field
from keras_seq.errors import UserInputError

CELLS = ("lstm", "gru", "ntm")
POOLINGS = ("attention", "last", "mean", "max")
INFERENCE_BATCH_SIZE = 256  # texts per batch when classifying, explaining and validating


@dataclasses.dataclass
class SentimentConfig(NTMCellFields, AppConfig):
    """Everything `build_sentiment_classifier` and training need.

    Attributes:
        labels: the class names, in id order (set from the data).
        max_tokens: vocabulary size of the text vectorization.
        min_count: words seen fewer times in the training texts get no
            trainable embedding row (they become out-of-vocabulary there;
            an embedding trained on one sentence mostly memorizes it) but
            keep their word vector and lexicon polarity. Default 2.
        sequence_length: tokens kept per text (longer texts are truncated).
        embedding_dim: size of the trainable word embedding.
        cell: `"gru"` (the default; see docs/benchmarks.md), `"lstm"` or `"ntm"`
            (a Neural Turing Machine whose controller has `units`).
        memory_size, memory_width: the NTM's memory (`cell="ntm"`), from
            `NTMCellFields`.
        units: units of each recurrent layer (per direction).
        layers: number of stacked recurrent layers.
        bidirectional: wrap each recurrent layer in `Bidirectional`.
        pooling: `"attention"` (our `AttentionPooling`), `"last"` (final
            state), `"mean"` or `"max"` over the real tokens.
        attention_units: size of the attention pooling's projections.
        lexicon: `"vader"` (default: the English word-polarity lexicon of
            the `vaderSentiment` package), the path of a `word<TAB>score`
            file, or `None`: each token's polarity is a frozen extra
            feature beside its embedding.
        word_vectors: `"wordllama"` (default: the pretrained 256-dimension
            token vectors that ship with the `wordllama` package), the path
            of a GloVe-style `word v1 ... vD` text file, or `None`: each
            token's pretrained vector is a frozen feature beside its
            embedding.
        dropout: dropout on the embeddings (trainable and pretrained) and
            before the output.
        learning_rate: Adam's learning rate.
        weight_averaging: keep an exponential moving average of the weights
            (momentum 0.99) and use it at the end of training.
        clipnorm: gradient clipping by global norm (0 disables).
        epochs, batch_size, seed: as in Keras.
        patience: early stopping on validation accuracy (the best epoch's
            weights are kept); 0 disables.
        validation_split: the part of the training data held out (seeded).
    """

    app = "sentiment"  # the `keras-seq` command, also stamped into saved models
    default_epochs = 10
    noun = "sentiment classifier"

    labels: list = field(["negative", "positive"], "the class names, set from the data", flag=False)
    max_tokens: int = field(20000, "vocabulary size of the text vectorization")
    min_count: int = field(2, "words seen fewer times in training get no trainable embedding")
    sequence_length: int = field(60, "tokens read per text")
    embedding_dim: int = field(128, "size of the trainable word embedding")
    cell: str = field("gru", "recurrent cell", choices=CELLS)
    units: int = field(64, "units of each recurrent layer, per direction")
    layers: int = field(1, "stacked recurrent layers")
    bidirectional: bool = field(True, "wrap each recurrent layer in Bidirectional")
    pooling: str = field("attention", "how the token states become one vector", choices=POOLINGS)
    attention_units: int = field(64, "size of the attention pooling's projections")
    lexicon: typing.Optional[str] = field(
        "vader",
        "word polarities as a frozen extra feature: 'vader' (from the vaderSentiment package), a word<TAB>score file, "
        "or 'none'",
    )
    word_vectors: typing.Optional[str] = field(
        "wordllama",
        "pretrained word vectors as frozen extra features: 'wordllama' (from the wordllama package), a GloVe-style "
        "'word v1 ... vD' text file, or 'none'",
    )
    dropout: float = field(0.5, "dropout on the embeddings and before the output", bound="rate")
    learning_rate: float = field(1e-3, "Adam's learning rate", bound="positive")
    weight_averaging: bool = field(False, "keep a moving average of the weights (momentum 0.99) and end with it")
    clipnorm: float = field(1.0, "clip gradients by this global norm; 0 disables")
    batch_size: int = field(32, "texts per training batch")
    epochs: typing.Optional[int] = field(
        None, "passes over the training texts; none: {default_epochs}, or until --time-budget runs out"
    )
    patience: int = field(
        3,
        "early stopping on validation accuracy after this many epochs without a gain; 0 disables",
        bound="non_negative",
    )
    validation_split: float = field(0.2, "the part of --data held out for validation (seeded)", bound="fraction")
    seed: int = field(0, "seed of the split, the weights, the shuffling and the dropout", bound=None)

    @property
    def num_classes(self):
        return len(self.labels)

    def validate(self):
        self.check_fields()
        if self.lexicon not in (None, "vader") and not os.path.isfile(str(self.lexicon)):
            raise UserInputError(
                f"lexicon must be 'vader', None or an existing word<TAB>score file; got {self.lexicon!r}"
            )
        if self.word_vectors not in (None, "wordllama") and not os.path.isfile(str(self.word_vectors)):
            raise UserInputError(
                "word_vectors must be 'wordllama', None or an existing 'word v1 ... vD' file; got "
                f"{self.word_vectors!r}"
            )
        if len(self.labels) < 2 or len(set(self.labels)) != len(self.labels):
            raise UserInputError(f"labels must be at least two distinct names; got {self.labels!r}")
        return self


@dataclasses.dataclass
class SentimentDataOptions(AppConfig):
    """How to read a CSV/TSV source (flags of every action that reads `--data`)."""

    text_column: typing.Optional[str] = field(
        None, "name or 0-based position (default: text/sentence/review..., else the first)"
    )
    label_column: typing.Optional[str] = field(
        None, "name or 0-based position (default: label/sentiment/class..., else the last)"
    )
    labels: typing.Optional[str] = field(None, "comma-separated label set; other labels are an error")
