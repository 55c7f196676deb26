"""keras-seq: recurrent sequence models for Keras 3.

Submodules load on first use (`keras_seq.layers`, `keras_seq.decoding`,
`keras_seq.training`, `keras_seq.data`, `keras_seq.export`,
`keras_seq.plotting`), so that
`import keras_seq` and the command line's `--help` do not import
TensorFlow.
"""

import importlib

__version__ = "0.1.0"

_SUBMODULES = ("data", "decoding", "export", "layers", "ops", "plotting", "training")


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"keras_seq.{name}")
    raise AttributeError(f"module 'keras_seq' has no attribute {name!r}")
