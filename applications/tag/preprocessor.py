"""The tagger's preprocessor: the tokenizer, the word and character
vocabularies and the case features, in TensorFlow ops, so that training,
`Tagger.tag` and the export read text alike.

Tokens: runs of letters, digits and marks split at whitespace, and every
other character (punctuation, symbols) a token of its own: `"Paris, 1990."`
is `["Paris", ",", "1990", "."]`. A user who has tokens already passes
lists of tokens instead.

Word ids look up the lowercased word with its digits as 0 (`"1990"` is
`"0000"`); characters keep their case; the case feature says what the
lowercasing hid.
"""

import collections

import numpy as np
import tensorflow as tf  # the data pipeline and the export read text with the same ops

PAD, UNK = "[PAD]", "[UNK]"
CASES = ("pad", "lower", "title", "upper", "digits", "has_digit", "other")
SEPARATE = r"([^\pL\pN\pM\s])"  # RE2: a character that is no letter, digit, mark or space


def word_key(word):
    """The word as its embedding sees it: lowercase, digits 0 (Python)."""
    return "".join("0" if c.isdigit() and c.isascii() else c for c in word.lower())


def build_vocabularies(sentences, max_words, min_count):
    """`(words, chars)`: the word keys seen at least `min_count` times, most
    frequent first (at most `max_words`), and every character seen, each
    list after `[PAD]` and `[UNK]`."""
    counts = collections.Counter(word_key(w) for row in sentences for w in row)
    frequent = [w for w, c in counts.most_common() if c >= min_count and w not in (PAD, UNK)]
    chars = collections.Counter(c for row in sentences for w in row for c in w)
    return [PAD, UNK] + frequent[: max(0, max_words - 2)], [PAD, UNK] + sorted(chars)


def first_rare(words, sentences):
    """The index of the first word of `words` (most frequent first) that
    the sentences hold only once; `len(words)` if none."""
    counts = collections.Counter(word_key(w) for row in sentences for w in row)
    return next((i for i, w in enumerate(words[2:], 2) if counts[w] <= 1), len(words))


