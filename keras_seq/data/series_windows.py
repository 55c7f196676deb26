"""Sliding windows over a numeric series: every `(lookback, horizon)` pair
of a part of the series, with stride 1 and none dropped."""

import numpy as np


def window_starts(length, lookback, horizon, first_target=None, last_target=None):
    """The start of every window whose targets lie in `[first_target,
    last_target)` (default: the whole series), stride 1.

    A window starting at `s` reads `series[s : s + lookback]` and predicts
    `series[s + lookback : s + lookback + horizon]`. Its lookback may reach
    back before `first_target` (into the part before: the standard
    protocol's test windows read the end of validation).

    Args:
        length: steps in the series.
        lookback, horizon: ints > 0.
        first_target, last_target: the part whose steps are predicted.

    Returns:
        int64 array of starts, ascending (empty when no window fits).

    Examples:
        >>> window_starts(10, 4, 2)
        array([0, 1, 2, 3, 4])
    """
    first = lookback if first_target is None else max(int(first_target), lookback)
    last = length if last_target is None else min(int(last_target), length)
    return np.arange(first - lookback, last - horizon - lookback + 1, dtype="int64")


def sliding_windows(series, starts, lookback, horizon):
    """The windows at `starts`: `(inputs (N, L, C), targets (N, H, C))`.

    Args:
        series: `(T, C)` array.
        starts: from `window_starts`.
        lookback, horizon: ints > 0.

    Examples:
        >>> x, y = sliding_windows(np.arange(10.0)[:, None], window_starts(10, 4, 2), 4, 2)
        >>> x.shape, y.shape
        ((5, 4, 1), (5, 2, 1))
    """
    series = np.asarray(series)
    steps = np.arange(lookback + horizon)  # (L + H,)
    windows = series[np.asarray(starts)[:, None] + steps]  # (N, L + H, C)
    return windows[:, :lookback], windows[:, lookback:]
