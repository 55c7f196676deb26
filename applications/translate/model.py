"""The translator's builder and its keras-tuner HyperModel."""

import keras
import keras_tuner

from keras_seq.applications.translate.config import TranslatorConfig
from keras_seq.layers import (
    GRU,
    LSTM,
    AttentionDecoder,
    AttentionDecoderCell,
    BahdanauAttention,
    GRUCell,
    LSTMCell,
    LuongAttention,
    ScheduledSampler,
    TiedEmbedding,
)
from keras_seq.training import SmoothedSparseCrossEntropy

LAYERS = {"gru": GRU, "lstm": LSTM}
CELLS = {"gru": GRUCell, "lstm": LSTMCell}


def output_projection(target_embedding):
    """The vocabulary projection of a tied model: attentional outputs
    `(B, ..., E)` -> logits `(B, ..., Vt)` with the `TiedEmbedding`'s table."""
    return lambda vectors: target_embedding(vectors, reverse=True)


def build_translator(config):
    """Encoder-decoder with attention, trained with teacher forcing.

    Inputs: source ids `(B, Ts)` and target ids shifted right (`[START]`
    first) `(B, Tt)`, 0 = padding. Output: next-token logits `(B, Tt, Vt)`.

    - encoder: source embedding (masked, `embedding_dropout`) -> `encoder_layers` bidirectional
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
    count, with or without Keras masks), with label smoothing as
    configured; gradients are clipped by global norm. With `ema_momentum`
    the optimizer keeps a moving average of the weights, which `fit` copies
    into the model when it ends.

    Returns:
        A compiled `keras.Model`.
    """
    config.validate()
    keras.utils.set_random_seed(config.seed)
    source = keras.Input((None,), dtype="int32", name="source")
    target_in = keras.Input((None,), dtype="int32", name="target_in")
    x = keras.layers.Embedding(config.src_vocab_size, config.embedding_dim, mask_zero=True, name="source_embedding")(source)
    x = keras.layers.Dropout(config.embedding_dropout, name="source_dropout")(x)
    final = None
    for i in range(config.encoder_layers):
        layer = LAYERS[config.cell](config.encoder_units, return_sequences=True, return_state=True, seed=config.seed + i)
        outputs = keras.layers.Bidirectional(layer, name=f"encoder_{i}")(x)
        x, final = outputs[0], outputs[1:]  # (B, Ts, 2U); forward then backward states
    memory = x
    half = len(final) // 2
    states = []
    for k, name in enumerate(["h", "c"][:half]):
        joined = keras.layers.Concatenate(name=f"final_{name}")([final[k], final[half + k]])  # (B, 2U)
        states.append(keras.layers.Dense(config.decoder_units, activation="tanh", name=f"bridge_{name}")(joined))
    cell = AttentionDecoderCell(
        CELLS[config.cell](config.decoder_units, name="decoder_cell"),
        BahdanauAttention(config.decoder_units, name="attention") if config.attention == "bahdanau"
        else LuongAttention("general", name="attention"),
        output_units=config.embedding_dim if config.tie_embeddings else config.decoder_units,
        input_feeding=config.input_feeding,
        use_bias=config.use_bias,
        name="attention_decoder_cell",
    )
    decoder = AttentionDecoder(cell, name="decoder")
    output_dropout = keras.layers.Dropout(config.dropout, name="output_dropout")
    if config.tie_embeddings:  # one table embeds target words and scores them
        target_embedding = TiedEmbedding(config.tgt_vocab_size, config.embedding_dim, mask_zero=True, name="target_embedding")
        project = output_projection(target_embedding)
    else:
        target_embedding = keras.layers.Embedding(config.tgt_vocab_size, config.embedding_dim, mask_zero=True, name="target_embedding")
        project = keras.layers.Dense(config.tgt_vocab_size, name="logits")

    def decode(tokens):
        y = keras.layers.Dropout(config.embedding_dropout)(target_embedding(tokens))
        outputs, _ = decoder(y, memory, initial_state=states)  # (B, Tt, A)
        return project(output_dropout(outputs))  # (B, Tt, Vt)

    logits = decode(target_in)
    if config.scheduled_sampling:
        mixed = ScheduledSampler(seed=config.seed, name="scheduled_sampler")(target_in, logits)
        logits = decode(mixed)
    model = keras.Model([source, target_in], logits, name="translator")
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


class TranslatorHyperModel(keras_tuner.HyperModel):
    """Searches cell, sizes, attention, dropout and learning rate around a
    base config, through `build_translator`."""

    def __init__(self, base_config, **kwargs):
        super().__init__(**kwargs)
        self.base_config = base_config

    def build(self, hp):
        return build_translator(self.config_for(hp))

    def config_for(self, hp):
        return self.base_config.replace(
            cell=hp.Choice("cell", ["gru", "lstm"]),
            encoder_units=hp.Choice("encoder_units", [128, 256]),
            decoder_units=hp.Choice("decoder_units", [256, 512]),
            attention=hp.Choice("attention", ["bahdanau", "luong"]),
            dropout=hp.Float("dropout", 0.0, 0.4, step=0.1),
            learning_rate=hp.Float("learning_rate", 3e-4, 3e-3, sampling="log"),
        )


__all__ = ["TranslatorConfig", "TranslatorHyperModel", "build_translator"]