class TaggerPreprocessor:
    """Strings to the model's inputs: word ids `(B, T)`, character ids
    `(B, T, C)` and case ids `(B, T)`, 0 at padding.

    Args:
        config: a `TaggerConfig` (`max_length`, `max_word_length`).
        words, chars: the vocabularies (`[PAD]` and `[UNK]` first).

    Examples:
        >>> pre = TaggerPreprocessor(config, words, chars)
        >>> tokens = pre.tokenize(tf.constant(["John lives in Paris."]))  # ragged (B, None)
        >>> word_ids, char_ids, case_ids = pre.encode(tokens)
    """

    def __init__(self, config, words, chars):
        self.config, self.words, self.chars = config, list(words), list(chars)
        self.widths = bucket_widths(max(config.max_length, config.max_word_length))
        self.word_table = self._table(self.words)
        self.char_table = self._table(self.chars)

    @staticmethod
    def _table(keys):
        init = tf.lookup.KeyValueTensorInitializer(
            tf.constant(keys[2:], tf.string), tf.range(2, len(keys), dtype=tf.int64)
        )
        return tf.lookup.StaticHashTable(init, default_value=1)  # 1: [UNK]

    # -------------------------------------------------------------- tokens
    def tokenize(self, texts):
        """A ragged `(B, None)` string tensor of the texts' tokens."""
        spaced = tf.strings.regex_replace(texts, SEPARATE, r" \1 ")
        return tf.strings.split(spaced)

    def encode(self, tokens):
        """Ragged tokens `(B, None)` -> `(word_ids, char_ids, case_ids)`,
        dense and padded with 0: the longest row's length (at most
        `max_length`) rounded up to one of `bucket_widths`, and its longest
        word's characters (at most `max_word_length`) likewise, so that a
        run meets few distinct shapes."""
        tokens = tokens[:, : self.config.max_length]
        keys = tf.strings.regex_replace(tf.strings.lower(tokens, encoding="utf-8"), "[0-9]", "0")
        word_ids = tf.ragged.map_flat_values(self.word_table.lookup, keys)
        chars = tf.strings.unicode_split(tokens, "UTF-8")[:, :, : self.config.max_word_length]  # (B, T, C) ragged
        char_ids = tf.ragged.map_flat_values(self.char_table.lookup, chars)
        cases = tf.ragged.map_flat_values(self._cases, tokens)
        word_ids, char_ids, cases = word_ids.to_tensor(0), char_ids.to_tensor(0), cases.to_tensor(0)
        # widths rounded up to the next of a few sizes (`bucket_widths`), so
        # that the recurrent kernels (XLA, compiled per shape) compile a few
        # times, not once for every sentence length
        steps = self._bucket(tf.shape(word_ids)[1])
        letters = tf.minimum(self._bucket(tf.shape(char_ids)[2]), self.config.max_word_length)  # never below C
        word_ids = tf.pad(word_ids, [[0, 0], [0, steps - tf.shape(word_ids)[1]]])  # (B, T)
        cases = tf.pad(cases, [[0, 0], [0, steps - tf.shape(cases)[1]]])  # (B, T)
        char_ids = tf.pad(char_ids, [[0, 0], [0, steps - tf.shape(char_ids)[1]], [0, letters - tf.shape(char_ids)[2]]])
        return tf.cast(word_ids, "int32"), tf.cast(char_ids, "int32"), tf.cast(cases, "int32")  # (B,T) (B,T,C) (B,T)

    def _bucket(self, width):
        """The smallest bucket width >= `width` (a scalar int32 tensor)."""
        widths = tf.constant(self.widths, tf.int32)
        return widths[tf.searchsorted(widths, tf.reshape(width, (1,)))[0]]

    def _cases(self, tokens):
        rules = [  # the first rule that holds names the case
            ("lower", r"\p{Ll}+"),
            ("title", r"\p{Lu}\p{Ll}*"),
            ("upper", r"\p{Lu}+"),
            ("digits", r"[0-9]+"),
            ("has_digit", r".*[0-9].*"),
        ]
        case = tf.fill(tf.shape(tokens), CASES.index("other"))
        for name, pattern in reversed(rules):
            case = tf.where(tf.strings.regex_full_match(tokens, pattern), CASES.index(name), case)
        return case

    def encode_sentences(self, sentences):
        """Lists of tokens -> `(word_ids, char_ids, case_ids)` numpy arrays."""
        tokens = tf.ragged.constant([list(row) for row in sentences], dtype=tf.string, inner_shape=())
        return tuple(x.numpy() for x in self.encode(tokens))


def bucket_widths(limit):
    """The widths a batch is padded to: 1 to 7, then four a doubling (8,
    10, 12, 14, 16, 20, 24, 28, 32, 40 ...), up to the first >= `limit`.
    At most a quarter of a batch is extra padding, and a run meets about
    20 shapes, not one for every sentence length."""
    widths = list(range(1, 8))
    size = 8
    while widths[-1] < limit:
        widths += [size + i * size // 4 for i in range(4)]
        size *= 2
    return [w for w in widths if w < limit] + [next(w for w in widths if w >= limit)]


def split_long(sentences, tags, max_length):
    """Sentences longer than `max_length` cut into pieces of at most that
    many tokens. Returns `(sentences, tags, how_many_were_split)`."""
    out_s, out_t, split = [], [], 0
    for words, row in zip(sentences, tags):
        if len(words) <= max_length:
            out_s.append(words)
            out_t.append(row)
            continue
        split += 1
        for start in range(0, len(words), max_length):
            out_s.append(words[start : start + max_length])
            out_t.append(row[start : start + max_length])
    return out_s, out_t, split


def tag_ids(tags, tag_names, max_length=None):
    """Tag names -> ids `(N, T)` padded with 0, T the longest row."""
    index = {t: i for i, t in enumerate(tag_names)}
    width = max(len(row) for row in tags) if max_length is None else max_length
    out = np.zeros((len(tags), width), "int32")
    for i, row in enumerate(tags):
        out[i, : len(row)] = [index[t] for t in row[:width]]
    return out
