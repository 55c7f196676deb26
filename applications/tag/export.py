"""SavedModel export of a tagger: raw strings in, tokens and tags out."""

import tensorflow as tf

from keras_seq.ops.crf import crf_decode


class TaggerModule(tf.Module):
    """Serving module: the tokenizer, the vocabulary lookups, the model and
    the Viterbi decoding all run in the graph.

    Signatures `tag(texts: string[B]) -> {"tokens": string[B, T], "tags":
    string[B, T], "lengths": int32[B]}` and `serving_default` (the same):
    padded with `""` after each text's `lengths` tokens.
    """

    signatures = ("tag", "serving_default")  # what `Task.export` serves

    def __init__(self, tagger):
        super().__init__()
        self.preprocessor = tagger.preprocessor
        self.model = tagger.model  # tracked: the weights
        self.tables = [self.preprocessor.word_table, self.preprocessor.char_table]  # tracked: the lookups
        self.names = tf.constant(tagger.config.tags)
        self.crf = tagger.config.head == "crf"

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="texts")])
    def tag(self, texts):
        tokens = self.preprocessor.tokenize(texts)[:, : self.preprocessor.config.max_length]  # ragged (B, None)
        outputs = self.model(list(self.preprocessor.encode(tokens)), training=False)
        ids = crf_decode(outputs)[0] if self.crf else tf.argmax(outputs, axis=-1, output_type=tf.int32)  # (B, T)
        words = tokens.to_tensor("")  # (B, T)
        ids = ids[:, : tf.shape(words)[1]]  # the encoding pads T further (to a bucket width)
        lengths = tf.cast(tokens.row_lengths(), tf.int32)  # (B,)
        real = tf.sequence_mask(lengths, tf.shape(ids)[1])  # (B, T)
        tags = tf.where(real, tf.gather(self.names, ids), "")
        return {"tokens": words, "tags": tags, "lengths": lengths}

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="texts")])
    def serving_default(self, texts):
        return self.tag(texts)
