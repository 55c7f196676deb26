"""Data: embedded texts, vocabularies and loaders."""

from keras_seq.data.char_vocabulary import CharVocabulary
from keras_seq.data.embedded import pydoc_topics_text
from keras_seq.data.synthetic_reviews import synthetic_reviews

__all__ = ["CharVocabulary", "pydoc_topics_text", "synthetic_reviews"]
