"""The captioner's builder and its keras-tuner HyperModel."""

import keras

from keras_seq.applications.caption.config import CaptionerConfig
from keras_seq.applications.hypermodel import TaskHyperModel
from keras_seq.applications.task import AppModel
from keras_seq.layers import (
    AttentionDecoder,
    AttentionDecoderCell,
    AttentionPenalty,
    GRUCell,
    LSTMCell,
    PaddingMask,
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


def backbone(config):
    """The `keras.applications` network of `config.backbone`, without its
    top, with the user's weights file or random weights (never a download)."""
    network = getattr(keras.applications, BACKBONE_FUNCTIONS[config.backbone])(
        include_top=False, weights=None, input_shape=(config.image_height, config.image_width, 3)
    )
    if config.backbone_weights:
        network.load_weights(config.backbone_weights, skip_mismatch=False)
    network.trainable = config.fine_tune
    network.name = "backbone"
    return network


def encode_images(config, images):
    """Images `(B, H', W', 3)` (any size, 0-255) -> the feature grid
    `(B, N, C)`, `N` cells of the last feature map."""
    x = image_resizer(config)(images)  # (B, H, W, 3), float
    if config.backbone == "none":
        x = keras.layers.Rescaling(1 / 255, name="scale")(x)
        filters = config.filters
        for block in range(config.conv_blocks):
            for k in range(2):
                x = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"conv_{block}_{k}")(x)
                x = keras.layers.BatchNormalization(momentum=0.9, synchronized=True, name=f"norm_{block}_{k}")(
                    x
                )  # one set of batch statistics across replicas
                x = keras.layers.ReLU(name=f"relu_{block}_{k}")(x)
            x = keras.layers.MaxPooling2D(2, name=f"pool_{block}")(x)  # (B, H / 2^(b+1), W / 2^(b+1), F)
            filters *= 2
    else:
        if config.backbone in SCALED_INPUTS:
            x = keras.layers.Rescaling(1 / 127.5, offset=-1.0, name="scale")(x)
        x = backbone(config)(x, training=False)  # BatchNorm keeps its statistics, frozen or fine-tuned
    rows, columns, channels = x.shape[1:]
    grid = keras.layers.Reshape((rows * columns, channels), name="grid" if config.position_embedding else "features")(
        x
    )  # (B, N, C)
    if config.position_embedding:
        grid = PositionEmbedding(name="features")(grid)  # (B, N, C)
    return grid


def build_captioner(config, vocabulary=None):
    """A CNN encoder and a recurrent decoder that attends over its grid
    (Xu et al., 2015), trained with teacher forcing.

    Inputs: images `(B, H', W', 3)` (uint8 or float 0-255, any size: the
    model resizes them) and the caption ids shifted right (`[START]`
    first) `(B, T)`, 0 = padding. Output: next-word logits `(B, T, V)`.

    - encoder: resize, then the small CNN (`conv_blocks` blocks of two 3x3
      convolutions and a max pooling) or a `keras.applications` backbone;
      the last feature map is the grid `(B, N, C)`, with a learned vector
      per cell (`position_embedding`);
    - initial state: `Dense(tanh)` of the grid's mean feature
      (`init_from_mean`), or zeros;
    - decoder: word embedding -> `AttentionDecoder` around an
      `AttentionDecoderCell` (our GRU/LSTM cell, `attention` over the grid,
      input feeding, Xu et al.'s gating scalar with `context_gate`) ->
      dropout -> `Dense` over the vocabulary;
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
    grid = encode_images(config, images)  # (B, N, C)
    names = ["h", "c"] if config.cell == "lstm" else ["h"]
    states = None
    if config.init_from_mean:
        mean = keras.layers.GlobalAveragePooling1D(name="mean_feature")(grid)  # (B, C)
        states = [
            keras.layers.Dense(config.decoder_units, activation="tanh", name=f"init_{name}")(mean) for name in names
        ]
    cell = AttentionDecoderCell(
        CELLS[config.cell](config.decoder_units, name="decoder_cell"),
        make_attention(config.attention, config.decoder_units),
        input_feeding=config.input_feeding,
        context_gate=config.context_gate,
        name="attention_decoder_cell",
    )
    caption_mask = PaddingMask(name="caption_mask")(caption_in)  # (B, T): passed explicitly; the grid has no padding
    words = keras.layers.Embedding(config.vocab_size, config.embedding_dim, name="word_embedding")(
        caption_in
    )  # (B, T, E)
    outputs, alignments = AttentionDecoder(cell, name="decoder")(
        words, grid, initial_state=states, mask=caption_mask
    )  # (B, T, A), (B, T, N)
    if config.attention_penalty > 0:
        outputs = AttentionPenalty(config.attention_penalty, name="attention_penalty")(
            outputs, alignments, mask=caption_mask
        )
    outputs = keras.layers.Dropout(config.dropout, seed=config.seed, name="output_dropout")(outputs)
    logits = keras.layers.Dense(config.vocab_size, name="logits")(outputs)  # (B, T, V)
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
    `BENCHMARKS.md`.)"""
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

    Example:
    >>> tuner = keras_tuner.RandomSearch(CaptionerHyperModel(config, vocabulary=vocab),
    ...                                  objective="val_loss", max_trials=4)
    """

    build_fn = staticmethod(build_captioner)
    search_space = staticmethod(search_space)


__all__ = ["CaptionerConfig", "CaptionerHyperModel", "build_captioner", "search_space"]
