"""The forecaster's training pipeline: batches of windows gathered from
the series inside `tf.data`."""

import numpy as np

from keras_seq.applications.forecast.config import INFERENCE_BATCH_SIZE


def window_batches(series, config, shuffle):
    """Batches of `(history[, future]) -> standardized targets`, each window
    gathered from the series in the pipeline (nothing is copied per window)."""
    import tensorflow as tf  # data pipeline

    flat = np.concatenate(series.values).astype("float32")  # (R, K)
    offsets = np.cumsum([0] + [len(v) for v in series.values[:-1]])
    starts = np.concatenate([s + o for s, o in zip(series.starts(config.lookback, config.horizon), offsets)])
    c, f, k = series.targets, series.futures, flat.shape[1]
    lookback, span = config.lookback, config.lookback + config.horizon
    table = tf.constant(flat)
    mean = tf.constant(np.asarray(config.means[:c], "float32"))
    scale = tf.constant(np.asarray(config.scales[:c], "float32"))

    def window(start):  # (B,)
        rows = start[:, None] + tf.range(span, dtype=start.dtype)[None]  # (B, L + H)
        values = tf.gather(table, rows)  # (B, L + H, K)
        targets = (values[:, lookback:, :c] - mean) / scale  # (B, H, C)
        history = values[:, :lookback]  # (B, L, K)
        return ((history, values[:, lookback:, k - f :]) if f else history), targets

    data = tf.data.Dataset.from_tensor_slices(starts)
    if shuffle:
        data = data.shuffle(len(starts), seed=config.seed, reshuffle_each_iteration=True)
    size = config.batch_size if shuffle else INFERENCE_BATCH_SIZE
    # the first batch is split evenly among 2, 4 or 8 replicas (Keras builds a model under a strategy from the
    # replicas' mean of it): a part with fewer windows than a batch gets batches of a multiple of 8
    size = min(size, len(starts) // 8 * 8) or len(starts)
    return data.batch(size).map(window, num_parallel_calls=tf.data.AUTOTUNE).prefetch(2)
