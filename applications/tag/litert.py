"""LiteRT export of a tagger: word, character and case ids in, tag ids out, the Viterbi decoding inside."""

import tensorflow as tf

from keras_seq.applications.tag.preprocessor import CASES
from keras_seq.export.litert import convert_function
from keras_seq.ops.crf import crf_decode

# how a caller maps a sentence to the model's ids, written beside the .tflite file
HOW_TO_ENCODE = (
    "Tokens: put spaces around punctuation and split on whitespace (at most max_length tokens). word_ids "
    "[1, max_length]: the index in words of the token lower-cased with each digit written 0, 1 for an unknown word. "
    "char_ids [1, max_length, max_word_length]: the indices in chars of its first max_word_length characters, 1 "
    "for an unknown one. case_ids [1, max_length]: the index in cases of the first that holds: lower (all "
    "lower-case letters), title, upper, digits (all digits), has_digit, else other. 0 pads all three. The model "
    "returns tag_ids [1, max_length], indices into tags (those on the padding mean nothing)."
)


class TaggerLiteRT:
    """The tagger's network and its decoding for LiteRT: `word_ids`,
    `char_ids` and `case_ids` of one sentence of `max_length` tokens in,
    `tag_ids` out (Viterbi over the CRF's scores, or the most probable tag
    of a softmax head). Bidirectional LSTMs become the fused op (each
    sentence's own words reversed for the backward direction), GRUs and
    the Viterbi recursion `WHILE` loops of built-in ops; padding is masked.

    Args:
        tagger: a `Tagger`.
    """

    def __init__(self, tagger):
        self.model, self.tagger = tagger.model, tagger
        self.crf = tagger.config.head == "crf"
        self.length, self.word_length = tagger.config.max_length, tagger.config.max_word_length

    def write(self, path, quantize="none"):
        """Convert to `path` (see `keras_seq.export.litert.convert_function`)."""
        t, w = self.length, self.word_length
        specs = [
            tf.TensorSpec([1, t], tf.int32, name="word_ids"),
            tf.TensorSpec([1, t, w], tf.int32, name="char_ids"),
            tf.TensorSpec([1, t], tf.int32, name="case_ids"),
        ]

        def run(word_ids, char_ids, case_ids):
            outputs = self.model([word_ids, char_ids, case_ids], training=False)
            ids = crf_decode(outputs)[0] if self.crf else tf.argmax(outputs, axis=-1, output_type=tf.int32)  # (1, T)
            return {"tag_ids": ids}

        return convert_function(run, specs, path, quantize, variables=self.model.variables)

    def assets(self):
        """`vocabulary.json`: the words, characters, cases and tags, and how
        a caller maps a sentence to ids."""
        assets, sizes = self.tagger.assets, {"max_length": self.length, "max_word_length": self.word_length}
        vocabularies = {"words": assets["words"], "chars": assets["chars"], "cases": list(CASES)}
        return {
            "vocabulary.json": {**sizes, **vocabularies, "tags": list(self.tagger.config.tags), "how": HOW_TO_ENCODE}
        }
