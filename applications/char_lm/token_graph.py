"""`TextTokens` in TensorFlow string ops, for the export: the same ids from
the same texts, and the same text from the same ids, with no Python code of
ours at serving time."""

import tensorflow as tf

from keras_seq.data import tf_detokenize, tf_normalize
from keras_seq.data.subword_vocabulary import CONTINUATION


class TokenGraph(tf.Module):
    """The encoding and decoding of a `TextTokens` as graph ops (its lookup
    tables are tracked, so a SavedModel holds them).

    Args:
        tokens: a `TextTokens`.
    """

    def __init__(self, tokens):
        super().__init__()
        self.kind, self.unit = tokens.kind, tokens.unit
        self.vocabulary = tokens.vocabulary
        self.start_id, self.end_id = tokens.start_id, tokens.end_id
        if tokens.kind == "char":
            chars = list(tokens.vocabulary.chars)
            self.table = tf.lookup.StaticHashTable(
                tf.lookup.KeyValueTensorInitializer(tf.constant(chars), tf.range(1, len(chars) + 1, dtype=tf.int32)),
                default_value=0,
            )
            self.id_to_text = tf.constant([""] + chars)
        else:
            self.table = tokens.vocabulary.lookup_table()
            texts = ["", "[UNK]", "", "\n"] + list(tokens.vocabulary.words)  # [PAD], [UNK], [BEGIN], [END], ...
            self.id_to_text = tf.constant(texts)

    def encode(self, texts, sentence=False):
        """Strings `(B,)` -> ragged ids `(B, None)`, as `TextTokens.encode`
        (or `TextTokens.sentence`, its `[END]` appended)."""
        if self.kind == "char":
            ids = tf.ragged.map_flat_values(self.table.lookup, tf.strings.unicode_split(texts, "UTF-8"))
        else:
            lines = tf.strings.split(texts, "\n")  # (B, lines)
            words = tf.strings.split(tf_normalize(lines.flat_values, lowercase=False))  # (N, words)
            line_ids = self.vocabulary.tf_encode(self.table, words)  # (N, tokens)
            ends = tf.fill([tf.shape(line_ids.row_lengths())[0], 1], self.end_id)  # (N, 1)
            line_ids = tf.concat([line_ids, tf.RaggedTensor.from_tensor(ends)], axis=1)  # each line and [END]
            ids = lines.with_flat_values(line_ids).merge_dims(1, 2)[:, :-1]  # (B, None): no [END] after the last
        if sentence:
            ids = tf.concat([ids, tf.RaggedTensor.from_tensor(tf.fill([ids.nrows(), 1], self.end_id))], axis=1)
        return ids

    def text(self, tokens):
        """Generated ids `(B, N)` -> the strings `TextTokens.continuation`
        gives (in sentence mode, up to the first `[END]`)."""
        pieces = tf.gather(self.id_to_text, tokens)  # (B, N)
        if self.unit == "sentence":
            before_end = tf.cumsum(tf.cast(tokens == self.end_id, tf.int32), axis=1) == 0  # (B, N)
            pieces = tf.ragged.boolean_mask(pieces, before_end)
        if self.kind == "char":
            return tf.strings.reduce_join(pieces, axis=-1)
        text = tf.strings.reduce_join(pieces, axis=-1, separator=" ")  # (B,)
        text = tf.strings.regex_replace(text, " *\n *", "\n")  # a line end takes no spaces
        text = tf.strings.regex_replace(tf.strings.regex_replace(text, "  +", " "), "^ +| +$", "")
        if self.kind == "subword":
            continues = tf.strings.regex_full_match(text, CONTINUATION + "(.|\n)*")  # a piece of the prompt's word
            text = self.vocabulary.tf_join(tf.where(continues, tf.strings.substr(text, 2, -1), text))
        else:
            continues = tf.zeros_like(text, tf.bool)
        lines = tf.strings.split(text, "\n")  # (B, lines): detokenized one by one, as `TextTokens.decode` does
        text = tf.strings.reduce_join(lines.with_flat_values(tf_detokenize(lines.flat_values)), axis=-1, separator="\n")
        spaced = "x " + tf.strings.regex_replace(text, "\n(.|\n)*", "")  # its first line after a word
        attached = continues | (tf_detokenize(spaced) != spaced) | tf.strings.regex_full_match(text, "(\n(.|\n)*)?")
        return tf.where(attached, text, " " + text)
