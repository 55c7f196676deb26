"""Data: embedded texts, vocabularies and loaders."""

from keras_seq.data.embedded import pydoc_topics_text

__all__ = ["pydoc_topics_text"]
