"""What the encoder-decoder applications (the translator and the captioner)
share, in the spirit of KerasHub's `Seq2SeqLM` over a backbone:

- `Seq2SeqBackbone`, the network as one layer whose parts are attributes,
  with one `encode` (the encoder, once per input) and one `step` (the
  decoder, one token), used alike by training, decoding and the export;
- `Seq2SeqTask`, the task base: the decoding defaults, greedy and beam
  search in batches, the evaluation loop over both; and `frame`, the
  `[START]`/`[END]` framing of target sequences.

Each application fills in its encoder (`encode_memory`) and its
preprocessor (vocabularies, lookup tables, raw input to ids).
"""

import numpy as np
from keras import layers, ops

from keras_seq.applications.task import Task
from keras_seq.data.word_vocabulary import END_ID, START_ID
from keras_seq.errors import UserInputError


class Seq2SeqBackbone(layers.Layer):
    """An encoder and an attention decoder, as one layer.

    A subclass creates its parts in `__init__` from `config` (the
    application's config as a dict) and sets them as attributes:
    `target_embedding`, `embedding_dropout`, `decoder` (an
    `AttentionDecoder`), `output_dropout`, `project` (attentional outputs
    to logits), and optionally `sampler` (a `ScheduledSampler`: a second,
    mixed teacher-forced pass) and `penalty` (an `AttentionPenalty`). It
    implements `encode_memory`.

    Args:
        config: dict. The application's config (`to_dict()`).
        **kwargs: as for `keras.layers.Layer`.

    Call arguments:
        inputs: what the encoder reads (source ids `(B, Ts)`, images).
        tokens: the target ids shifted right, `[START]` first, `(B, T)`;
            0 is padding.
        training: bool.

    Returns:
        Next-token logits `(B, T, V)`.

    Examples:
        >>> memory, state = backbone.encode(source_ids)     # once per input
        >>> logits, state = backbone.step(tokens, state, memory)  # one token
    """

    sampler = None
    penalty = None
    inputs_dtype = "int32"  # of what the encoder reads

    def __init__(self, config, **kwargs):
        super().__init__(**kwargs)
        self.config = dict(config)

    def build(self, inputs_shape, tokens_shape):
        # every part is built by a symbolic run of the network (weights are made, nothing is computed)
        from keras import KerasTensor

        self.call(KerasTensor(inputs_shape, dtype=self.inputs_dtype), KerasTensor(tokens_shape, dtype="int32"))

    @property
    def cell(self):
        """The decoder's `AttentionDecoderCell`."""
        return self.decoder.cell

    # -------------------------------------------------------- the encoder
    def encode_memory(self, inputs, training=False):
        """`(value (B, Tv, D), value_mask (B, Tv) or None, cell states)`:
        what the decoder attends over, its real positions, and the decoder
        cell's initial states (`[]` for zeros)."""
        raise NotImplementedError

    def encode(self, inputs):
        """The decoding loop's constants and initial state: `(memory,
        state)`, the memory prepared once (`cell.prepare_memory`)."""
        value, value_mask, states = self.encode_memory(inputs)
        memory = self.cell.prepare_memory(value, value_mask)
        return memory, self.cell.complete_state(states, memory)

    # -------------------------------------------------------- the decoder
    def logits(self, attentional):
        """Attentional outputs `(B, ..., A)` -> logits `(B, ..., V)`."""
        return self.project(attentional)

    def step(self, tokens, state, memory):
        """One decoder step: `(tokens (B,), state, memory) -> (logits (B,
        V), state)`, the step function of `keras_seq.decoding`."""
        output, state = self.cell(self.target_embedding(tokens), state, memory=memory)
        attentional, _ = self.cell.split_output(output)  # (B, A)
        return self.logits(attentional), state

    def decode(self, encoded, tokens, training=False):
        """Teacher forcing over `tokens` `(B, T)`, from `encode_memory`'s
        result: `(attentional (B, T, A), alignments (B, T, Tv))`."""
        value, value_mask, states = encoded
        y = self.embedding_dropout(self.target_embedding(tokens), training=training)  # (B, T, E)
        mask = ops.not_equal(tokens, 0)  # (B, T): explicit, whatever Keras propagates
        return self.decoder(
            y, value, memory_mask=value_mask, initial_state=states or None, mask=mask, training=training
        )

    def alignments(self, inputs, tokens):
        """The attention weights `(B, T, Tv)` while the decoder reads `tokens`."""
        return self.decode(self.encode_memory(inputs), tokens)[1]

    def teacher_forced_logits(self, encoded, tokens, training=False):
        outputs, alignments = self.decode(encoded, tokens, training)  # (B, T, A), (B, T, Tv)
        if self.penalty is not None:
            outputs = self.penalty(outputs, alignments, mask=ops.not_equal(tokens, 0))
        return self.logits(self.output_dropout(outputs, training=training))  # (B, T, V)

    def call(self, inputs, tokens, training=False):
        encoded = self.encode_memory(inputs, training=training)
        logits = self.teacher_forced_logits(encoded, tokens, training)
        if self.sampler is not None:  # a second pass, the first pass' own tokens mixed in
            logits = self.teacher_forced_logits(encoded, self.sampler(tokens, logits, training=training), training)
        return logits

    def get_config(self):
        return {**super().get_config(), "config": self.config}


