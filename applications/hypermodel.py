"""`TaskHyperModel`: the keras-tuner hypermodel of every application,
without importing keras-tuner, and the names of the tuners `tune` runs."""

TUNERS = ("random", "bayesian", "hyperband")


class TaskHyperModel:
    """The base of the applications' hypermodels: each trial's config is
    the base config with `search_space(hp)` applied, built by the same
    builder as training.

    A keras-tuner tuner takes any callable of `hp` that returns a compiled
    model as its hypermodel; this one is such a callable (and has
    keras-tuner's `build(hp)`), so that importing an application's model
    does not import keras-tuner.

    A subclass sets `build_fn` (the application's `build_*`) and
    `search_space` (a function of `hp` returning config overrides).

    Args:
        base_config: the config the search starts from.
        **assets: the builder's other arguments (vocabularies).

    Examples:
        >>> tuner = keras_tuner.RandomSearch(CharLMHyperModel(config, vocabulary=vocab),
        ...                                  objective="val_loss", max_trials=8)
    """

    build_fn = None
    search_space = None

    def __init__(self, base_config, **assets):
        self.base_config = base_config
        self.assets = assets

    def config_for(self, hp):
        """The base config with the trial's values of `search_space(hp)`."""
        return self.base_config.replace(**type(self).search_space(hp))

    def build(self, hp):
        """The trial's compiled model."""
        return type(self).build_fn(self.config_for(hp), **self.assets)

    def __call__(self, hp):
        return self.build(hp)
