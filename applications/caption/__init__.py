"""Image captioner (`keras-seq caption`): a CNN encoder and a recurrent
decoder that attends over its grid (show, attend and tell).

from keras_seq.applications.caption import CaptionerConfig, train
captioner, history = train(CaptionerConfig(epochs=5), data="embedded")
captioner.caption(["strip.png"], beam_width=5)
captioner.plot_attention("strip.png", "attention.png")
"""

from keras_seq.applications import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {
        "config": ("CaptionerConfig", "CaptionerDecodeOptions"),
        "data": ("Captioned", "embedded_captions", "read_folder", "read_image", "read_source"),
        "model": ("CaptionerBackbone", "CaptionerHyperModel", "build_captioner"),
        "preprocessor": ("CaptionerPreprocessor",),
        "task": ("Captioner", "train"),
    },
)
