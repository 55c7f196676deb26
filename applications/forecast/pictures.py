"""The forecaster's picture: the lookback, the forecast with its interval,
and the truth where it is known."""

import numpy as np

from keras_seq.plotting import pyplot, save_figure

MAX_PANELS = 7  # columns drawn, at most


def plot_forecast(path, past_times, past, future_times, forecast, truth, columns):
    """Write a PNG with one panel per target column (the first
    `MAX_PANELS`): the history, the forecast, its interval (when
    `forecast` has `lower` and `upper`) and the truth (when given).

    Args:
        path: the PNG to write.
        past_times, future_times: x positions (timestamps or step numbers).
        past: `(L, C)` history values.
        forecast: a dict with `forecast` `(H, C)` and optionally `lower`,
            `upper` `(H, C)`.
        truth: None or `(H, C)`.
        columns: the target names.

    Returns:
        `path`.
    """
    plt = pyplot()
    shown = columns[:MAX_PANELS]
    fig, axes = plt.subplots(len(shown), 1, figsize=(10, 2.6 * len(shown)), squeeze=False)
    ahead = np.asarray(forecast["forecast"])
    for j, (name, axis) in enumerate(zip(shown, axes[:, 0])):
        axis.plot(past_times, np.asarray(past)[:, j], color="0.35", linewidth=1, label="history")
        if truth is not None:
            axis.plot(future_times, np.asarray(truth)[:, j], color="black", linewidth=1, linestyle="--", label="truth")
        axis.plot(future_times, ahead[:, j], color="tab:blue", linewidth=1.5, label="forecast")
        if "lower" in forecast:
            axis.fill_between(
                future_times,
                np.asarray(forecast["lower"])[:, j],
                np.asarray(forecast["upper"])[:, j],
                color="tab:blue",
                alpha=0.2,
                label="interval",
            )
        axis.set_ylabel(name)
    axes[0, 0].legend(loc="upper left", fontsize="small", ncol=4)
    if len(columns) > MAX_PANELS:
        axes[0, 0].set_title(f"the first {MAX_PANELS} of {len(columns)} columns")
    fig.autofmt_xdate()
    return save_figure(fig, path)
