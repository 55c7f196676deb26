"""SavedModel export of a translator: sentences in, translations out."""

import os
import shutil
import tempfile

import tensorflow as tf

from keras_seq.applications.translate.text import END_ID, SPECIAL, START_ID, UNK_ID, tf_normalize
from keras_seq.decoding import beam_search
from keras_seq.files import replace_dir


class TranslatorModule(tf.Module):
    """Serving module: normalization, word lookup, the encoder, beam search
    and detokenization all run in the graph.

    Signature `translate(sentences: string[B]) -> string[B]`, beam search
    with the config's beam width and length penalty. Unknown words map to
    `[UNK]`; an empty sentence gives an empty translation; sentences longer
    than `max_length` tokens are truncated.
    """

    def __init__(self, translator):
        super().__init__()
        self.translator = translator
        self.model = translator.model  # tracked: the weights
        words = translator.source_vocab.tokens[len(SPECIAL):]
        self.source_table = tf.lookup.StaticHashTable(
            tf.lookup.KeyValueTensorInitializer(tf.constant(words, tf.string), tf.range(len(SPECIAL), len(SPECIAL) + len(words), dtype=tf.int32)),
            default_value=UNK_ID,
        )
        self.target_words = tf.constant([""] * len(SPECIAL) + translator.target_vocab.tokens[len(SPECIAL):])
        self.max_length = translator.config.max_length
        self.beam_width = translator.config.beam_width
        self.length_penalty = translator.config.length_penalty

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="sentences")])
    def translate(self, sentences):
        words = tf.strings.split(tf_normalize(sentences))  # ragged (B, None)
        words = words[:, : self.max_length]
        ids = tf.ragged.map_flat_values(self.source_table.lookup, words).to_tensor(0)  # (B, Ts)
        ids = tf.pad(ids, [[0, 0], [0, 1]])  # at least one column; a zero column is masked
        memory, state = self.translator.encode(ids)
        start = tf.fill([tf.shape(ids)[0]], START_ID)
        out = beam_search(self.translator.step, state, start, 2 * self.max_length, end_token=END_ID,
                          beam_width=self.beam_width, length_penalty=self.length_penalty, constants=memory)
        tokens = out["tokens"][:, 0]  # (B, L), best hypothesis
        seen_end = tf.cumsum(tf.cast(tokens == END_ID, tf.int32), axis=1) > 0
        tokens = tf.where(seen_end, 0, tokens)
        text = tf.strings.reduce_join(tf.gather(self.target_words, tokens), axis=-1, separator=" ")
        text = tf.strings.strip(tf.strings.regex_replace(text, r"\s+", " "))
        text = tf.strings.regex_replace(text, r" ([.,!?;:)\]}»“”…])", r"\1")
        empty = tf.strings.length(tf.strings.strip(sentences)) == 0
        return tf.where(empty, "", text)


def export_translator(translator, export_dir):
    """Write the SavedModel through a temporary folder; returns `export_dir`."""
    module = TranslatorModule(translator)
    parent = os.path.dirname(os.path.abspath(export_dir))
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(dir=parent, prefix=".export-")
    try:
        tf.saved_model.save(module, tmp, signatures={"translate": module.translate.get_concrete_function()})
        replace_dir(tmp, export_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return export_dir


__all__ = ["TranslatorModule", "export_translator"]
