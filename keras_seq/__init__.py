"""keras-seq: recurrent sequence models for Keras 3."""

__version__ = "0.1.0"

from keras_seq import layers  # noqa: E402,F401
from keras_seq import decoding  # noqa: E402,F401
from keras_seq import training  # noqa: E402,F401
