"""Next-character language model (`keras-seq char-lm`).

from keras_seq.applications.char_lm import CharLMConfig, train
lm, history = train(CharLMConfig(units=256), data="embedded", time_budget=120)
print(lm.generate("The ", max_length=200, temperature=0.8, seed=1))
lm.export("saved_models/char_lm/export")
"""

from keras_seq.applications import lazy_exports

_NAMES = {
    "CharLMConfig": "config",
    "Corpus": "data",
    "Text": "data",
    "load_corpus": "data",
    "read_source": "data",
    "CharLMHyperModel": "model",
    "build_char_lm": "model",
    "CharLM": "task",
    "SampleText": "task",
    "train": "task",
}
__all__ = sorted(_NAMES)
__getattr__ = lazy_exports(__name__, _NAMES)
