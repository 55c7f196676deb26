"""A WordPiece subword vocabulary, learned from the data, that splits words
the same way in Python and in TensorFlow string ops (inside exports)."""

from keras_seq.data.word_vocabulary import SPECIAL, UNK, UNK_ID, WordVocabulary

CONTINUATION = "##"  # marks a piece that continues a word


class SubwordVocabulary(WordVocabulary):
    """Pieces of words <-> ids, with `[PAD]`=0, `[UNK]`=1, `[START]`=2,
    `[END]`=3: a `WordVocabulary` whose words are split into pieces
    (`encode` and `decode` are inherited; they call this class' `split`
    and `join`).

    A word is split greedily into the longest pieces of the vocabulary,
    left to right (WordPiece); a piece after the first is written with a
    `##` prefix (e.g. `"Baumwolle"` -> `Baum ##wol ##le`). Every character of the
    training data is a piece both at the start of a word and inside one, so
    only a character never seen in training becomes `[UNK]` (that character
    alone, not its word). Case is whatever the sentences have.

    The vocabulary is learned with the WordPiece trainer of Hugging Face
    `tokenizers` (a Rust library: seconds for a corpus of 30,000
    sentences); splitting runs in plain Python for training data and in
    core TensorFlow ops (a hash table, `tf.strings.substr`, a while loop)
    inside a SavedModel, so serving loads no custom ops. The pieces travel
    inside a model's config as `words`, like a `WordVocabulary`'s.

    Args:
        words: the regular pieces (ids 4, 5, ...), continuation pieces with
            their `##` prefix.

    Examples:
        >>> vocab = SubwordVocabulary.build(["a cat", "a catalog"], max_size=40)
        >>> vocab.decode(vocab.encode("a tall cat at a catalog"))  # "tall": pieces
        'a tall cat at a catalog'
    """

    def __init__(self, words):
        super().__init__(words)
        self._pieces = {}  # word -> its ids, filled as words come
        self.longest = max(
            [len(t) - (len(CONTINUATION) if t.startswith(CONTINUATION) else 0) for t in self.words] + [1]
        )

    @classmethod
    def build(cls, sentences, max_size):
        """A vocabulary of about `max_size` pieces (the special tokens
        included) for normalized `sentences` (words separated by spaces);
        every character of them is added in both forms, which may take it
        past `max_size` when the characters alone are that many."""
        from tokenizers import Tokenizer, models, pre_tokenizers, trainers

        tokenizer = Tokenizer(models.WordPiece(unk_token=UNK, continuing_subword_prefix=CONTINUATION))
        tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
        trainer = trainers.WordPieceTrainer(
            vocab_size=max_size, special_tokens=SPECIAL, continuing_subword_prefix=CONTINUATION, show_progress=False
        )
        tokenizer.train_from_iterator(sentences, trainer)
        learned = tokenizer.get_vocab()
        pieces = sorted((t for t in learned if t not in SPECIAL), key=learned.get)
        characters = sorted({c for s in sentences for c in s if not c.isspace()})
        missing = [p for c in characters for p in (c, CONTINUATION + c) if p not in learned]
        return cls(pieces + missing)

    def split(self, word):
        """One word -> the ids of its pieces (longest first, left to right;
        a character without a piece -> `[UNK]`)."""
        if word in self._pieces:
            return self._pieces[word]
        ids, start = [], 0
        while start < len(word):
            prefix = CONTINUATION if start else ""
            for end in range(min(len(word), start + self.longest), start, -1):
                found = self._ids.get(prefix + word[start:end])
                if found is not None:
                    ids.append(found)
                    start = end
                    break
            else:
                ids.append(UNK_ID)
                start += 1
        if len(self._pieces) < 500_000:  # a bound for endless streams of new words
            self._pieces[word] = ids
        return ids

    @staticmethod
    def join(text):
        """Pieces joined by spaces -> words (`"Gitarre ##n"` -> `"Gitarren"`)."""
        return text.replace(" " + CONTINUATION, "")

    @staticmethod
    def tf_join(texts):
        """`join` for a string tensor."""
        import tensorflow as tf  # export

        return tf.strings.regex_replace(texts, " " + CONTINUATION, "")

    def lookup_table(self):
        """A `tf.lookup.StaticHashTable` from piece to id (-1 for the rest),
        for `tf_encode`."""
        import tensorflow as tf  # export

        ids = tf.range(len(SPECIAL), self.size, dtype=tf.int32)
        return tf.lookup.StaticHashTable(
            tf.lookup.KeyValueTensorInitializer(tf.constant(self.words, tf.string), ids), default_value=-1
        )

    def tf_encode(self, table, words):
        """`split` in TensorFlow ops: words `(B, W)` (ragged strings) ->
        piece ids `(B, T)` (ragged int32), with the `lookup_table`."""
        import tensorflow as tf  # export

        flat = words.flat_values  # (N,)
        lengths = tf.strings.length(flat, unit="UTF8_CHAR")  # (N,)
        spans = tf.range(self.longest, 0, -1)  # (L,), longest first

        def piece(start):
            """Each word's longest piece from `start` -> (id, its length)."""
            shape = [tf.size(flat), self.longest]
            candidates = tf.strings.substr(
                tf.broadcast_to(flat[:, None], shape),
                tf.broadcast_to(start[:, None], shape),
                tf.broadcast_to(spans[None], shape),
                unit="UTF8_CHAR",
            )  # (N, L)
            candidates = tf.where(start[:, None] > 0, CONTINUATION + candidates, candidates)
            found = table.lookup(candidates)  # (N, L), -1: not a piece
            fits = spans[None] <= (lengths - start)[:, None]  # (N, L), no piece past the word's end
            hit = (found >= 0) & fits
            first = tf.argmax(tf.cast(hit, tf.int32), axis=1, output_type=tf.int32)  # (N,), the longest hit
            any_hit = tf.reduce_any(hit, axis=1)
            ids = tf.where(any_hit, tf.gather(found, first, batch_dims=1), UNK_ID)
            return ids, tf.where(any_hit, tf.gather(spans, first), 1)

        def body(step, start, pieces, valid):
            done = start >= lengths  # (N,)
            ids, span = piece(start)
            return step + 1, tf.where(done, start, start + span), pieces.write(step, ids), valid.write(step, ~done)

        steps = tf.maximum(tf.reduce_max(tf.concat([lengths, [0]], 0)), 1)  # one step even for no words
        _, _, pieces, valid = tf.while_loop(
            lambda step, *_: step < steps,
            body,
            (
                0,
                tf.zeros_like(lengths),
                tf.TensorArray(tf.int32, size=steps, element_shape=[None]),
                tf.TensorArray(tf.bool, size=steps, element_shape=[None]),
            ),
        )
        pieces = tf.transpose(pieces.stack())  # (N, S), S = the longest word's characters
        valid = tf.transpose(valid.stack())  # (N, S)
        per_word = tf.ragged.boolean_mask(pieces, valid)  # (N, pieces)
        return words.with_flat_values(per_word).merge_dims(1, 2)  # (B, T)
