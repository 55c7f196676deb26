"""Translator (`keras-seq translate`): encoder-decoder with attention.

from keras_seq.applications.translate import TranslatorConfig, train
translator, history = train(TranslatorConfig(epochs=5), data="embedded")
translator.translate(["Friday, March 5, 2021"], beam_width=5)
translator.plot_attention("March 5, 2021", "attention.png")
"""

from keras_seq.applications import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {
        "config": ("TranslatorConfig", "TranslatorDataOptions"),
        "data": ("Pairs", "bucketed_dataset", "encode_pairs", "read_source", "split_validation"),
        "model": ("TranslatorBackbone", "TranslatorHyperModel", "build_translator"),
        "preprocessor": ("TranslatorPreprocessor",),
        "task": ("Translator", "train"),
    },
)
