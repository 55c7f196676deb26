"""The mask check of the keras_seq layers (not public)."""


def check_mask(owner, mask, expected, name="mask"):
    """Raise a ValueError naming `owner` unless `mask` (or None) has the
    shape `expected` (`(batch, steps)`, `None` for an unknown size)."""
    if mask is None:
        return
    got = tuple(mask.shape)
    fits = len(got) == len(expected) and all(e is None or g is None or e == g for e, g in zip(expected, got))
    if not fits:
        raise ValueError(
            f"{owner} expects {name} of shape (batch, steps) = {tuple(expected)}; received {name} of shape {got}."
        )
