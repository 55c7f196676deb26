"""Word-level text handling for the translator: normalization and vocabularies.

The same normalization runs in Python (training data) and in TensorFlow
string ops (inside the exported SavedModel), so that serving sees the
tokens training saw: lowercase, punctuation split off as its own token,
whitespace collapsed.
"""

import collections
import json
import re

import numpy as np

PUNCTUATION = r"""([.,!?;:"()\[\]{}¿¡«»„“”…])"""
PAD, UNK, START, END = "[PAD]", "[UNK]", "[START]", "[END]"
SPECIAL = [PAD, UNK, START, END]
PAD_ID, UNK_ID, START_ID, END_ID = 0, 1, 2, 3


def normalize(text):
    """`"Hello, World!" -> "hello , world !"`."""
    text = re.sub(PUNCTUATION, r" \1 ", text.lower())
    return " ".join(text.split())


def tf_normalize(texts):
    """`normalize` with TensorFlow string ops, for a string tensor."""
    import tensorflow as tf

    texts = tf.strings.lower(texts, encoding="utf-8")
    texts = tf.strings.regex_replace(texts, PUNCTUATION, r" \1 ")
    texts = tf.strings.regex_replace(texts, r"\s+", " ")
    return tf.strings.strip(texts)


class WordVocabulary:
    """Token <-> id, with `[PAD]`=0, `[UNK]`=1, `[START]`=2, `[END]`=3.

    Args:
        tokens: the regular tokens, most frequent first (ids 4, 5, ...).
    """

    def __init__(self, tokens):
        self.tokens = SPECIAL + [t for t in tokens if t not in SPECIAL]
        self._ids = {t: i for i, t in enumerate(self.tokens)}

    @classmethod
    def build(cls, sentences, max_size):
        """The `max_size` most frequent tokens of normalized `sentences`."""
        counts = collections.Counter(token for s in sentences for token in s.split())
        ordered = sorted(counts, key=lambda t: (-counts[t], t))
        return cls(ordered[: max(0, max_size - len(SPECIAL))])

    @property
    def size(self):
        return len(self.tokens)

    def encode(self, sentence, max_length=None, add_end=False):
        """A normalized sentence -> int32 ids (unknown words -> `[UNK]`)."""
        ids = [self._ids.get(t, UNK_ID) for t in sentence.split()]
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
        return " ".join(out)

    def save(self, path):
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.tokens[len(SPECIAL):], f, ensure_ascii=False)

    @classmethod
    def load(cls, path):
        with open(path, encoding="utf-8") as f:
            return cls(json.load(f))
