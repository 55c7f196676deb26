"""The captioner's builder and its keras-tuner HyperModel."""

import keras
from keras import layers, ops

from keras_seq.applications.caption.config import CaptionerConfig
from keras_seq.applications.hypermodel import TaskHyperModel
from keras_seq.applications.seq2seq import Seq2SeqBackbone
from keras_seq.applications.task import AppModel
from keras_seq.layers import (
    AttentionDecoder,
    AttentionDecoderCell,
    AttentionPenalty,
    GRUCell,
    LSTMCell,
    PositionEmbedding,
    make_attention,
)
from keras_seq.training import SmoothedSparseCrossEntropy

CELLS = {"gru": GRUCell, "lstm": LSTMCell}
# --backbone -> the keras.applications function (each takes images scaled 0-255 and preprocesses them itself)
BACKBONE_FUNCTIONS = {
    "mobilenet_v3_small": "MobileNetV3Small",
    "mobilenet_v2": "MobileNetV2",
    "efficientnet_b0": "EfficientNetB0",
}
# the backbones that expect pixels in [-1, 1] rather than preprocessing 0-255 themselves
# (ResNet50 is not offered: its weights expect Caffe's BGR mean subtraction, which needs a layer of its own)
SCALED_INPUTS = ("mobilenet_v2",)


def image_resizer(config):
    """The resizing every path uses (the model, training data, `caption`
    and the export): bilinear with antialiasing, to the config's size."""
    return keras.layers.Resizing(config.image_height, config.image_width, antialias=True, name="resize")


def image_network(config):
    """The `keras.applications` network of `config.backbone`, without its
    top and with random weights (never a download; `build_captioner` loads
    the user's weights file), frozen unless `config.fine_tune`."""
    network = getattr(keras.applications, BACKBONE_FUNCTIONS[config.backbone])(
        include_top=False, weights=None, input_shape=(config.image_height, config.image_width, 3)
    )
    network.trainable = config.fine_tune
    network.name = "image_network"
    return network


@keras.saving.register_keras_serializable(package="keras_seq")
class CaptionerBackbone(Seq2SeqBackbone):
    """The captioner's network: an image encoder whose last feature map is
    the grid the decoder attends over, and an attention decoder (see
    `build_captioner`), its parts as attributes.

    Args:
        config: dict, a `CaptionerConfig`'s `to_dict()` (the vocabulary
            size set).
        **kwargs: as for `keras.layers.Layer`.

    Call arguments and Returns:
        as in `Seq2SeqBackbone`; the inputs are images `(B, H', W', 3)`,
        0-255, of any size (resized here).

    Examples:
        >>> backbone = CaptionerBackbone(config.to_dict())
        >>> memory, state = backbone.encode(images)
        >>> rows, columns = backbone.grid_shape
    """

    inputs_dtype = "float32"

    def __init__(self, config, **kwargs):
        super().__init__(config, **kwargs)
        c = CaptionerConfig.from_dict(config)
        self.resize = image_resizer(c)
        # the parts, in the order of their weights (that of the first format's functional graph)
        if c.backbone == "none":
            self.scale = layers.Rescaling(1 / 255, name="scale")
            convolutions = []  # convolution, batch normalization, convolution, ... of every block
            for block in range(c.conv_blocks):
                for k in range(2):
                    convolutions += [
                        layers.Conv2D(
                            c.filters * 2**block, 3, padding="same", use_bias=False, name=f"conv_{block}_{k}"
                        ),
                        # one set of batch statistics across replicas
                        layers.BatchNormalization(momentum=0.9, synchronized=True, name=f"norm_{block}_{k}"),
                    ]
            self.convolutions = convolutions
            rows, columns = c.image_height, c.image_width
            for _ in range(c.conv_blocks):
                rows, columns = rows // 2, columns // 2  # each block's 2x2 max pooling
            self.grid_shape = (rows, columns)
        else:
            self.scale = layers.Rescaling(1 / 127.5, offset=-1.0, name="scale") if c.backbone in SCALED_INPUTS else None
            self.convolutions = []
            self.image_network = image_network(c)
            self.grid_shape = tuple(self.image_network.output.shape[1:3])
        self.position = PositionEmbedding(name="features") if c.position_embedding else None
        self.target_embedding = layers.Embedding(c.vocab_size, c.embedding_dim, name="word_embedding")
        cell_names = ["h", "c"] if c.cell == "lstm" else ["h"]
        self.initial = (
            [layers.Dense(c.decoder_units, activation="tanh", name=f"init_{n}") for n in cell_names]
            if c.init_from_mean
            else []
        )
        cell = AttentionDecoderCell(
            CELLS[c.cell](c.decoder_units, name="decoder_cell"),
            make_attention(c.attention, c.decoder_units),
            input_feeding=c.input_feeding,
            context_gate=c.context_gate,
            name="attention_decoder_cell",
        )
        self.decoder = AttentionDecoder(cell, name="decoder")
        if c.attention_penalty > 0:
            self.penalty = AttentionPenalty(c.attention_penalty, name="attention_penalty")
        self.embedding_dropout = layers.Dropout(0.0, name="word_dropout")
        self.output_dropout = layers.Dropout(c.dropout, seed=c.seed, name="output_dropout")
        self.project = layers.Dense(c.vocab_size, name="logits")

    def encode_grid(self, images, training=False):
        """Images `(B, H', W', 3)` -> the feature grid `(B, N, C)`, `N` cells
        of the last feature map."""
        x = self.resize(images)  # (B, H, W, 3), float
        if self.scale is not None:
            x = self.scale(x)
        if self.convolutions:
            for i in range(0, len(self.convolutions), 2):
                convolution, normalization = self.convolutions[i : i + 2]
                x = ops.relu(normalization(convolution(x), training=training))
                if i % 4 == 2:  # a block's second convolution: its pooling
                    x = ops.max_pool(x, 2, 2)  # (B, H / 2^(b+1), W / 2^(b+1), F)
        else:
            x = self.image_network(x, training=False)  # batch normalization keeps its statistics, frozen or fine-tuned
        rows, columns, channels = x.shape[1:]
        grid = ops.reshape(x, (-1, rows * columns, channels))  # (B, N, C)
        return self.position(grid) if self.position is not None else grid

    def encode_memory(self, images, training=False):
        grid = self.encode_grid(images, training)  # (B, N, C)
        mean = ops.mean(grid, axis=1)  # (B, C)
        return grid, None, [dense(mean) for dense in self.initial]  # every cell is real; zeros without init_from_mean


