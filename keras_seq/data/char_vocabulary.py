"""A character vocabulary with an unknown id."""

import json

import numpy as np


class CharVocabulary:
    """Maps characters to ids and back; id 0 stands for any unknown character.

    Built from the training text, so every character the model was trained
    on has an id; a character never seen in training (in a prompt, or in a
    validation text) maps to id 0 instead of failing, and id 0 decodes to
    the empty string.

    Args:
        chars: iterable of distinct single characters (ids 1, 2, ... in this
            order).

    Examples:
        >>> vocab = CharVocabulary.from_text("hello")
        >>> vocab.encode("hex").tolist(), vocab.decode(vocab.encode("hel"))
        ([2, 1, 0], 'hel')
    """

    UNKNOWN_ID = 0

    def __init__(self, chars):
        chars = list(chars)
        if any(not isinstance(c, str) or len(c) != 1 for c in chars):
            raise ValueError("CharVocabulary needs single characters.")
        if len(set(chars)) != len(chars):
            raise ValueError("CharVocabulary needs distinct characters.")
        self.chars = chars
        self._ids = {c: i + 1 for i, c in enumerate(chars)}

    @classmethod
    def from_text(cls, text):
        """The sorted set of characters of `text`."""
        return cls(sorted(set(text)))

    @property
    def size(self):
        """Number of ids, the unknown id included."""
        return len(self.chars) + 1

    def __len__(self):
        return self.size

    def __contains__(self, char):
        return char in self._ids

    def encode(self, text):
        """`str -> (len(text),)` int32 ids."""
        get = self._ids.get
        return np.fromiter((get(c, 0) for c in text), dtype=np.int32, count=len(text))

    def decode(self, ids):
        """Ids (any iterable of ints) -> str; unknown ids give nothing."""
        table = [""] + self.chars
        size = len(table)
        return "".join(table[i] if 0 <= i < size else "" for i in (int(x) for x in np.asarray(ids).ravel()))

    def to_json(self):
        return json.dumps({"chars": self.chars}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text):
        return cls(json.loads(text)["chars"])

    def save(self, path):
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.to_json())

    @classmethod
    def load(cls, path):
        with open(path, encoding="utf-8") as f:
            return cls.from_json(f.read())
