"""Data: embedded texts, vocabularies and loaders."""

from keras_seq.data.char_vocabulary import CharVocabulary
from keras_seq.data.embedded import pydoc_topics_text

__all__ = ["CharVocabulary", "pydoc_topics_text"]
