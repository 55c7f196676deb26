"""Forecaster (`keras-seq forecast`): the next steps of numeric series,
always beside the baselines.

from keras_seq.applications.forecast import ForecasterConfig, train
forecaster, history = train(ForecasterConfig(), data="prices.csv")
forecaster.predict_next("prices.csv")   # the next `horizon` steps
"""

from keras_seq.applications import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {
        "config": ("ForecasterConfig",),
        "data": ("Series", "read_source", "split_parts"),
        "model": ("ForecasterHyperModel", "build_forecaster"),
        "task": ("Forecaster", "train"),
    },
)
