"""Translator (`keras-seq translate`): encoder-decoder with attention.

    from keras_seq.applications.translate import TranslatorConfig, train
    translator, history, val_pairs = train(TranslatorConfig(), data="embedded", epochs=5)
    translator.translate(["Friday, March 5, 2021"], beam_width=5)
    translator.plot_attention("March 5, 2021", "attention.png")
"""

from keras_seq.applications.translate.config import TranslatorConfig
from keras_seq.applications.translate.data import Pairs, read_source, split_validation
from keras_seq.applications.translate.model import TranslatorHyperModel, build_translator
from keras_seq.applications.translate.text import WordVocabulary, normalize
from keras_seq.applications.translate.train import train
from keras_seq.applications.translate.translator import Translator

__all__ = [
    "Pairs", "Translator", "TranslatorConfig", "TranslatorHyperModel", "WordVocabulary",
    "build_translator", "normalize", "read_source", "split_validation", "train",
]
