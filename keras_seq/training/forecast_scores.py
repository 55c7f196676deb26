"""Scores of forecasts (numpy): MSE, MAE, MASE, sMAPE, interval coverage
and the weighted quantile loss."""

import numpy as np

MARGIN = 0.02  # a model must be this much below a baseline's MSE to be said to beat it


def mse(truth, forecast):
    """Mean squared error over every value."""
    return float(np.mean(np.square(np.asarray(truth) - np.asarray(forecast))))


def mae(truth, forecast):
    """Mean absolute error over every value."""
    return float(np.mean(np.abs(np.asarray(truth) - np.asarray(forecast))))


def naive_scale(train, lag=1):
    """The mean absolute change over `lag` steps of each column of the
    training series `(T, C)`: MASE's denominator (lag 1: the random walk's
    one-step error). A column that never changes gets 1."""
    train = np.asarray(train, "float64")
    lag = max(1, min(int(lag), len(train) - 1))
    scale = np.mean(np.abs(train[lag:] - train[:-lag]), axis=0)  # (C,)
    return np.where(scale > 0, scale, 1.0)


def mase(truth, forecast, scale):
    """Mean absolute scaled error: each column's absolute errors divided by
    its `scale` (`naive_scale` of the training part), averaged. Below 1
    beats the one-step random walk of the training part.

    Args:
        truth, forecast: `(N, H, C)`.
        scale: `(C,)`.
    """
    errors = np.abs(np.asarray(truth) - np.asarray(forecast)) / np.asarray(scale)  # (N, H, C)
    return float(np.mean(errors))


def smape(truth, forecast):
    """Symmetric mean absolute percentage error, in percent (0-200); terms
    whose truth and forecast are both 0 count as 0."""
    truth, forecast = np.asarray(truth, "float64"), np.asarray(forecast, "float64")
    denominator = np.abs(truth) + np.abs(forecast)
    terms = np.where(denominator > 0, 2.0 * np.abs(truth - forecast) / np.where(denominator > 0, denominator, 1), 0)
    return float(100.0 * np.mean(terms))


def coverage(truth, lower, upper):
    """The share of true values inside `[lower, upper]`, in percent."""
    truth = np.asarray(truth)
    return float(100.0 * np.mean((truth >= np.asarray(lower)) & (truth <= np.asarray(upper))))


def weighted_quantile_loss(truth, quantile_forecasts, quantiles):
    """The mean weighted quantile loss: for each quantile q, twice the
    summed pinball loss divided by the summed absolute truth, then averaged
    over the quantiles (the usual wQL of probabilistic forecasting).

    Args:
        truth: `(N, H, C)`.
        quantile_forecasts: `(N, H, C, Q)`.
        quantiles: the Q levels in (0, 1).
    """
    truth = np.asarray(truth, "float64")[..., None]  # (N, H, C, 1)
    errors = truth - np.asarray(quantile_forecasts, "float64")  # (N, H, C, Q)
    levels = np.asarray(quantiles, "float64")
    pinball = np.maximum(levels * errors, (levels - 1.0) * errors)  # (N, H, C, Q)
    total = max(float(np.sum(np.abs(truth))), 1e-12)
    return float(np.mean(2.0 * pinball.reshape(-1, len(levels)).sum(axis=0) / total))


def compare(metrics):
    """Add to `metrics` (the model's `mse` and its `baselines`) the best
    baseline, the MSE ratio to repeating the last value, and whether the
    model beats it and every baseline: only by more than `MARGIN`, since
    on prices 0.3% lower is luck, not skill."""
    best = min(metrics["baselines"].items(), key=lambda item: item[1]["mse"])
    metrics["best_baseline"] = best[0]
    metrics["mse_vs_repeat_last"] = round(metrics["mse"] / max(metrics["baselines"]["repeat_last"]["mse"], 1e-12), 4)
    metrics["beats_repeat_last"] = metrics["mse_vs_repeat_last"] < 1 - MARGIN
    metrics["beats_every_baseline"] = metrics["mse"] < (1 - MARGIN) * best[1]["mse"]
    return metrics
