"""Data: vocabularies, text normalization, file and tfds readers, embedded data."""

from keras_seq.data.char_vocabulary import CharVocabulary
from keras_seq.data.digit_strips import digit_strips
from keras_seq.data.embedded import pydoc_topics_text
from keras_seq.data.splits import seeded_split
from keras_seq.data.subword_vocabulary import SubwordVocabulary
from keras_seq.data.synthetic_reviews import synthetic_reviews
from keras_seq.data.text import (
    check_texts,
    detokenize,
    normalize,
    read_lines,
    read_text,
    repeated_ngram_rate,
    tf_detokenize,
    tf_normalize,
)
from keras_seq.data.tfds import load_tfds
from keras_seq.data.toy_language import toy_language_pairs
from keras_seq.data.word_vocabulary import WordVocabulary

VOCABULARIES = {
    "subword": SubwordVocabulary,
    "word": WordVocabulary,
}  # a translator's `vocabulary` setting -> its class

__all__ = [
    "CharVocabulary",
    "SubwordVocabulary",
    "VOCABULARIES",
    "check_texts",
    "WordVocabulary",
    "detokenize",
    "digit_strips",
    "load_tfds",
    "normalize",
    "pydoc_topics_text",
    "read_lines",
    "read_text",
    "repeated_ngram_rate",
    "toy_language_pairs",
    "seeded_split",
    "synthetic_reviews",
    "tf_detokenize",
    "tf_normalize",
]
