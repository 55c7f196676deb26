"""`TranslatorPreprocessor`: the translator's vocabularies and lookups."""

import warnings

import numpy as np

from keras_seq.data import VOCABULARIES, check_texts, detokenize, normalize, tf_detokenize, tf_normalize


class TranslatorPreprocessor:
    """Sentences to ids and ids to sentences, the same way in Python (the
    task), in training's pipeline and inside the export: normalization,
    the word or subword vocabularies of both languages and their lookup
    tables, truncation to `max_length` tokens, detokenization.

    Args:
        config: the `TranslatorConfig` (`vocabulary`, `lowercase`, `max_length`).
        source_words, target_words: the vocabularies' entries.

    Examples:
        >>> preprocessor = TranslatorPreprocessor(config, source_words, target_words)
        >>> ids = preprocessor.encode_sources(["A man rides a bike."])  # (1, Ts)
    """

    def __init__(self, config, source_words, target_words):
        vocabulary = VOCABULARIES[config.vocabulary]
        self.source_vocab = vocabulary(source_words)
        self.target_vocab = vocabulary(target_words)
        self.max_length, self.lowercase = config.max_length, config.lowercase
        self._tables = None

    # -------------------------------------------------------------- Python
    def encode_sources(self, sentences):
        """Normalized, id-encoded, right-padded sources `(B, Ts)`; empty
        sentences are an error, longer ones are truncated with a warning."""
        normalized = [normalize(s, self.lowercase) for s in check_texts(sentences, "sentence")]
        encoded = [self.source_vocab.encode(s) for s in normalized]
        long = [i + 1 for i, e in enumerate(encoded) if len(e) > self.max_length]
        if long:
            warnings.warn(
                f"{len(long)} sentence(s) (first: number {long[0]}) are longer than {self.max_length} tokens "
                "and were truncated",
                stacklevel=4,
            )
        encoded = [e[: self.max_length] for e in encoded]
        ids = np.zeros((len(encoded), max(len(e) for e in encoded)), np.int32)
        for row, e in enumerate(encoded):
            ids[row, : len(e)] = e
        return ids

    def decode(self, tokens):
        """Target ids `(L,)` -> the sentence (up to `[END]`, detokenized)."""
        return detokenize(self.target_vocab.decode(tokens))

    def normalized_targets(self, targets):
        """Reference sentences as translations are written (case, spacing)."""
        return [detokenize(normalize(t, self.lowercase)) for t in targets]

    # ---------------------------------------------------------- TensorFlow
    def tables(self):
        """`(source table, target table)`: word or piece -> id in the graph,
        made once (for a pipeline in this process)."""
        if self._tables is None:
            self._tables = self.source_vocab.lookup_table(), self.target_vocab.lookup_table()
        return self._tables

    def tf_encode(self, vocab, table, sentences, limit):
        """Sentence strings `(B,)` -> ragged ids `(B, <= limit)`."""
        import tensorflow as tf  # data pipeline and export

        return vocab.tf_encode(table, tf.strings.split(tf_normalize(sentences, self.lowercase)))[:, :limit]

    def tf_encode_sources(self, sentences, table):
        """Sentence strings `(B,)` -> source ids `(B, Ts)`, padded with 0."""
        return self.tf_encode(self.source_vocab, table, sentences, self.max_length).to_tensor(0)

    def tf_decode(self, text):
        """The export's decoded tokens (joined by spaces) -> sentences."""
        return tf_detokenize(self.target_vocab.tf_join(text))

    def encode_batch(self, sources, targets):
        """Sentence strings `(B,)` -> `((source ids, target input ids),
        target ids)`, normalized and looked up as in training."""
        from keras_seq.applications.seq2seq import frame

        source_table, target_table = self.tables()
        source = self.tf_encode_sources(sources, source_table)  # (B, Ts)
        target = self.tf_encode(self.target_vocab, target_table, targets, self.max_length - 1)  # ragged (B, Tt - 1)
        target_in, target_out = frame(target)  # (B, Tt) each
        return (source, target_in), target_out
