"""The baselines a forecast is measured against: repeat the last value,
repeat the last season, and a linear map from the lookback to the horizon
fitted in closed form."""

import numpy as np


def repeat_last(inputs, horizon):
    """The random walk: each window's last value, `horizon` times.

    Args:
        inputs: `(N, L, C)` lookback windows.

    Returns:
        `(N, H, C)`.
    """
    inputs = np.asarray(inputs)
    return np.repeat(inputs[:, -1:], horizon, axis=1)


def seasonal_naive(inputs, horizon, season):
    """The last full season, repeated: step `h` of the forecast is the
    value `season` steps before it (from the lookback, cycled). A season
    longer than the lookback falls back to `repeat_last`.

    Args:
        inputs: `(N, L, C)`.
        horizon: steps to forecast.
        season: steps per season (24 for hours in a day).

    Returns:
        `(N, H, C)`.
    """
    inputs = np.asarray(inputs)
    if season < 1 or season > inputs.shape[1]:
        return repeat_last(inputs, horizon)
    last = inputs[:, -season:]  # (N, S, C)
    return last[:, np.arange(horizon) % season]  # (N, H, C)


class LinearBaseline:
    """A linear map from the lookback to the horizon, shared by the columns,
    on each window minus its last value, fitted by ridge regression in
    closed form (seconds): the linear models (DLinear, NLinear) that long
    horizon forecasts are measured against.

    Args:
        ridge: the L2 penalty, relative to the mean diagonal of `X^T X`.

    Example:
    >>> baseline = LinearBaseline().fit(train_inputs, train_targets)
    >>> baseline.predict(test_inputs).shape
    (N, H, C)
    """

    def __init__(self, ridge=1e-3):
        self.ridge = ridge
        self.weights = None  # (L + 1, H)

    def fit(self, inputs, targets):
        """Fit on windows `(N, L, C)` and their targets `(N, H, C)`."""
        inputs, targets = np.asarray(inputs, "float64"), np.asarray(targets, "float64")
        if len(inputs) == 0:
            raise ValueError("no training window to fit the linear baseline on")
        last = inputs[:, -1:]  # (N, 1, C)
        x = np.swapaxes(inputs - last, 1, 2).reshape(-1, inputs.shape[1])  # (N*C, L)
        y = np.swapaxes(targets - last, 1, 2).reshape(-1, targets.shape[1])  # (N*C, H)
        x = np.concatenate([x, np.ones((len(x), 1))], axis=1)  # (N*C, L + 1): a bias
        gram = x.T @ x  # (L + 1, L + 1)
        penalty = self.ridge * np.trace(gram) / len(gram)
        self.weights = np.linalg.solve(gram + penalty * np.eye(len(gram)), x.T @ y)  # (L + 1, H)
        return self

    def predict(self, inputs):
        """Forecasts `(N, H, C)` for windows `(N, L, C)`."""
        if self.weights is None:
            raise ValueError("fit the linear baseline first")
        inputs = np.asarray(inputs, "float64")
        last = inputs[:, -1:]  # (N, 1, C)
        x = np.swapaxes(inputs - last, 1, 2)  # (N, C, L)
        y = x @ self.weights[:-1] + self.weights[-1]  # (N, C, H)
        return np.swapaxes(y, 1, 2) + last  # (N, H, C)
