"""Export helpers: atomic writes and SavedModel serving modules."""

from keras_seq.export.atomic import atomic_dir, atomic_file, replace_dir
from keras_seq.export.saved_model import beam_search_text, save_module

__all__ = ["atomic_dir", "atomic_file", "beam_search_text", "replace_dir", "save_module"]
