"""SavedModel export of a translator: sentences in, translations out."""

import tensorflow as tf

from keras_seq.data import tf_detokenize, tf_normalize
from keras_seq.data.word_vocabulary import END_ID, SPECIAL, START_ID
from keras_seq.export import beam_search_text


class TranslatorModule(tf.Module):
    """Serving module: normalization, word or subword lookup, the encoder,
    beam search and detokenization all run in the graph (core TensorFlow
    ops only).

    Signature `translate(sentences: string[B]) -> string[B]`, beam search
    with the config's beam width, length penalty and n-gram ban. Unknown words
    (characters, with subwords) map to `[UNK]`; an empty sentence gives an empty translation; sentences longer
    than `max_length` tokens are truncated.
    """

    signatures = ("translate",)  # what `Task.export` serves

    def __init__(self, translator):
        super().__init__()
        self.translator = translator
        self.model = translator.model  # tracked: the weights
        self.source_table = translator.source_vocab.lookup_table()
        self.target_words = tf.constant([""] * len(SPECIAL) + translator.target_vocab.words)
        self.max_length = translator.config.max_length
        self.lowercase = translator.config.lowercase
        self.beam_width = translator.config.beam_width
        self.length_penalty = translator.config.length_penalty
        self.no_repeat_ngram = translator.config.no_repeat_ngram

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="sentences")])
    def translate(self, sentences):
        words = tf.strings.split(tf_normalize(sentences, self.lowercase))  # ragged (B, W)
        ids = self.translator.source_vocab.tf_encode(self.source_table, words)[:, : self.max_length].to_tensor(
            0
        )  # (B, Ts)
        ids = tf.pad(ids, [[0, 0], [0, 1]])  # at least one column; a zero column is masked
        memory, state = self.translator.encode(ids)
        text = beam_search_text(
            self.translator.step, state, memory, self.target_words, 2 * self.max_length, self.beam_width,
            self.length_penalty, START_ID, END_ID, self.no_repeat_ngram,
        )  # fmt: skip
        text = tf_detokenize(self.translator.target_vocab.tf_join(text))
        empty = tf.strings.length(tf.strings.strip(sentences)) == 0
        return tf.where(empty, "", text)
