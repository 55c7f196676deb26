"""The translator's settings and data options, with defaults (and, from
them, its flags)."""

import dataclasses
import typing

from keras_seq.applications.config import AppConfig, DecodeOptions, WordDecoderFields, field
from keras_seq.limits import MAX_DECODE_LENGTH


@dataclasses.dataclass
class TranslatorConfig(WordDecoderFields, AppConfig):
    """Everything `build_translator`, training and decoding need.

    Attributes:
        src_vocab_size, tgt_vocab_size: set from the data's vocabularies.
        max_vocab, max_length, cell, embedding_dim, decoder_units: the
            decoder's, as the next line's.
        attention, input_feeding, beam_width, length_penalty: the decoder's, see
            `WordDecoderFields` (the cell and the embedding size serve the
            encoder too).
        no_repeat_ngram: as in `WordDecoderFields`; the translator's
            default is 3 (no translation repeats a word trigram), chosen on
            English-German and English-Czech together (docs/benchmarks.md).
        vocabulary: `"subword"` (WordPiece pieces learned from the
            training pairs, `SubwordVocabulary`: rare words are spelled in
            pieces, so only characters never seen in training are `[UNK]`)
            or `"word"` (whole words, `WordVocabulary`: words past
            `max_vocab` are `[UNK]`). `max_vocab` bounds either, per
            language; the translator's default is 4,000 pieces, chosen on
            English-German and English-Czech together (docs/benchmarks.md).
        lowercase: lowercase the text before the vocabularies (the
            translations are then lowercase too); off by default, so
            translations keep their case.
        encoder_units: units per direction of each bidirectional encoder layer.
        encoder_layers: stacked encoder layers.
        use_bias: add a bias in the attentional output layer
            (`tanh(W [h; context] + b)`).
        tie_embeddings: score target words with the target embedding's
            table instead of a separate output layer (weight tying; the
            attentional output then has `embedding_dim` units).
        dropout: on the decoder output (before the vocabulary projection).
        embedding_dropout: on the source and target embeddings.
        label_smoothing: of the cross-entropy (0 disables).
        scheduled_sampling: 0 disables; otherwise the largest probability
            of feeding the model's own tokens, reached over training.
        ema_momentum: 0 disables; otherwise training keeps an exponential
            moving average of the weights with this momentum, and the model
            takes the averaged weights when `fit` ends.
        learning_rate, clipnorm, batch_size, epochs, seed, validation_split:
            the training run's, as every config has them (the pairs held
            out are drawn with the seed).
    """

    app = "translate"  # the `keras-seq` command, also stamped into saved models
    default_epochs = 10
    noun = "translator"

    src_vocab_size: int = field(0, "source ids, set from the data", flag=False)
    tgt_vocab_size: int = field(0, "target ids, set from the data", flag=False)
    max_vocab: int = field(
        4000, "tokens per language: subword pieces, or words with --vocabulary word (which wants more, e.g. 8000)"
    )
    vocabulary: str = field(
        "subword", "subword: WordPiece pieces learned from the data; word: whole words", choices=("subword", "word")
    )
    lowercase: bool = field(False, "lowercase the text first (translations are then lowercase)")
    encoder_units: int = field(256, "units per direction of each bidirectional encoder layer")
    encoder_layers: int = field(1, "stacked encoder layers")
    use_bias: bool = field(True, "a bias in the attentional output layer")
    tie_embeddings: bool = field(False, "score target words with the target embedding's table")
    dropout: float = field(0.2, "dropout on the decoder output", bound="rate")
    embedding_dropout: float = field(0.0, "dropout on both embeddings", bound="rate")
    label_smoothing: float = field(0.0, "label smoothing of the cross-entropy", bound="rate")
    scheduled_sampling: float = field(
        0.0, "largest probability of feeding the model's own tokens, reached linearly; 0 is off", bound="rate"
    )
    learning_rate: float = field(1e-3, "Adam's learning rate", bound="positive")
    clipnorm: float = field(1.0, "clip gradients by this global norm; 0 disables")
    ema_momentum: float = field(
        0.0,
        "keep a moving average of the weights with this momentum and end with it, e.g. 0.999; 0 is off",
        bound="rate",
    )
    batch_size: int = field(64, "sentence pairs per batch")
    epochs: typing.Optional[int] = field(
        None, "passes over the training pairs; none: {default_epochs}, or until --time-budget runs out"
    )
    validation_split: float = field(0.05, "the part of --data held out for validation (seeded)", bound="fraction")
    seed: int = field(0, "seed of the split, the weights and the shuffling", bound=None)
    no_repeat_ngram: int = field(
        3,
        "decoding never repeats an n-gram of this length in a translation; 0: off",
        bound="ngram",
        maximum=MAX_DECODE_LENGTH,
    )

    @classmethod
    def from_dict(cls, values):
        """As `AppConfig.from_dict`; a saved config without `vocabulary`
        comes from a translator saved before subword vocabularies, which
        was word-level and lowercase, and loads as one."""
        if "max_vocab" in values and "vocabulary" not in values:
            values = {"vocabulary": "word", "lowercase": True, **values}
        return super().from_dict(values)


@dataclasses.dataclass
class TranslatorDataOptions(AppConfig):
    """Which languages of a source to read (flags of every action that reads `--data`)."""

    src_lang: str = field("en", "source language: file suffix or tfds feature")
    tgt_lang: str = field("de", "target language: file suffix or tfds feature")


@dataclasses.dataclass
class TranslatorDecodeOptions(DecodeOptions, AppConfig):
    """How `evaluate`, `predict` and `plot` decode (flags; None keeps the model's own)."""
