"""Reading text files, and the word-level text normalization shared by
Python (training data) and TensorFlow string ops (inside exports).

The two normalizations agree token for token: lowercase (optional), punctuation split
off as its own token, whitespace collapsed; `detokenize` (and its
TensorFlow twin) undoes the space before closing punctuation.
"""

import gzip
import re

from keras_seq.errors import UserInputError

PUNCTUATION = r"""([.,!?;:"()\[\]{}¿¡«»„“”…])"""
CLOSING = r" ([.,!?;:)\]}»“”…])"


def read_text(path):
    """The content of a UTF-8 text file (gzip-compressed if it ends in
    `.gz`).

    Raises:
        UserInputError: the file is missing or unreadable, or not UTF-8
            (the message names the byte).
    """
    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            raw = f.read()
    except OSError as error:
        raise UserInputError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UserInputError(f"{path} is not UTF-8 text (byte {error.start}); convert it to UTF-8") from None


def read_lines(path):
    """`read_text(path)` split into lines."""
    return read_text(path).splitlines()


def check_texts(texts, noun="text", blank=False):
    """A list of the texts given, one string or several, for a model's
    input; anything but non-blank strings is refused.

    Args:
        texts: a string, or an iterable of strings.
        noun: what the messages call one (`"sentence"`).
        blank: whether empty and blank strings are allowed (a prompt).

    Returns:
        A list of the strings.

    Raises:
        UserInputError: none given, bytes, a non-string or a blank one,
            named by its position.
    """
    if isinstance(texts, (bytes, bytearray)):
        raise UserInputError(f"give the {noun}s as str, not bytes; decode them first (e.g. data.decode('utf-8'))")
    if isinstance(texts, str):
        texts = [texts]
    try:
        texts = list(texts)
    except TypeError:
        raise UserInputError(f"give a {noun} or a list of {noun}s; got {type(texts).__name__}") from None
    if not texts:
        raise UserInputError(f"no {noun} given")
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise UserInputError(f"{noun} {i + 1} is not a string: {text!r:.60}")
        if not blank and not text.strip():
            raise UserInputError(f"{noun} {i + 1} is empty")
    return texts


def repeated_ngram_rate(texts, n=3):
    """The share of `texts` in which some word n-gram occurs twice (a
    decoder's repeated phrase), in [0, 1]; 0 for no texts."""
    repeated = 0
    for text in texts:
        words = text.split()
        grams = [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]
        repeated += len(set(grams)) < len(grams)
    return repeated / len(texts) if texts else 0.0


def normalize(text, lowercase=True):
    """`"Hello, World!" -> "hello , world !"` (`"Hello , World !"` with
    `lowercase=False`)."""
    text = re.sub(PUNCTUATION, r" \1 ", text.lower() if lowercase else text)
    return " ".join(text.split())


def tf_normalize(texts, lowercase=True):
    """`normalize` with TensorFlow string ops, for a string tensor."""
    import tensorflow as tf  # export

    if lowercase:
        texts = tf.strings.lower(texts, encoding="utf-8")
    texts = tf.strings.regex_replace(texts, PUNCTUATION, r" \1 ")
    texts = tf.strings.regex_replace(texts, r"\s+", " ")
    return tf.strings.strip(texts)


def detokenize(text):
    """Undo the space before closing punctuation: `"hallo , welt !" -> "hallo, welt!"`."""
    return re.sub(CLOSING, r"\1", text)


def tf_detokenize(texts):
    """`detokenize` with TensorFlow string ops, for a string tensor of
    space-joined tokens (runs of spaces collapse first)."""
    import tensorflow as tf  # export

    texts = tf.strings.strip(tf.strings.regex_replace(texts, r"\s+", " "))
    return tf.strings.regex_replace(texts, CLOSING, r"\1")
