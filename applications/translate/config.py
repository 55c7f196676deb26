"""The translator's settings, with defaults."""

import dataclasses

from keras_seq.applications._common import ConfigMixin
from keras_seq.errors import UserInputError


@dataclasses.dataclass
class TranslatorConfig(ConfigMixin):
    """Everything `build_translator`, training and decoding need.

    Attributes:
        src_vocab_size, tgt_vocab_size: set from the data's vocabularies.
        max_vocab: at most this many words per language.
        max_length: tokens per sentence (longer sentences are truncated,
            with a warning).
        cell: `"gru"` or `"lstm"`.
        embedding_dim: word embedding size (both languages).
        encoder_units: units per direction of each bidirectional encoder layer.
        encoder_layers: stacked encoder layers.
        decoder_units: units of the decoder cell.
        attention: `"bahdanau"` (additive, the default: with `use_bias`
            it reached 32.1 and 33.0 BLEU with beam search after 30 minutes on
            Multi30k, where Luong's runs ended at 28.9-29.9; see
            BENCHMARKS.md) or `"luong"` (general score).
        input_feeding: feed the previous attentional output to the decoder
            (off by default: it learned more slowly per second of training
            on Multi30k, see BENCHMARKS.md).
        use_bias: add a bias in the attentional output layer
            (`tanh(W [h; context] + b)`; on by default).
        tie_embeddings: score target words with the target embedding's
            table instead of a separate output layer (weight tying; the
            attentional output then has `embedding_dim` units).
        dropout: on the decoder output (before the vocabulary projection).
        embedding_dropout: on the source and target embeddings (0 by
            default: 0.2 cost 3.4 BLEU after 30 minutes on Multi30k, see
            BENCHMARKS.md).
        label_smoothing: of the cross-entropy (0 disables).
        scheduled_sampling: 0 disables; otherwise the largest probability
            of feeding the model's own tokens, reached over training.
        ema_momentum: 0 disables; otherwise training keeps an exponential
            moving average of the weights with this momentum, and the model
            takes the averaged weights when `fit` ends.
        learning_rate, clipnorm, batch_size, seed: as usual.
        beam_width, length_penalty: defaults of `translate` and the export.
    """

    src_vocab_size: int = 0
    tgt_vocab_size: int = 0
    max_vocab: int = 8000
    max_length: int = 40
    cell: str = "gru"
    embedding_dim: int = 256
    encoder_units: int = 256
    encoder_layers: int = 1
    decoder_units: int = 512
    attention: str = "bahdanau"
    input_feeding: bool = False
    use_bias: bool = True
    tie_embeddings: bool = False
    dropout: float = 0.2
    embedding_dropout: float = 0.0
    label_smoothing: float = 0.0
    scheduled_sampling: float = 0.0
    learning_rate: float = 1e-3
    clipnorm: float = 1.0
    ema_momentum: float = 0.0
    batch_size: int = 64
    seed: int = 0
    beam_width: int = 5
    length_penalty: float = 0.6

    def validate(self):
        if self.cell not in ("gru", "lstm"):
            raise UserInputError(f"cell must be gru or lstm; got {self.cell!r}")
        if self.attention not in ("bahdanau", "luong"):
            raise UserInputError(f"attention must be bahdanau or luong; got {self.attention!r}")
        self.check_positive_ints("max_vocab", "max_length", "embedding_dim", "encoder_units", "encoder_layers", "decoder_units", "batch_size", "beam_width")
        for name in ("dropout", "embedding_dropout", "label_smoothing", "scheduled_sampling", "ema_momentum"):
            if not 0 <= getattr(self, name) < 1:
                raise UserInputError(f"{name} must be in [0, 1); got {getattr(self, name)!r}")
        if self.length_penalty < 0:
            raise UserInputError(f"length_penalty must be >= 0; got {self.length_penalty!r}")
        return self
