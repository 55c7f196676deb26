"""The translator's builder and its keras-tuner HyperModel."""

import keras
from keras import layers, ops

from keras_seq.applications.hypermodel import TaskHyperModel
from keras_seq.applications.seq2seq import Seq2SeqBackbone
from keras_seq.applications.task import AppModel
from keras_seq.applications.translate.config import TranslatorConfig
from keras_seq.layers import (
    GRU,
    LSTM,
    AttentionDecoder,
    AttentionDecoderCell,
    GRUCell,
    LSTMCell,
    ScheduledSampler,
    TiedEmbedding,
    make_attention,
)
from keras_seq.training import SmoothedSparseCrossEntropy

LAYERS = {"gru": GRU, "lstm": LSTM}
CELLS = {"gru": GRUCell, "lstm": LSTMCell}


@keras.saving.register_keras_serializable(package="keras_seq")
class TranslatorBackbone(Seq2SeqBackbone):
    """The translator's network: a bidirectional recurrent encoder and an
    attention decoder (see `build_translator`), its parts as attributes.

    Args:
        config: dict, a `TranslatorConfig`'s `to_dict()` (the vocabulary
            sizes set).
        **kwargs: as for `keras.layers.Layer`.

    Call arguments and Returns:
        as in `Seq2SeqBackbone`; the inputs are source ids `(B, Ts)`, 0
        being padding.

    Examples:
        >>> backbone = TranslatorBackbone(config.to_dict())
        >>> logits = backbone(source_ids, target_in)
        >>> memory, state = backbone.encode(source_ids)
    """

    def __init__(self, config, **kwargs):
        super().__init__(config, **kwargs)
        c = TranslatorConfig.from_dict(config)
        cell_names = ["h", "c"] if c.cell == "lstm" else ["h"]
        # the parts, in the order of their weights (that of the first format's functional graph)
        self.source_embedding = layers.Embedding(c.src_vocab_size, c.embedding_dim, name="source_embedding")
        self.source_dropout = layers.Dropout(c.embedding_dropout, name="source_dropout")
        self.encoders = [
            layers.Bidirectional(
                LAYERS[c.cell](c.encoder_units, return_sequences=True, return_state=True, seed=c.seed + i),
                name=f"encoder_{i}",
            )
            for i in range(c.encoder_layers)
        ]
        embedding = TiedEmbedding if c.tie_embeddings else layers.Embedding  # tied: one table embeds and scores
        self.target_embedding = embedding(c.tgt_vocab_size, c.embedding_dim, name="target_embedding")
        self.bridges = [layers.Dense(c.decoder_units, activation="tanh", name=f"bridge_{n}") for n in cell_names]
        cell = AttentionDecoderCell(
            CELLS[c.cell](c.decoder_units, name="decoder_cell"),
            make_attention(c.attention, c.decoder_units),
            output_units=c.embedding_dim if c.tie_embeddings else c.decoder_units,
            input_feeding=c.input_feeding,
            use_bias=c.use_bias,
            name="attention_decoder_cell",
        )
        self.decoder = AttentionDecoder(cell, name="decoder")
        self.embedding_dropout = layers.Dropout(c.embedding_dropout, name="target_dropout")
        self.output_dropout = layers.Dropout(c.dropout, name="output_dropout")
        self.project = None if c.tie_embeddings else layers.Dense(c.tgt_vocab_size, name="logits")
        if c.scheduled_sampling:
            self.sampler = ScheduledSampler(seed=c.seed, name="scheduled_sampler")

    def encode_memory(self, source, training=False):
        mask = ops.not_equal(source, 0)  # (B, Ts): explicit, computed from the ids
        x = self.source_dropout(self.source_embedding(source), training=training)  # (B, Ts, E)
        final = None
        for encoder in self.encoders:
            x, *final = encoder(x, mask=mask, training=training)  # (B, Ts, 2U); forward then backward states
        half = len(final) // 2
        states = [
            bridge(ops.concatenate([final[k], final[half + k]], axis=-1))  # (B, U)
            for k, bridge in enumerate(self.bridges)
        ]
        return x, mask, states

    def logits(self, attentional):
        if self.project is None:
            return self.target_embedding(attentional, reverse=True)  # (B, ..., Vt)
        return self.project(attentional)


