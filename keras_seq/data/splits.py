"""Seeded validation splits."""

import numpy as np

from keras_seq.errors import UserInputError


def seeded_split(count, fraction, seed, description):
    """Indices `(kept, held_out)` of a seeded random split of `count`
    examples, `fraction` of them held out.

    Raises:
        UserInputError: `fraction` is not in (0, 1), or either part would
            be empty.
    """
    if not 0 < fraction < 1:
        raise UserInputError(f"validation split must be between 0 and 1; got {fraction}")
    order = np.random.default_rng(seed).permutation(count)
    cut = int(round(count * (1 - fraction)))
    if cut < 1 or cut >= count:
        raise UserInputError(f"{description}: {count} examples are too few to hold out {fraction:.0%}")
    return order[:cut], order[cut:]
