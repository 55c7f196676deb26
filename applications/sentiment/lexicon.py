"""Word-polarity lexicons: prior knowledge for the sentiment classifier.

A lexicon maps words to a polarity in [-1, 1]. `"vader"` reads the VADER
lexicon (about 7,500 entries rated by people on a -4..4 scale) that ships
with the `vaderSentiment` package (MIT licence); any other value is the
path of a text file in the same layout: `word<TAB>score[<TAB>anything]` a
line, scores on any symmetric scale (they are divided by the largest
absolute score).
"""

import importlib.resources
import os
import re

from keras_seq.data.text import read_lines
from keras_seq.errors import UserInputError

# What `TextVectorization`'s default standardization strips.
_PUNCTUATION = re.compile(r'[!"#$%&()\*\+,\-\./:;<=>?@\[\\\]^_`{|}~\']')


def standardize_word(word):
    """A word as the classifier's text vectorization sees it: lowercased,
    punctuation removed, surrounding space stripped."""
    return _PUNCTUATION.sub("", word.lower()).strip()


def _vader_path():
    try:
        return str(importlib.resources.files("vaderSentiment").joinpath("vader_lexicon.txt"))
    except ModuleNotFoundError as error:
        raise UserInputError(
            "the 'vader' lexicon needs the vaderSentiment package: pip install vaderSentiment"
        ) from error


def load_lexicon(source):
    """`{word: polarity in [-1, 1]}` from `"vader"` or a lexicon file.

    Words are standardized as the classifier's text vectorization does
    (lowercased, punctuation removed); entries that become empty or more
    than one word (emoticons, phrases) are dropped, and entries that become
    the same word are averaged.

    Args:
        source: `"vader"` or the path of a `word<TAB>score` file.

    Returns:
        A dict from word to polarity.

    Raises:
        UserInputError: the file is missing, a line has no number in its
            second column, or no usable entry is left.
    """
    path = _vader_path() if source == "vader" else source
    if not os.path.isfile(path):
        raise UserInputError(f"lexicon file not found: {path}")
    sums, counts = {}, {}
    for number, line in enumerate(read_lines(path), 1):  # a clear error for a file that is not UTF-8
        if not line.strip():
            continue
        fields = line.rstrip("\n").split("\t")
        try:
            score = float(fields[1])
        except (IndexError, ValueError):
            raise UserInputError(
                f"{path}, line {number}: expected 'word<TAB>score', got {line.strip()[:60]!r}"
            ) from None
        word = standardize_word(fields[0])
        if not word or len(word.split()) != 1:
            continue
        sums[word] = sums.get(word, 0.0) + score
        counts[word] = counts.get(word, 0) + 1
    scale = max((abs(s / counts[w]) for w, s in sums.items()), default=0.0)
    if not scale:
        raise UserInputError(f"{path}: no usable 'word<TAB>score' entry")
    return {w: s / counts[w] / scale for w, s in sums.items()}
