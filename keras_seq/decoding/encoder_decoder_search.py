"""Greedy and beam search over an encoder-decoder, compiled once per beam width."""

from keras import ops

from keras_seq.decoding.beam_search import beam_search
from keras_seq.decoding.greedy import greedy_search
from keras_seq.limits import MAX_BEAM_WIDTH, MAX_DECODE_LENGTH


def attention_decoder_step(cell, embedding, project):
    """The step function of an attention decoder: `(tokens (B,), state,
    memory) -> (logits (B, V), state)`, from its `AttentionDecoderCell`,
    the embedding of its input tokens and the layer that scores the
    vocabulary (what a translator or a captioner decodes with).

    Examples:
        >>> step = attention_decoder_step(decoder.cell, model.get_layer("target_embedding"), model.get_layer("logits"))
    """

    def step(tokens, state, memory):
        out, state = cell(embedding(tokens), state, memory=memory)
        attentional, _ = cell.split_output(out)  # (B, A)
        return project(attentional), state

    return step


class EncoderDecoderSearch:
    """Decodes a batch of inputs with an encoder and a step function.

    What a translator, a captioner or any encoder-decoder shares: the
    encoder runs once over the inputs, then `greedy_search` (beam width 1)
    or `beam_search` runs the decoder's step inside one compiled loop. One
    compiled function is kept per beam width, and new lengths or length
    penalties do not retrace it.

    Args:
        encode: `inputs -> (memory, state)`: the decoder's constants (for
            example `cell.prepare_memory(...)`) and its initial state.
        step: `(tokens (B,), state, memory) -> (logits (B, V), state)`.
        start_id, end_id: the start token fed first, and the end token.

    Call arguments:
        inputs: a batch for `encode` (ids `(B, T)`, images `(B, H, W, C)`).
        max_length: int, tokens to generate at most.
        beam_width: int >= 1; 1 is greedy search.
        length_penalty: GNMT alpha >= 0 (beam search only).
        no_repeat_ngram: 0 (off), or n >= 2: no output repeats one of its
            own n-grams (`beam_search`'s; with `beam_width=1`, a greedy
            search under the same ban).

    Returns:
        int32 numpy tokens `(B, L)`: the best hypothesis of each input
        (padded after its end token).

    Examples:
        >>> search = EncoderDecoderSearch(translator.encode, translator.step, START_ID, END_ID)
        >>> tokens = search(source_ids, max_length=40, beam_width=5, length_penalty=0.6)
    """

    def __init__(self, encode, step, start_id, end_id):
        import tensorflow as tf  # compilation of the decoding loop

        self.encode, self.step = encode, step
        self.start_id, self.end_id = int(start_id), int(end_id)
        self._tf = tf
        self._greedy = tf.function(self._greedy_tokens, reduce_retracing=True)
        self._beams = {}

    def _start(self, inputs):
        return ops.full((ops.shape(inputs)[0],), self.start_id, dtype="int32")

    def _greedy_tokens(self, inputs, max_length):
        memory, state = self.encode(inputs)
        return greedy_search(
            self.step, state, self._start(inputs), max_length, end_token=self.end_id, constants=memory
        )[0]

    def beam_function(self, beam_width, no_repeat_ngram=0):
        """The compiled `(inputs, max_length, length_penalty) -> (tokens (B, K, L), scores (B, K))`."""
        key = (beam_width, no_repeat_ngram)
        if key not in self._beams:

            def run(inputs, max_length, length_penalty):
                memory, state = self.encode(inputs)
                out = beam_search(
                    self.step, state, self._start(inputs), max_length, end_token=self.end_id, beam_width=beam_width,
                    length_penalty=length_penalty, constants=memory, no_repeat_ngram=no_repeat_ngram,
                )  # fmt: skip
                return out["tokens"], out["scores"]

            self._beams[key] = self._tf.function(run, reduce_retracing=True)
        return self._beams[key]

    def __call__(self, inputs, max_length, beam_width=1, length_penalty=0.0, no_repeat_ngram=0):
        if isinstance(beam_width, bool) or int(beam_width) != beam_width or not 1 <= beam_width <= MAX_BEAM_WIDTH:
            raise ValueError(f"beam_width must be an integer from 1 to {MAX_BEAM_WIDTH}; got {beam_width!r}")
        if not 0 <= float(length_penalty) < float("inf"):
            raise ValueError(f"length_penalty must be a finite number >= 0; got {length_penalty!r}")
        if isinstance(max_length, bool) or int(max_length) != max_length or not 1 <= max_length <= MAX_DECODE_LENGTH:
            raise ValueError(f"max_length must be an integer from 1 to {MAX_DECODE_LENGTH}; got {max_length!r}")
        if (
            isinstance(no_repeat_ngram, bool)
            or int(no_repeat_ngram) != no_repeat_ngram
            or no_repeat_ngram == 1
            or not 0 <= no_repeat_ngram <= MAX_DECODE_LENGTH
        ):
            raise ValueError(
                f"no_repeat_ngram must be 0 (off) or an integer from 2 to {MAX_DECODE_LENGTH}; got {no_repeat_ngram!r}"
            )
        tf = self._tf
        limit = tf.constant(int(max_length))
        if int(beam_width) == 1 and not no_repeat_ngram:
            return self._greedy(inputs, limit).numpy()
        search = self.beam_function(
            int(beam_width), int(no_repeat_ngram)
        )  # a width of 1 with the ban: greedy that never repeats
        tokens, _ = search(inputs, limit, tf.constant(float(length_penalty), tf.float32))
        return tokens.numpy()[:, 0]
