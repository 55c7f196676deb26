"""Training helpers: callbacks, losses, metrics."""

from keras_seq.training.scheduled_sampling import ScheduledSampling
from keras_seq.training.time_budget import TimeBudget

__all__ = ["ScheduledSampling", "TimeBudget"]
