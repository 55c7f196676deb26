"""Translator (`keras-seq translate`): encoder-decoder with attention.

from keras_seq.applications.translate import TranslatorConfig, train
translator, history = train(TranslatorConfig(epochs=5), data="embedded")
translator.translate(["Friday, March 5, 2021"], beam_width=5)
translator.plot_attention("March 5, 2021", "attention.png")
"""

from keras_seq.applications import lazy_exports

_NAMES = {
    "TranslatorConfig": "config",
    "TranslatorDataOptions": "config",
    "Pairs": "data",
    "bucketed_dataset": "data",
    "encode_pairs": "data",
    "read_source": "data",
    "split_validation": "data",
    "TranslatorHyperModel": "model",
    "build_translator": "model",
    "Translator": "task",
    "train": "task",
}
__all__ = sorted(_NAMES)
__getattr__ = lazy_exports(__name__, _NAMES)