def build_translator(config, source_vocab=None, target_vocab=None):
    """Encoder-decoder with attention, trained with teacher forcing.

    Inputs: source ids `(B, Ts)` and target ids shifted right (`[START]`
    first) `(B, Tt)`, 0 = padding. Output: next-token logits `(B, Tt, Vt)`.
    The network is one `TranslatorBackbone` (`model.layers[-1]`):

    - masks: computed from the source and target ids and passed to every
      layer that reads them (nothing relies on Keras propagating masks);
    - encoder: source embedding (`embedding_dropout`) -> `encoder_layers`
      bidirectional GRU/LSTM layers of ours; the memory is the last
      layer's outputs `(B, Ts, 2 * encoder_units)`;
    - bridge: `Dense(tanh)` from the final forward and backward states to
      the decoder's initial state;
    - decoder: target embedding -> `AttentionDecoder` around an
      `AttentionDecoderCell` (our GRU/LSTM cell, Bahdanau or Luong
      attention, input feeding) -> dropout -> `Dense` over the target
      vocabulary, or with `tie_embeddings` the target embedding's own table
      (`TiedEmbedding`; the attentional output then has `embedding_dim`
      units);
    - with `scheduled_sampling`, a `ScheduledSampler` mixes the first pass'
      own tokens into a second pass of the same decoder (its probability is
      raised by the `ScheduledSampling` callback).

    The loss is a masked cross-entropy (target padding, id 0, does not
    count), with label smoothing as configured; gradients are clipped by
    global norm. With `ema_momentum` the optimizer keeps a moving average
    of the weights, which `fit` copies into the model when it ends.

    Args:
        config: a `TranslatorConfig`.
        source_vocab, target_vocab: the vocabularies of the training
            pairs; they set the vocabulary sizes and travel inside the
            model (without them, the sizes in `config` are used and the
            model cannot translate text).

    Returns:
        A compiled `AppModel`; its metadata holds the config and both
        vocabularies' words.
    """
    if source_vocab is not None:
        config = config.replace(src_vocab_size=source_vocab.size, tgt_vocab_size=target_vocab.size)
    config.validate()
    keras.utils.set_random_seed(config.seed)
    source = keras.Input((None,), dtype="int32", name="source")
    target_in = keras.Input((None,), dtype="int32", name="target_in")
    logits = TranslatorBackbone(config.to_dict(), name="backbone")(source, target_in)  # (B, Tt, Vt)
    model = AppModel([source, target_in], logits, name="translator")
    words = {"source_words": source_vocab.words, "target_words": target_vocab.words} if source_vocab is not None else {}
    model.set_metadata(TranslatorConfig.app, config.to_dict(), words)
    model.compile(
        optimizer=keras.optimizers.Adam(
            config.learning_rate,
            global_clipnorm=config.clipnorm or None,
            use_ema=bool(config.ema_momentum),
            ema_momentum=config.ema_momentum,
        ),
        loss=SmoothedSparseCrossEntropy(config.label_smoothing, ignore_class=0),  # 0 = target padding
    )
    return model


def search_space(hp):
    """Cell, sizes, encoder layers, attention, dropout and learning rate."""
    return {
        "cell": hp.Choice("cell", ["gru", "lstm"]),
        "embedding_dim": hp.Choice("embedding_dim", [128, 256]),
        "encoder_layers": hp.Int("encoder_layers", 1, 2),
        "encoder_units": hp.Choice("encoder_units", [128, 256]),
        "decoder_units": hp.Choice("decoder_units", [256, 512]),
        "attention": hp.Choice("attention", ["bahdanau", "location", "luong"]),
        "dropout": hp.Float("dropout", 0.0, 0.4, step=0.1),
        "learning_rate": hp.Float("learning_rate", 3e-4, 3e-3, sampling="log"),
    }


class TranslatorHyperModel(TaskHyperModel):
    """Searches `search_space` around a base config, through `build_translator`.

    Args:
        base_config: a `TranslatorConfig`.
        source_vocab, target_vocab: the training pairs' vocabularies (optional).

    Examples:
        >>> tuner = keras_tuner.RandomSearch(TranslatorHyperModel(config, source_vocab=src, target_vocab=tgt),
        ...                                  objective="val_loss", max_trials=4)
    """

    build_fn = staticmethod(build_translator)
    search_space = staticmethod(search_space)


__all__ = ["TranslatorBackbone", "TranslatorConfig", "TranslatorHyperModel", "build_translator", "search_space"]
