"""The baselines a forecast is measured against: repeat the last value,
repeat the last season, a linear map from the lookback to the horizon
fitted in closed form, and (where statsforecast is installed) its
AutoTheta fitted on each window."""

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


def auto_theta(inputs, horizon, season):
    """statsforecast's AutoTheta (the Theta method, its variant and season
    chosen by the fit) fitted on each window's lookback, column by column:
    the statistical forecast a forecaster of a single series is often
    measured against. An optional baseline: `pip install statsforecast`.

    Args:
        inputs: `(N, L, C)` lookback windows.
        horizon: steps to forecast.
        season: steps per season; a season with fewer than two cycles in
            the lookback is not modelled (1).

    Returns:
        `(N, H, C)`, or None when statsforecast is not installed. A window
        the method cannot fit (a constant one) repeats its last value.
    """
    try:
        from statsforecast.models import AutoTheta
    except ImportError:
        return None
    inputs = np.asarray(inputs, "float64")
    n, length, columns = inputs.shape
    season = season if 1 < season <= length // 2 else 1
    out = np.repeat(inputs[:, -1:], horizon, axis=1)  # (N, H, C): the random walk where no fit is possible
    for i in range(n):
        for j in range(columns):
            window = inputs[i, :, j]  # (L,)
            if np.ptp(window) == 0:
                continue
            try:
                forecast = AutoTheta(season_length=season).forecast(y=window, h=horizon)["mean"]  # (H,)
            except (ValueError, ArithmeticError, np.linalg.LinAlgError):
                continue
            if np.all(np.isfinite(forecast)):
                out[i, :, j] = forecast
    return out


class LinearBaseline:
    """A linear map from the lookback to the horizon, shared by the columns,
    on each window minus its last value, fitted by ridge regression in
    closed form (seconds): the linear models (DLinear, NLinear) that long
    horizon forecasts are measured against.

    Args:
        ridge: the L2 penalty, relative to the mean diagonal of `X^T X`.

    Examples:
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
