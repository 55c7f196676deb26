"""SavedModel export of a translator: sentences in, translations out."""

import tensorflow as tf

from keras_seq.data.word_vocabulary import END_ID, START_ID
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
        self.backbone, self.preprocessor = translator.backbone, translator.preprocessor
        self.model = translator.model  # tracked: the weights
        self.source_table = self.preprocessor.source_vocab.lookup_table()  # its own: tracked by this module
        self.target_words = tf.constant(self.preprocessor.target_vocab.output_words())
        self.max_length = translator.config.max_length
        self.beam_width, self.length_penalty, self.no_repeat_ngram = translator.decode_options()  # the config's

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="sentences")])
    def translate(self, sentences):
        ids = self.preprocessor.tf_encode_sources(sentences, self.source_table)  # (B, Ts)
        ids = tf.pad(ids, [[0, 0], [0, 1]])  # at least one column; a zero column is masked
        memory, state = self.backbone.encode(ids)
        text = beam_search_text(
            self.backbone.step, state, memory, self.target_words, 2 * self.max_length, self.beam_width,
            self.length_penalty, START_ID, END_ID, self.no_repeat_ngram,
        )  # fmt: skip
        text = self.preprocessor.tf_decode(text)
        empty = tf.strings.length(tf.strings.strip(sentences)) == 0
        return tf.where(empty, "", text)
