"""The sentiment classifier's settings, with defaults."""

import dataclasses
import os

from keras_seq.applications._common import ConfigMixin
from keras_seq.errors import UserInputError

CELLS = ("lstm", "gru")
POOLINGS = ("attention", "last", "mean", "max")


@dataclasses.dataclass
class SentimentConfig(ConfigMixin):
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
        cell: `"gru"` (default: 83% median test accuracy against 80% for
            `"lstm"` on the benchmark's 2,400 training sentences) or `"lstm"`.
        units: units of each recurrent layer (per direction).
        layers: number of stacked recurrent layers.
        bidirectional: wrap each recurrent layer in `Bidirectional`.
        pooling: `"attention"` (our `AttentionPooling`), `"last"` (final
            state), `"mean"` or `"max"` over the real tokens.
        attention_units: size of the attention pooling's projections.
        lexicon: `"vader"` (default: the English word-polarity lexicon of
            the `vaderSentiment` package), the path of a `word<TAB>score`
            file, or `None`: each token's polarity is a frozen extra
            feature beside its embedding (84.2% median test accuracy
            against 83.0% without, on the benchmark).
        word_vectors: `"wordllama"` (default: the pretrained 256-dimension
            token vectors that ship with the `wordllama` package), the path
            of a GloVe-style `word v1 ... vD` text file, or `None`: each
            token's pretrained vector is a frozen feature beside its
            embedding (85.6% against 83.6% mean test accuracy over 12
            seeds of the benchmark, with `min_count=1`; `BENCHMARKS.md`).
        dropout: dropout on the embeddings (trainable and pretrained) and
            before the output.
        learning_rate: Adam's learning rate.
        weight_averaging: keep an exponential moving average of the weights
            (momentum 0.99) and use it at the end of training.
        clipnorm: gradient clipping by global norm (0 disables).
        batch_size, seed: as in Keras.
    """

    labels: list = dataclasses.field(default_factory=lambda: ["negative", "positive"])
    max_tokens: int = 20000
    min_count: int = 2
    sequence_length: int = 60
    embedding_dim: int = 128
    cell: str = "gru"
    units: int = 64
    layers: int = 1
    bidirectional: bool = True
    pooling: str = "attention"
    attention_units: int = 64
    lexicon: str = "vader"
    word_vectors: str = "wordllama"
    dropout: float = 0.5
    learning_rate: float = 1e-3
    weight_averaging: bool = False
    clipnorm: float = 1.0
    batch_size: int = 32
    seed: int = 0

    @property
    def num_classes(self):
        return len(self.labels)

    def validate(self):
        if self.cell not in CELLS:
            raise UserInputError(f"cell must be one of {', '.join(CELLS)}; got {self.cell!r}")
        if self.pooling not in POOLINGS:
            raise UserInputError(f"pooling must be one of {', '.join(POOLINGS)}; got {self.pooling!r}")
        if self.lexicon not in (None, "vader") and not os.path.isfile(str(self.lexicon)):
            raise UserInputError(f"lexicon must be 'vader', None or an existing word<TAB>score file; got {self.lexicon!r}")
        if self.word_vectors not in (None, "wordllama") and not os.path.isfile(str(self.word_vectors)):
            raise UserInputError(f"word_vectors must be 'wordllama', None or an existing 'word v1 ... vD' file; got {self.word_vectors!r}")
        if len(self.labels) < 2 or len(set(self.labels)) != len(self.labels):
            raise UserInputError(f"labels must be at least two distinct names; got {self.labels!r}")
        self.check_positive_ints("max_tokens", "min_count", "sequence_length", "embedding_dim", "units", "layers", "attention_units", "batch_size")
        if not 0 <= self.dropout < 1:
            raise UserInputError(f"dropout must be in [0, 1); got {self.dropout!r}")
        if not self.learning_rate > 0:
            raise UserInputError(f"learning_rate must be > 0; got {self.learning_rate!r}")
        return self
