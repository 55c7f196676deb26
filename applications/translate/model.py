"""The translator's builder and its keras-tuner HyperModel."""

import keras

from keras_seq.applications.hypermodel import TaskHyperModel
from keras_seq.applications.task import AppModel
from keras_seq.applications.translate.config import TranslatorConfig
from keras_seq.layers import (
    GRU,
    LSTM,
    AttentionDecoder,
    AttentionDecoderCell,
    GRUCell,
    LSTMCell,
    PaddingMask,
    ScheduledSampler,
    TiedEmbedding,
    make_attention,
)
from keras_seq.training import SmoothedSparseCrossEntropy

LAYERS = {"gru": GRU, "lstm": LSTM}
CELLS = {"gru": GRUCell, "lstm": LSTMCell}


def output_projection(target_embedding):
    """The vocabulary projection of a tied model: attentional outputs
    `(B, ..., E)` -> logits `(B, ..., Vt)` with the `TiedEmbedding`'s table."""
    return lambda vectors: target_embedding(vectors, reverse=True)


def build_translator(config, source_vocab=None, target_vocab=None):
    """Encoder-decoder with attention, trained with teacher forcing.

    Inputs: source ids `(B, Ts)` and target ids shifted right (`[START]`
    first) `(B, Tt)`, 0 = padding. Output: next-token logits `(B, Tt, Vt)`.

    - masks: `PaddingMask` of the source and target ids, passed to every
      layer that reads them (nothing relies on Keras propagating masks);
    - encoder: source embedding (`embedding_dropout`) -> `encoder_layers` bidirectional
      GRU/LSTM layers of ours; the memory is the last layer's outputs
      `(B, Ts, 2 * encoder_units)`;
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
    count), with label smoothing as
    configured; gradients are clipped by global norm. With `ema_momentum`
    the optimizer keeps a moving average of the weights, which `fit` copies
    into the model when it ends.

    Args:
        config: a `TranslatorConfig`.
        source_vocab, target_vocab: the `WordVocabulary`s of the training
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
    source_mask = PaddingMask(name="source_mask")(source)  # (B, Ts): the masks are explicit, computed from the ids
    target_mask = PaddingMask(name="target_mask")(target_in)  # (B, Tt)
    x = keras.layers.Embedding(config.src_vocab_size, config.embedding_dim, name="source_embedding")(source)
    x = keras.layers.Dropout(config.embedding_dropout, name="source_dropout")(x)
    final = None
    for i in range(config.encoder_layers):
        layer = LAYERS[config.cell](
            config.encoder_units, return_sequences=True, return_state=True, seed=config.seed + i
        )
        outputs = keras.layers.Bidirectional(layer, name=f"encoder_{i}")(x, mask=source_mask)
        x, final = outputs[0], outputs[1:]  # (B, Ts, 2U); forward then backward states
    memory = x
    half = len(final) // 2
    states = []
    for k, name in enumerate(["h", "c"][:half]):
        joined = keras.layers.Concatenate(name=f"final_{name}")([final[k], final[half + k]])  # (B, 2U)
        states.append(keras.layers.Dense(config.decoder_units, activation="tanh", name=f"bridge_{name}")(joined))
    cell = AttentionDecoderCell(
        CELLS[config.cell](config.decoder_units, name="decoder_cell"),
        make_attention(config.attention, config.decoder_units),
        output_units=config.embedding_dim if config.tie_embeddings else config.decoder_units,
        input_feeding=config.input_feeding,
        use_bias=config.use_bias,
        name="attention_decoder_cell",
    )
    decoder = AttentionDecoder(cell, name="decoder")
    output_dropout = keras.layers.Dropout(config.dropout, name="output_dropout")
    if config.tie_embeddings:  # one table embeds target words and scores them
        target_embedding = TiedEmbedding(config.tgt_vocab_size, config.embedding_dim, name="target_embedding")
        project = output_projection(target_embedding)
    else:
        target_embedding = keras.layers.Embedding(config.tgt_vocab_size, config.embedding_dim, name="target_embedding")
        project = keras.layers.Dense(config.tgt_vocab_size, name="logits")

    def decode(tokens):
        y = keras.layers.Dropout(config.embedding_dropout)(target_embedding(tokens))
        outputs, _ = decoder(y, memory, memory_mask=source_mask, initial_state=states, mask=target_mask)  # (B, Tt, A)
        return project(output_dropout(outputs))  # (B, Tt, Vt)

    logits = decode(target_in)
    if config.scheduled_sampling:
        mixed = ScheduledSampler(seed=config.seed, name="scheduled_sampler")(target_in, logits)
        logits = decode(mixed)
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

    Example:
    >>> tuner = keras_tuner.RandomSearch(TranslatorHyperModel(config, source_vocab=src, target_vocab=tgt),
    ...                                  objective="val_loss", max_trials=4)
    """

    build_fn = staticmethod(build_translator)
    search_space = staticmethod(search_space)


__all__ = ["TranslatorConfig", "TranslatorHyperModel", "build_translator", "search_space"]
