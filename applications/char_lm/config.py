"""The char LM's settings, with defaults (and, from them, its flags)."""

import dataclasses
import typing

from keras_seq.applications.char_lm.tokens import KINDS
from keras_seq.applications.config import AppConfig, NTMCellFields, field
from keras_seq.errors import UserInputError

CELLS = ("lstm", "gru", "simple_rnn", "ntm")
UNITS = ("stream", "sentence")


# characters one generate call may ask for (a (prompts, length) buffer is allocated up front)
MAX_GENERATE_LENGTH = 100_000


@dataclasses.dataclass
class CharLMConfig(NTMCellFields, AppConfig):
    """Everything `build_char_lm` and training need; saved with the model.

    Attributes:
        vocab_size: number of token ids (the special ids included); set
            from the training text's vocabulary.
        tokens: `"char"` (the default), `"word"` or `"subword"`: what the
            model reads and predicts (`tokens.TextTokens`).
        max_vocab: the most word or subword ids.
        unit: `"stream"` (windows of a running text) or `"sentence"` (each
            line a sentence from `[BEGIN]` to `[END]`, padded to
            `sequence_length`; longer ones are cut).
        cell: `"lstm"`, `"gru"`, `"simple_rnn"` or `"ntm"` (a Neural
            Turing Machine whose controller has `units`).
        memory_size, memory_width: the NTM's memory (`cell="ntm"`), from
            `NTMCellFields`.
        units, layers, embedding_dim: sizes.
        dropout: input dropout of each recurrent layer and before the output
            layer (0 disables).
        sequence_length: characters per training window.
        batch_size: windows per batch (streams per batch with `tbptt`).
        learning_rate: Adam's learning rate.
        clipnorm: gradient clipping by global norm (0 disables).
        tbptt: stateful truncated backpropagation through time instead of
            independent windows.
        epochs: passes over the training text; None: `default_epochs`, or
            until the time budget runs out.
        validation_split: the last part of the text held out.
        seed: seed of the initial weights, the shuffling and the dropout.
    """

    app = "char-lm"  # the `keras-seq` command, also stamped into saved models
    default_epochs = 20
    noun = "char LM"

    vocab_size: int = field(0, "token ids, set from the data", flag=False)
    tokens: str = field("char", "what the model predicts: characters, words or subwords", choices=KINDS)
    max_vocab: int = field(10_000, "the most word or subword ids (--tokens word or subword)", bound="positive")
    unit: str = field(
        "stream", "stream: windows of a running text; sentence: each line from [BEGIN] to [END]", choices=UNITS
    )
    cell: str = field("lstm", "recurrent cell", choices=CELLS)
    units: int = field(256, "units of each recurrent layer")
    layers: int = field(1, "stacked recurrent layers")
    embedding_dim: int = field(64, "size of the character embedding")
    dropout: float = field(0.0, "input dropout of each recurrent layer and before the output", bound="rate")
    sequence_length: int = field(100, "characters per training window")
    batch_size: int = field(64, "windows per batch")
    learning_rate: float = field(2e-3, "Adam's learning rate", bound="positive")
    clipnorm: float = field(1.0, "clip gradients by this global norm; 0 disables")
    tbptt: bool = field(False, "stateful truncated backpropagation through time (state carried across windows)")
    epochs: typing.Optional[int] = field(
        None, "passes over the training text; none: {default_epochs}, or until --time-budget runs out"
    )
    validation_split: float = field(0.1, "the last part of the text held out for validation", bound="fraction")
    seed: int = field(0, "seed of the weights, the shuffling and the dropout", bound=None)

    def validate(self):
        """Raise `UserInputError` naming the first bad field."""
        self.check_fields()
        if self.unit == "sentence" and self.tbptt:
            raise UserInputError("--unit sentence trains on separate sentences; it has no --tbptt")
        if self.cell == "ntm" and self.dropout:
            raise UserInputError(f"the NTM has no input dropout; use --dropout 0 with --cell ntm (got {self.dropout})")
        return self


@dataclasses.dataclass
class SamplingOptions(AppConfig):
    """How `keras-seq char-lm generate` samples: the flags of the command,
    and the keyword arguments of `CharLM.stream` and `CharLM.generate`."""

    max_length: int = field(500, "characters to generate", bound="non_negative")
    temperature: float = field(0.8, "> 0; lower is more conservative", bound="positive")
    top_k: int = field(0, "keep the k likeliest characters; 0 disables", bound="non_negative")
    top_p: float = field(1.0, "in (0, 1]; 1 disables", bound="positive", maximum=1.0)
    seed: typing.Optional[int] = field(None, "for reproducible output", bound=None)
