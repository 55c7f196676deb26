"""A word vocabulary with padding, unknown, start and end tokens."""

import collections

import numpy as np

PAD, UNK, START, END = "[PAD]", "[UNK]", "[START]", "[END]"
SPECIAL = [PAD, UNK, START, END]
PAD_ID, UNK_ID, START_ID, END_ID = 0, 1, 2, 3


class WordVocabulary:
    """Token <-> id, with `[PAD]`=0, `[UNK]`=1, `[START]`=2, `[END]`=3.

    Sentences are normalized text (`keras_seq.data.normalize`): tokens
    separated by single spaces. The vocabulary travels inside a model's
    config as `words` (its regular tokens), so a `.keras` file needs no
    side file.

    Args:
        words: the regular tokens, most frequent first (ids 4, 5, ...).

    Examples:
        >>> vocab = WordVocabulary.build(["a cat", "a dog"], max_size=10)
        >>> vocab.encode("a cat sat").tolist(), vocab.decode([4, 5, 3, 6])
        ([4, 5, 1], 'a cat')
    """

    def __init__(self, words):
        self.tokens = SPECIAL + [t for t in words if t not in SPECIAL]
        self._ids = {t: i for i, t in enumerate(self.tokens)}

    @classmethod
    def build(cls, sentences, max_size):
        """The `max_size` most frequent tokens of normalized `sentences`
        (the special tokens included in the count)."""
        counts = collections.Counter(token for s in sentences for token in s.split())
        ordered = sorted(counts, key=lambda t: (-counts[t], t))
        return cls(ordered[: max(0, max_size - len(SPECIAL))])

    @property
    def words(self):
        """The regular tokens, in id order (what rebuilds the vocabulary)."""
        return self.tokens[len(SPECIAL) :]

    @property
    def size(self):
        return len(self.tokens)

    def split(self, word):
        """One word -> its ids: `[its id]`, or `[[UNK]]` for an unknown word
        (a `SubwordVocabulary` gives the ids of its pieces)."""
        return [self._ids.get(word, UNK_ID)]

    def encode(self, sentence, max_length=None, add_end=False):
        """A normalized sentence -> int32 ids (`split` word by word)."""
        ids = [i for word in sentence.split() for i in self.split(word)]
        if max_length is not None:
            ids = ids[: max_length - (1 if add_end else 0)]
        if add_end:
            ids.append(END_ID)
        return np.array(ids, dtype=np.int32)

    def decode(self, ids):
        """Ids -> text, stopping at `[END]` and skipping `[PAD]`/`[START]`."""
        out = []
        for i in np.asarray(ids).ravel():
            i = int(i)
            if i == END_ID:
                break
            if i in (PAD_ID, START_ID):
                continue
            out.append(self.tokens[i] if 0 <= i < len(self.tokens) else UNK)
        return self.join(" ".join(out))

    def output_words(self):
        """The text of every id as `decode` writes it: nothing for
        `[PAD]`, `[START]` and `[END]`, `[UNK]` for unknown, the token
        otherwise (what an export's decoding joins)."""
        return ["", UNK, "", ""] + self.words

    @staticmethod
    def join(text):
        """Tokens joined by spaces, as they are (a `SubwordVocabulary` joins
        its pieces into words here)."""
        return text

    @staticmethod
    def tf_join(texts):
        """`join` for a string tensor."""
        return texts

    def lookup_table(self):
        """A `tf.lookup.StaticHashTable` from word to id (`[UNK]` for the
        rest), for the same lookup inside an export."""
        import tensorflow as tf  # export

        words = self.words
        ids = tf.range(len(SPECIAL), len(SPECIAL) + len(words), dtype=tf.int32)
        return tf.lookup.StaticHashTable(
            tf.lookup.KeyValueTensorInitializer(tf.constant(words, tf.string), ids), default_value=UNK_ID
        )

    def tf_encode(self, table, words):
        """`encode` in TensorFlow ops: words `(B, W)` (ragged strings) ->
        ids `(B, W)` (ragged int32), with the `lookup_table`."""
        import tensorflow as tf  # export

        return tf.ragged.map_flat_values(table.lookup, words)
