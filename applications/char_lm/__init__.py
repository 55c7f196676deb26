"""Next-character language model (`keras-seq char-lm`).

    from keras_seq.applications.char_lm import CharLMConfig, train
    lm, history = train(CharLMConfig(units=256), data="embedded", time_budget=120)
    print(lm.generate("The ", length=200, temperature=0.8, seed=1))
    lm.export("saved_models/char_lm/export")
"""

from keras_seq.applications.char_lm.char_lm import CharLM
from keras_seq.applications.char_lm.config import CharLMConfig
from keras_seq.applications.char_lm.data import Corpus, load_corpus
from keras_seq.applications.char_lm.model import CharLMHyperModel, build_char_lm
from keras_seq.applications.char_lm.train import train

__all__ = ["CharLM", "CharLMConfig", "CharLMHyperModel", "Corpus", "build_char_lm", "load_corpus", "train"]
