"""The step of a series read from its timestamps, the timestamps after
its end, and calendar features (the forecaster's time arithmetic)."""

import datetime

import numpy as np

from keras_seq.errors import UserInputError

SEASONS = {"1h": 24, "1d": 7, "1b": 5, "7d": 52, "1mo": 12, "3mo": 4}  # steps per season of the seasonal naive


def month_index(t):
    return t.year * 12 + t.month - 1


def step_index(times, description):
    """`(step, position of each row)` of sorted timestamps."""
    seconds = np.asarray([(b - a).total_seconds() for a, b in zip(times, times[1:])])
    if len({t.day for t in times}) == 1 and len({(t.hour, t.minute, t.second) for t in times}) == 1:
        months = np.asarray([month_index(t) for t in times])
        gaps = np.diff(months)
        if gaps.min() >= 1:
            unit = int(np.gcd.reduce(gaps))
            step = "1y" if unit == 12 else f"{unit}mo"
            if unit in (1, 3, 12) or gaps.max() == unit:
                return step, (months - months[0]) // unit
    day = 86400.0
    weekdays = {t.weekday() for t in times}
    if np.median(seconds) == day and not weekdays & {5, 6} and len(times) > 10:
        dates = np.asarray([t.date() for t in times], dtype="datetime64[D]")
        return "1b", np.busday_count(dates[0], dates)
    unit = float(np.min(seconds))
    off = np.abs(seconds / unit - np.round(seconds / unit)) if unit > 0 else None  # how far each gap is off the step
    if off is None or np.any(off > 1e-6):
        odd = float(seconds[np.argmax(off)]) if off is not None else unit
        raise UserInputError(
            f"{description}: the time column has irregular gaps (steps of {seconds_name(unit)} and "
            f"{seconds_name(odd)}); resample it to a regular step"
        )
    position = np.round(np.concatenate([[0.0], np.cumsum(seconds)]) / unit).astype(int)
    return seconds_name(unit), position


def seconds_name(value):
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min"), (1, "s")):
        if value >= size and value % size == 0:
            return f"{int(value // size)}{unit}"
    return f"{value:g}s"


def future_times(last, step, count):
    """The `count` timestamps after `last`, a step apart (`"1b"` skips
    weekends; months keep the day of the month)."""
    if step is None or last is None:
        return [None] * count
    out, t = [], last
    for _ in range(count):
        if step == "1b":
            t = t + datetime.timedelta(days=1)
            while t.weekday() >= 5:
                t = t + datetime.timedelta(days=1)
        elif step.endswith("mo") or step == "1y":
            months = 12 if step == "1y" else int(step[:-2])
            index = month_index(t) + months
            t = t.replace(year=index // 12, month=index % 12 + 1)
        else:
            amount, unit = int("".join(ch for ch in step if ch.isdigit())), step.lstrip("0123456789")
            t = t + datetime.timedelta(**{{"d": "days", "h": "hours", "min": "minutes", "s": "seconds"}[unit]: amount})
        out.append(t)
    return out


def calendar_columns(step):
    """The calendar features that vary at `step`: hour (below a day),
    weekday (below a week), month (below a year), each a sine and cosine."""
    names = []
    sub_day = step is not None and step.endswith(("h", "min", "s")) and not step.endswith("mo")
    if sub_day:
        names += ["hour_sin", "hour_cos"]
    if sub_day or step in ("1d", "1b"):
        names += ["weekday_sin", "weekday_cos"]
    if step not in ("1y",):
        names += ["month_sin", "month_cos"]
    return names


def calendar_features(times, step):
    """`(T, F)` sines and cosines of `calendar_columns(step)` at `times`."""
    names = calendar_columns(step)
    cycles = {
        "hour": lambda t: (t.hour + t.minute / 60) / 24,
        "weekday": lambda t: t.weekday() / 7,
        "month": lambda t: (t.month - 1) / 12,
    }
    out = np.zeros((len(times), len(names)))
    for j, name in enumerate(names):
        kind, wave = name.rsplit("_", 1)
        angles = 2 * np.pi * np.asarray([cycles[kind](t) for t in times])
        out[:, j] = np.sin(angles) if wave == "sin" else np.cos(angles)
    return out
