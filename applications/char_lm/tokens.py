"""How the language model cuts text into ids: characters, words or subwords.

A text is a sequence of lines. Characters keep the newline as a character;
words and subwords write each line's tokens (`keras_seq.data.normalize`,
cased: punctuation split from words) and the `[END]` token where a newline
was. So every kind predicts the end of a line, and a text's probability
means the same thing whatever the tokens. Generation and scoring start
from the state after a line end (the newline, or `[END]`).

Per-word figures divide by the words of the text itself (its
whitespace-separated words, and one per line end), so char, word and
subword models are compared on one scale.
"""

import numpy as np

from keras_seq.data.char_vocabulary import CharVocabulary
from keras_seq.data.subword_vocabulary import SubwordVocabulary
from keras_seq.data.text import detokenize, normalize
from keras_seq.data.word_vocabulary import END_ID, START_ID, UNK_ID, WordVocabulary
from keras_seq.errors import UserInputError

KINDS = ("char", "word", "subword")


def count_words(text):
    """Whitespace-separated words, and one per line end: the per-word scale."""
    return len(text.split()) + text.count("\n")


class TextTokens:
    """A vocabulary of one kind, with the encoding of texts as lines.

    In sentence mode (`unit="sentence"`) a text starts from `[BEGIN]` (the
    vocabulary's `[START]`) and ends with `[END]`; characters have the
    newline as both.

    Args:
        kind: `"char"`, `"word"` or `"subword"`.
        vocabulary: a `CharVocabulary` (chars), or a `WordVocabulary` /
            `SubwordVocabulary` (words, subwords).
        unit: `"stream"` or `"sentence"`.

    Examples:
        >>> tokens = TextTokens.build("word", "the cat\\nthe dog\\n", max_vocab=100)
        >>> tokens.decode(tokens.encode("the cat\\nthe bird"))
        'the cat\\nthe [UNK]'
    """

    def __init__(self, kind, vocabulary, unit="stream"):
        if kind not in KINDS:
            raise UserInputError(f"unknown tokens {kind!r}; choose from {', '.join(KINDS)}")
        self.kind, self.vocabulary, self.unit = kind, vocabulary, unit
        if kind == "char":
            self.unknown_id = CharVocabulary.UNKNOWN_ID
            self.start_id = self.end_id = int(vocabulary.encode("\n")[0]) if "\n" in vocabulary else 0
        else:
            self.unknown_id, self.end_id = UNK_ID, END_ID
            self.start_id = START_ID if unit == "sentence" else END_ID

    @classmethod
    def build(cls, kind, text, max_vocab, unit="stream"):
        """The vocabulary of `kind` learned from the training `text`
        (words and subwords: at most `max_vocab` ids).

        Raises:
            UserInputError: a word or subword vocabulary with no token.
        """
        if kind == "char":
            return cls(kind, CharVocabulary.from_text(text), unit)
        lines = [normalize(line, lowercase=False) for line in text.split("\n")]
        lines = [line for line in lines if line]
        vocabulary_class = SubwordVocabulary if kind == "subword" else WordVocabulary
        vocabulary = vocabulary_class.build(lines, max_vocab) if lines else vocabulary_class([])
        if not vocabulary.words:
            raise UserInputError(f"--tokens {kind}: the training text gives an empty vocabulary (no words in it)")
        return cls(kind, vocabulary, unit)

    @classmethod
    def from_assets(cls, kind, assets, unit="stream"):
        """The tokens saved in a model's assets (`assets()`)."""
        if kind == "char":
            return cls(kind, CharVocabulary(assets["chars"]), unit)
        return cls(kind, (SubwordVocabulary if kind == "subword" else WordVocabulary)(assets["words"]), unit)

    def assets(self):
        """What travels inside the model: `{"chars"}` or `{"words"}`."""
        if self.kind == "char":
            return {"chars": list(self.vocabulary.chars)}
        return {"words": list(self.vocabulary.words)}

    @property
    def size(self):
        return self.vocabulary.size

    def sentence(self, text):
        """One sentence's ids to predict: its tokens, then `[END]`."""
        return np.append(self.encode(text), np.int32(self.end_id)).astype(np.int32)

    def encode(self, text):
        """`str -> (N,)` int32 ids; a newline is `[END]` for words and subwords."""
        if self.kind == "char":
            return self.vocabulary.encode(text)
        ids = []
        for i, line in enumerate(text.split("\n")):
            if i:
                ids.append(END_ID)
            ids.extend(self.vocabulary.encode(normalize(line, lowercase=False)).tolist())
        return np.array(ids, np.int32)

    def pieces(self, ids):
        """The text of each id (a newline for `[END]`; what `score` lists)."""
        if self.kind == "char":
            return [self.vocabulary.decode([i]) or "\ufffd" for i in ids]
        tokens = self.vocabulary.tokens
        return ["\n" if i == END_ID else tokens[i] if 0 <= i < len(tokens) else "[UNK]" for i in map(int, ids)]

    def decode(self, ids):
        """Ids -> text: characters joined; words and subwords joined into
        lines (punctuation attached again), `[END]` a newline."""
        if self.kind == "char":
            return self.vocabulary.decode(ids)
        lines, line = [], []
        for piece in self.pieces(np.asarray(ids).ravel()):
            if piece == "\n":
                lines.append(line)
                line = []
            elif piece not in ("[PAD]", "[START]"):  # [BEGIN] writes nothing
                line.append(piece)
        lines.append(line)
        return "\n".join(detokenize(self.vocabulary.join(" ".join(words))) for words in lines)

    def continuation(self, ids):
        """The text of `ids` that follow earlier text: `decode`, with the
        space a word needs before it (none before a line end, a
        continuation piece `##...` or closing punctuation)."""
        text = self.decode(ids)
        if self.kind == "char" or not text or text.startswith("\n"):
            return text
        if text.startswith("##"):  # a piece of the prompt's last word
            return text[2:]
        return text if detokenize("x " + text) != "x " + text else " " + text

    def describe(self):
        """`"66 characters"`, `"10,000 words"`, ..."""
        count = len(self.vocabulary.chars) if self.kind == "char" else len(self.vocabulary.words)
        return f"{count:,} {dict(char='characters', word='words', subword='subwords')[self.kind]}"


__all__ = ["KINDS", "TextTokens", "count_words"]
