"""The captioner's settings, with defaults (and, from them, its flags)."""

import dataclasses
import os
import typing

from keras_seq.applications.config import ATTENTIONS, AppConfig, DecodeOptions, WordDecoderFields, field
from keras_seq.errors import UserInputError
from keras_seq.limits import MAX_DECODE_LENGTH

# --backbone: "none" or a keras.applications network (its function's name in BACKBONE_FUNCTIONS)
BACKBONES = ("none", "mobilenet_v3_small", "mobilenet_v2", "efficientnet_b0")


@dataclasses.dataclass
class CaptionerConfig(WordDecoderFields, AppConfig):
    """Everything `build_captioner`, training and decoding need; saved with
    the model.

    Attributes:
        vocab_size: caption word ids, set from the training captions.
        max_vocab, max_length, cell, embedding_dim, decoder_units: the
            decoder's, as the next line's.
        attention, input_feeding, beam_width, length_penalty: the
            decoder's, see `WordDecoderFields` (captions are short, so
            `max_length` is 20; the embedding and the decoder are smaller
            than the translator's; input feeding is on, so that the
            decoder knows where it looked last; the attention is
            `"location"`, the additive score that also reads the previous
            and the summed alignments, so that it moves on from where it
            looked instead of counting words: it keeps reading captions
            longer than any of training, see `docs/benchmarks.md`).
        image_height, image_width: the size images are resized to (the
            default is half the embedded strips' 32 x 144: their digits
            are 8 x 8 scans, so nothing is lost).
        backbone: `"none"` (the small CNN below, trained from scratch) or
            the name of a `keras.applications` network in `BACKBONES`,
            whose last feature map is the grid.
        backbone_weights: a weights file for the backbone (`.weights.h5`
            or `.h5`, without its top); none starts it from random weights.
            Keras' own download of ImageNet weights is never attempted.
        fine_tune: train the backbone's weights too (off: frozen).
        filters: channels of the first convolution block; each further
            block doubles them.
        conv_blocks: blocks of two 3x3 convolutions and a 2x2 max pooling.
            The encoder's grid is the image size divided by `2**conv_blocks`.
        position_embedding: add a learned vector per grid cell to the
            features, so that attention can tell where a cell lies.
        attention_penalty: the weight `lambda` of the doubly stochastic
            attention penalty `lambda * sum_cells (1 - sum_t alpha_t)^2`
            (Xu et al. 2015), which asks each cell to be looked at about
            once over the caption; 0 disables.
        init_from_mean: start the decoder from the mean grid feature
            (through a `tanh` layer) instead of zeros.
        context_gate: scale the context by a learned gate of the decoder
            state, `sigmoid(w . h)` (Xu et al.'s gating scalar).
        dropout: on the decoder output (before the vocabulary projection).
        learning_rate, clipnorm, batch_size, epochs, seed, validation_split:
            the training run's, as every config has them (the images held
            out are drawn with the seed).
    """

    app = "caption"  # the `keras-seq` command, also stamped into saved models
    default_epochs = 30
    noun = "captioner"

    vocab_size: int = field(0, "caption word ids, set from the data", flag=False)
    max_length: int = field(
        20, "words per caption; longer ones are truncated with a warning", maximum=MAX_DECODE_LENGTH
    )
    embedding_dim: int = field(64, "word embedding size")
    decoder_units: int = field(256, "units of the decoder cell")
    attention: str = field(
        "location",
        "attention score; location: additive, reading where it looked before; none: no attention",
        choices=ATTENTIONS,
    )
    input_feeding: bool = field(True, "feed the attentional output back into the decoder")
    image_height: int = field(16, "height images are resized to")
    image_width: int = field(72, "width images are resized to")
    backbone: str = field(
        "none", "none (a small CNN trained from scratch) or a keras.applications network", choices=BACKBONES
    )
    backbone_weights: typing.Optional[str] = field(
        None, "weights file of the backbone, without its top; none: random weights"
    )
    fine_tune: bool = field(False, "train the backbone's weights too")
    filters: int = field(32, "channels of the first convolution block, doubled by each further block")
    conv_blocks: int = field(2, "blocks of two 3x3 convolutions and a 2x2 max pooling")
    position_embedding: bool = field(True, "add a learned vector per grid cell to the features")
    attention_penalty: float = field(
        0.0, "weight of the doubly stochastic attention penalty; 0 disables", bound="non_negative"
    )
    init_from_mean: bool = field(True, "start the decoder from the mean grid feature")
    context_gate: bool = field(True, "scale the context by a learned gate of the decoder state")
    dropout: float = field(0.2, "dropout on the decoder output", bound="rate")
    learning_rate: float = field(1e-3, "Adam's learning rate", bound="positive")
    clipnorm: float = field(1.0, "clip gradients by this global norm; 0 disables")
    batch_size: int = field(32, "captions per batch, each with its image")
    epochs: typing.Optional[int] = field(
        None, "passes over the training images; none: {default_epochs}, or until --time-budget runs out"
    )
    validation_split: float = field(0.1, "the part of --data held out for validation (seeded)", bound="fraction")
    seed: int = field(0, "seed of the split, the weights and the shuffling", bound=None)

    @property
    def grid(self):
        """`(rows, columns)` of the small CNN's feature grid (a backbone's
        depends on the network)."""
        scale = 2**self.conv_blocks
        return self.image_height // scale, self.image_width // scale

    def validate(self):
        """Raise `UserInputError` naming the first bad field."""
        self.check_fields()
        if self.backbone_weights is not None and not os.path.isfile(self.backbone_weights):
            raise UserInputError(f"--backbone-weights {self.backbone_weights}: no such file")
        if self.backbone_weights is not None and self.backbone == "none":
            raise UserInputError("--backbone-weights needs a --backbone")
        rows, columns = self.grid
        if rows < 1 or columns < 1:
            raise UserInputError(
                f"conv_blocks {self.conv_blocks} halve a {self.image_height} x {self.image_width} image to nothing; "
                "use fewer blocks or larger images"
            )
        return self


@dataclasses.dataclass
class CaptionerDecodeOptions(DecodeOptions, AppConfig):
    """How `evaluate`, `predict` and `plot` decode (flags; None keeps the model's own)."""
