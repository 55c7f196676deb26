"""Training helpers: callbacks, losses, metrics."""

from keras_seq.training.time_budget import TimeBudget

__all__ = ["TimeBudget"]
