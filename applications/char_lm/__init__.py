"""Language model over characters, words or subwords (`keras-seq char-lm`, also `keras-seq lm`).

from keras_seq.applications.char_lm import CharLMConfig, train
lm, history = train(CharLMConfig(units=256), data="embedded", time_budget=120)
print(lm.generate("The ", max_length=200, temperature=0.8, seed=1))
lm.export("saved_models/char_lm/export")
"""

from keras_seq.applications import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {
        "config": ("CharLMConfig", "SamplingOptions"),
        "data": ("Corpus", "Text", "load_corpus", "read_source"),
        "model": ("CharLMHyperModel", "build_char_lm"),
        "task": ("CharLM", "SampleText", "train"),
    },
)
