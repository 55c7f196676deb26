"""What the applications share: config serialization, training callbacks,
seeded validation splits."""

import dataclasses
import json
import os

import keras
import numpy as np

from keras_seq.errors import UserInputError
from keras_seq.training import TimeBudget


class ConfigMixin:
    """JSON round trip and `replace` for an application's config dataclass."""

    def to_json(self):
        return json.dumps(dataclasses.asdict(self), indent=2)

    @classmethod
    def from_json(cls, text):
        fields = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in json.loads(text).items() if k in fields})

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)

    def check_positive_ints(self, *names):
        """Raise `UserInputError` naming the first field that is not an int > 0."""
        for name in names:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise UserInputError(f"{name} must be a positive integer; got {value!r}")


def training_callbacks(model_dir, time_budget=None, extra=()):
    """Resume after an interruption (`model_dir/backup`), TensorBoard logs
    (`model_dir/logs`), the wall-clock budget, then `extra`."""
    callbacks = [
        keras.callbacks.BackupAndRestore(os.path.join(model_dir, "backup"), delete_checkpoint=True),
        keras.callbacks.TensorBoard(os.path.join(model_dir, "logs")),
    ]
    if time_budget is not None:
        callbacks.append(TimeBudget(time_budget))
    return callbacks + list(extra)


def seeded_split(count, fraction, seed, description):
    """Indices `(kept, held_out)` of a seeded random split."""
    if not 0 < fraction < 1:
        raise UserInputError(f"validation split must be between 0 and 1; got {fraction}")
    order = np.random.default_rng(seed).permutation(count)
    cut = int(round(count * (1 - fraction)))
    if cut < 1 or cut >= count:
        raise UserInputError(f"{description}: {count} examples are too few to hold out {fraction:.0%}")
    return order[:cut], order[cut:]
