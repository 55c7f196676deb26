"""Export helpers: atomic writes, SavedModel serving modules, a load test of an export."""

from keras_seq.export.atomic import atomic_dir, atomic_file, replace_dir
from keras_seq.export.load_test import load_test
from keras_seq.export.saved_model import beam_search_text, save_module

__all__ = ["atomic_dir", "atomic_file", "beam_search_text", "load_test", "replace_dir", "save_module"]