def frame(ids):
    """Target ids `(B, T)` (ragged, TensorFlow) -> `(tokens_in, tokens_out)`
    padded with 0: `[START] w1 .. wn` and `w1 .. wn [END]`, the pair
    teacher forcing trains on."""
    import tensorflow as tf  # data pipeline

    ids = ids if isinstance(ids, tf.RaggedTensor) else tf.RaggedTensor.from_tensor(ids, padding=0)
    batch = tf.cast(ids.nrows(), tf.int32)
    start = tf.RaggedTensor.from_tensor(tf.fill([batch, 1], START_ID))
    end = tf.RaggedTensor.from_tensor(tf.fill([batch, 1], END_ID))
    return tf.concat([start, ids], axis=1).to_tensor(0), tf.concat([ids, end], axis=1).to_tensor(0)


class Seq2SeqTask(Task):
    """The base of the encoder-decoder tasks (translator, captioner).

    Decoding runs the model's own backbone: its `encode` once over the
    inputs, then its `step` one token at a time inside a compiled
    `keras_seq.decoding` loop (greedy or beam search).

    A subclass implements `make_preprocessor()` (an object with
    `decode(tokens) -> text`) and, for models saved before the backbones,
    `assets_for_builder()` (the builder's vocabulary arguments).

    Attributes:
        backbone: the model's `Seq2SeqBackbone` (`encode`, `step` and the
            parts as attributes).
        preprocessor: the vocabularies and lookups of the task and its export.
        search: greedy and beam search over the backbone
            (`keras_seq.decoding.EncoderDecoderSearch`).
    """

    decode_batch_size = 256  # inputs per decoding batch

    def __init__(self, model):
        super().__init__(model)
        from keras_seq.decoding import EncoderDecoderSearch

        self.preprocessor = self.make_preprocessor()
        backbone = next((layer for layer in model.layers if isinstance(layer, Seq2SeqBackbone)), None)
        if backbone is None:  # saved before the backbones (format 1): the same weights in the new network
            self.model = self.upgraded(model)
            backbone = next(layer for layer in self.model.layers if isinstance(layer, Seq2SeqBackbone))
        self.backbone = backbone
        self.search = EncoderDecoderSearch(self.backbone.encode, self.backbone.step, START_ID, END_ID)

    def make_preprocessor(self):
        raise NotImplementedError

    def assets_for_builder(self):
        """The builder's arguments besides the config (the vocabularies)."""
        raise NotImplementedError

    def upgraded(self, old):
        """A model of this version with the weights of `old`, a model of
        the first format (a functional graph of separate layers): the new
        network has the same weights in the same order."""
        model = type(self).builder(self.config, **self.assets_for_builder())
        if [tuple(w.shape) for w in old.weights] != [tuple(w.shape) for w in model.weights]:
            raise UserInputError(
                f"this {self.noun} model was saved by an earlier keras-seq in a form it cannot read; train it again"
            )
        model.set_weights(old.get_weights())
        return model

    # ----------------------------------------------------------- decoding
    def decode_options(self, beam_width=None, length_penalty=None, no_repeat_ngram=None):
        """`(beam_width, length_penalty, no_repeat_ngram)`, the config's
        where an argument is None."""
        config = self.config
        return (
            config.beam_width if beam_width is None else beam_width,
            config.length_penalty if length_penalty is None else length_penalty,
            config.no_repeat_ngram if no_repeat_ngram is None else no_repeat_ngram,
        )

    def search_in_batches(self, inputs, max_length, beam_width, length_penalty, no_repeat_ngram, trim=None):
        """Token ids `(N, L)` of the best output for each of `inputs`
        (ids or images), `decode_batch_size` at a time; `trim(batch)` may
        cut a batch first (all-padding columns)."""
        outputs = []
        for start in range(0, len(inputs), self.decode_batch_size):
            batch = inputs[start : start + self.decode_batch_size]
            batch = trim(batch) if trim is not None else batch
            outputs.append(self.search(batch, max_length, beam_width, length_penalty, no_repeat_ngram))
        width = max(o.shape[1] for o in outputs)
        return np.concatenate([np.pad(o, [(0, 0), (0, width - o.shape[1])]) for o in outputs])

    def greedy_and_beam(self, decode, beam_width=None):
        """`{"greedy": outputs, "beam": outputs}` of `decode(width)` at beam
        width 1 and `beam_width` (the config's by default), and the width."""
        beam_width = self.decode_options(beam_width)[0]
        return {"greedy": decode(1), "beam": decode(beam_width)}, beam_width
