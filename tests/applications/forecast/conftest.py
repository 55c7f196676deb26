import datetime

import numpy as np
import pytest

from keras_seq.applications.forecast import Forecaster, ForecasterConfig, train
from tests.applications.shared import trained_once

# a forecaster small enough to train in seconds on the hourly series below
SMALL = ForecasterConfig(
    lookback=48, horizon=12, segment_length=12, units=16, batch_size=32, epochs=12, patience=0, learning_rate=3e-3
)


def hourly_rows(hours=900, seed=0, start=datetime.datetime(2024, 1, 1)):
    """Two hourly columns with a daily cycle, a slow trend and noise:
    `(timestamps, values (T, 2))`."""
    rng = np.random.default_rng(seed)
    t = np.arange(hours)
    day = np.sin(2 * np.pi * t / 24)
    load = 10 + 3 * day + 0.002 * t + rng.normal(0, 0.3, hours)
    temperature = 20 + 2 * np.roll(day, 3) + rng.normal(0, 0.2, hours)
    return [start + datetime.timedelta(hours=int(h)) for h in t], np.stack([load, temperature], axis=1)


def write_csv(path, times, values, header=("time", "load", "temperature"), extra=None):
    """A CSV of `times` and the rows of `values` (`extra` lines appended)."""
    lines = [",".join(header)]
    lines += [f"{t.isoformat(sep=' ')}," + ",".join(f"{v:.4f}" for v in row) for t, row in zip(times, values)]
    path.write_text("\n".join(lines + list(extra or [])) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def hourly_csv(tmp_path_factory):
    return write_csv(tmp_path_factory.mktemp("series") / "hourly.csv", *hourly_rows())


@pytest.fixture(scope="session")
def trained_forecaster(tmp_path_factory, hourly_csv):
    """`(forecaster, history, model_dir)`, trained once per session."""
    return trained_once(tmp_path_factory, "forecaster", train, Forecaster.load, SMALL, data=str(hourly_csv))
