"""Raises the sampling probability of `ScheduledSampler` layers over training."""

import math

import keras

SCHEDULES = ("linear", "inverse_sigmoid", "exponential")


class ScheduledSampling(keras.callbacks.Callback):
    """Sets the `probability` of every `ScheduledSampler` in the model at the
    start of each epoch.

    Schedules of the epoch `e` (0-based), after Bengio et al. (2015), who
    decay the teacher-forcing probability; the sampling probability is its
    complement:
    - `"linear"`: `min(max_probability, rate * e)`;
    - `"inverse_sigmoid"`: `1 - k / (k + exp(e / k))` with `k = rate`
      (k >= 1; larger k rises later);
    - `"exponential"`: `1 - rate ** e` (rate in (0, 1)).
    Every schedule is capped at `max_probability`. A callable
    `schedule(epoch) -> probability` is accepted too.

    Args:
        schedule: one of the names above or a callable. Default `"linear"`.
        rate: the schedule's parameter (see above). Default 0.1.
        max_probability: float in [0, 1]. Default 0.25.

    Examples:
        >>> model.fit(data, epochs=20, callbacks=[ScheduledSampling("linear", 0.02)])
    """

    def __init__(self, schedule="linear", rate=0.1, max_probability=0.25):
        super().__init__()
        if not callable(schedule) and schedule not in SCHEDULES:
            raise ValueError(f"`schedule` must be one of {SCHEDULES} or a callable; received {schedule!r}.")
        if not 0.0 <= max_probability <= 1.0:
            raise ValueError(f"`max_probability` must be in [0, 1]; received {max_probability}.")
        if schedule == "inverse_sigmoid" and rate < 1:
            raise ValueError(f"the inverse_sigmoid schedule needs rate >= 1; received rate={rate}.")
        if schedule == "exponential" and not 0 < rate < 1:
            raise ValueError(f"the exponential schedule needs 0 < rate < 1; received rate={rate}.")
        self.schedule = schedule
        self.rate = rate
        self.max_probability = max_probability
        self.history = []

    def probability(self, epoch):
        if callable(self.schedule):
            p = float(self.schedule(epoch))
        elif self.schedule == "linear":
            p = self.rate * epoch
        elif self.schedule == "inverse_sigmoid":
            p = 1.0 - self.rate / (self.rate + math.exp(epoch / self.rate))
        else:
            p = 1.0 - self.rate**epoch
        return min(max(p, 0.0), self.max_probability)

    def on_epoch_begin(self, epoch, logs=None):
        from keras_seq.layers.scheduled_sampler import ScheduledSampler

        p = self.probability(epoch)
        samplers = [layer for layer in self.model._flatten_layers() if isinstance(layer, ScheduledSampler)]
        if not samplers:
            raise ValueError("ScheduledSampling found no ScheduledSampler layer in the model.")
        for layer in samplers:
            layer.probability.assign(p)
        self.history.append(p)