def build_captioner(config, vocabulary=None):
    """A CNN encoder and a recurrent decoder that attends over its grid
    (Xu et al., 2015), trained with teacher forcing.

    Inputs: images `(B, H', W', 3)` (uint8 or float 0-255, any size: the
    model resizes them) and the caption ids shifted right (`[START]`
    first) `(B, T)`, 0 = padding. Output: next-word logits `(B, T, V)`.
    The network is one `CaptionerBackbone` (`model.layers[-1]`):

    - encoder: resize, then the small CNN (`conv_blocks` blocks of two 3x3
      convolutions and a max pooling) or a `keras.applications` backbone
      (its weights from `backbone_weights`, never downloaded);
      the last feature map is the grid `(B, N, C)`, with a learned vector
      per cell (`position_embedding`);
    - initial state: `Dense(tanh)` of the grid's mean feature
      (`init_from_mean`), or zeros;
    - decoder: word embedding -> `AttentionDecoder` around an
      `AttentionDecoderCell` (our GRU/LSTM cell, `attention` over the grid,
      input feeding, Xu et al.'s gating scalar with `context_gate`) ->
      dropout -> `Dense` over the vocabulary; the caption's mask is
      computed from its ids and passed explicitly;
    - with `attention_penalty > 0`, `AttentionPenalty` adds Xu et al.'s
      doubly stochastic penalty on the alignments to the loss.

    Args:
        config: a `CaptionerConfig`.
        vocabulary: the training captions' `WordVocabulary`; it sets the
            vocabulary size and travels inside the model (without it, the
            size in `config` is used and the model cannot caption).

    Returns:
        A compiled `AppModel`; its metadata holds the config and the words.
    """
    if vocabulary is not None:
        config = config.replace(vocab_size=vocabulary.size)
    config.validate()
    keras.utils.set_random_seed(config.seed)
    images = keras.Input((None, None, 3), name="image")
    caption_in = keras.Input((None,), dtype="int32", name="caption_in")
    backbone = CaptionerBackbone(config.to_dict(), name="backbone")
    logits = backbone(images, caption_in)  # (B, T, V)
    if config.backbone_weights:
        backbone.image_network.load_weights(config.backbone_weights, skip_mismatch=False)
    model = AppModel([images, caption_in], logits, name="captioner")
    model.set_metadata(
        CaptionerConfig.app, config.to_dict(), {"words": vocabulary.words} if vocabulary is not None else {}
    )
    model.compile(
        optimizer=keras.optimizers.Adam(config.learning_rate, global_clipnorm=config.clipnorm or None),
        loss=SmoothedSparseCrossEntropy(0.0, ignore_class=0),  # 0 = caption padding
    )
    return model


def search_space(hp):
    """Cell, decoder and embedding sizes, attention, its penalty, dropout
    and learning rate. (The penalty's weights are small: at 1 it is two
    orders of magnitude above the cross-entropy on the default grid; see
    `docs/benchmarks.md`.)"""
    return {
        "cell": hp.Choice("cell", ["gru", "lstm"]),
        "decoder_units": hp.Choice("decoder_units", [128, 256, 512]),
        "embedding_dim": hp.Choice("embedding_dim", [32, 64, 128]),
        "attention": hp.Choice("attention", ["bahdanau", "location", "luong"]),
        "attention_penalty": hp.Choice("attention_penalty", [0.0, 0.001, 0.01]),
        "dropout": hp.Float("dropout", 0.0, 0.4, step=0.1),
        "learning_rate": hp.Float("learning_rate", 3e-4, 3e-3, sampling="log"),
    }


class CaptionerHyperModel(TaskHyperModel):
    """Searches `search_space` around a base config, through `build_captioner`.

    Args:
        base_config: a `CaptionerConfig`.
        vocabulary: the training captions' `WordVocabulary` (optional).

    Examples:
        >>> tuner = keras_tuner.RandomSearch(CaptionerHyperModel(config, vocabulary=vocab),
        ...                                  objective="val_loss", max_trials=4)
    """

    build_fn = staticmethod(build_captioner)
    search_space = staticmethod(search_space)


__all__ = ["CaptionerBackbone", "CaptionerConfig", "CaptionerHyperModel", "build_captioner", "search_space"]
