"""Series for the forecaster: a CSV with a time column and numeric columns
(one series, or many in a long file), the embedded series, the
chronological split and the windows.

Every problem with the file is one `UserInputError` naming the row or the
column; what can be repaired safely (missing values, unsorted rows) is
repaired with a count.
"""

import csv
import dataclasses
import datetime
import io
import math
import os
import warnings

import numpy as np

from keras_seq.applications.forecast.steps import calendar_columns, calendar_features, future_times, step_index
from keras_seq.data.series_windows import sliding_windows, window_starts
from keras_seq.data.text import read_text
from keras_seq.errors import UserInputError

TIME_NAMES = ("date", "time", "timestamp", "datetime", "ds", "period", "month", "year", "week", "day")
MISSING = {"", "na", "nan", "null", "none", "n/a", "-", "?"}
ETT_MONTHS = (12, 4, 4)  # train, validation, test months of 30 days of hours


@dataclasses.dataclass
class Series:
    """One or more series with the same columns, and the part of each that
    a use reads.

    Attributes:
        names: the series' names (`[""]` for a file of one series).
        times: per series, its timestamps (`datetime`, or None without a
            time column).
        values: per series, a float64 array `(T, K)`, the columns in
            `columns` order: targets, past covariates, future covariates,
            calendar features.
        columns: the column names.
        targets: how many of the first columns are forecast.
        futures: how many of the last columns are known ahead.
        step: the step between rows (`"1h"`, `"1d"`, `"1b"`, `"1mo"`,
            `"30s"`...) or None.
        description: where it came from.
        parts: per series, the rows `(first, last)` whose values this use
            predicts (a window's lookback may reach before `first`).
    """

    names: list
    times: list
    values: list
    columns: list
    targets: int
    futures: int
    step: object
    description: str
    parts: list = None

    def __post_init__(self):
        if self.parts is None:
            self.parts = [(0, len(v)) for v in self.values]

    def with_parts(self, parts, what):
        return dataclasses.replace(self, parts=list(parts), description=f"{self.description} ({what})")

    def starts(self, lookback, horizon):
        """Per series, the starts of every window whose forecast lies in its part."""
        return [window_starts(len(v), lookback, horizon, a, b) for v, (a, b) in zip(self.values, self.parts)]

    def window_count(self, lookback, horizon):
        return int(sum(len(s) for s in self.starts(lookback, horizon)))

    def windows(self, lookback, horizon):
        """`(history (N, L, K), targets (N, H, C), future (N, H, F), owners
        (N,), starts (N,))`: every window of the parts, stride 1."""
        histories, targets, futures, owners, starts = [], [], [], [], []
        c, f = self.targets, self.futures
        for i, (values, index) in enumerate(zip(self.values, self.starts(lookback, horizon))):
            x, y = sliding_windows(values, index, lookback, horizon)  # (N, L, K), (N, H, K)
            histories.append(x)
            targets.append(y[..., :c])
            futures.append(y[..., values.shape[1] - f :])
            owners.append(np.full(len(index), i))
            starts.append(index)
        if not histories:
            raise UserInputError(f"{self.description}: no series")
        return tuple(np.concatenate(a) for a in (histories, targets, futures, owners, starts))

    def training_rows(self):
        """Every row of the parts, all series together `(R, K)` (for the scales)."""
        return np.concatenate([v[a:b] for v, (a, b) in zip(self.values, self.parts)])


# --------------------------------------------------------------------- reading
def read_source(source, config):
    """The `Series` of `source`: `embedded` (or `embedded:NAME`) or a CSV
    file, read with `config`'s columns."""
    from keras_seq.applications.forecast.embedded import embedded_table

    if source is None or str(source) == "embedded" or str(source).startswith("embedded:"):
        name = "co2" if source in (None, "embedded") else str(source).split(":", 1)[1]
        text, description = embedded_table(name)
        return parse_table(text, config, description)
    if str(source).startswith("tfds:"):
        raise UserInputError("the forecaster reads CSV files and the embedded series, not tfds names")
    if os.path.isdir(str(source)):
        raise UserInputError(f"--data {source} is a folder; give a CSV file")
    if not os.path.exists(str(source)):
        raise UserInputError(f"--data {source}: no such file")
    return parse_table(read_text(source), config, str(source))


def parse_table(text, config, description):
    """A CSV's text -> `Series`, checked and repaired as the module says."""
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if not rows:
        raise UserInputError(f"{description} is empty")
    header = [name.strip() for name in rows[0]]
    body = rows[1:]
    if not body:
        raise UserInputError(f"{description} has a header but no rows")
    for number, row in enumerate(body, 2):
        if len(row) != len(header):
            raise UserInputError(f"{description}, line {number}: {len(row)} columns where the header has {len(header)}")
    columns = {name: [row[i].strip() for row in body] for i, name in enumerate(header)}
    time_column = _time_column(columns, config.time_column, description)
    for name in (config.series_column, *config.target, *config.covariates):
        if name is not None and name not in columns:
            raise UserInputError(f"{description} has no column {name!r}; its columns: {', '.join(header)}")
    skipped = {time_column, config.series_column}
    numbers = {name: _numbers(name, cells, description) for name, cells in columns.items() if name not in skipped}
    targets = list(config.target) or [
        n for n in header if n not in skipped and n not in config.covariates and numbers[n] is not None
    ]
    for name in targets + config.covariates:
        if numbers[name] is None:
            raise UserInputError(f"{description}: column {name!r} holds no numbers")
    if not targets:
        raise UserInputError(f"{description} has no numeric column to forecast")
    ignored = [n for n in header if n not in skipped and numbers[n] is None]
    if ignored and not config.target:
        warnings.warn(f"{description}: non-numeric column(s) {', '.join(ignored)} ignored", stacklevel=2)
    names = list(config.past_covariates) + list(config.future_covariates)
    table = np.stack([numbers[n] for n in targets + names], axis=1)  # (R, K)
    keys = columns[config.series_column] if config.series_column else [""] * len(body)
    stamps = _timestamps(columns[time_column], description) if time_column else None
    series_names, times, values, step = [], [], [], None
    for key in dict.fromkeys(keys):
        rows_of = np.asarray([i for i, k in enumerate(keys) if k == key])
        part_times = [stamps[i] for i in rows_of] if stamps is not None else None
        part, part_times, part_step = _regular(table[rows_of], part_times, f"{description}{_of(key)}")
        step = step or part_step
        series_names.append(key)
        times.append(part_times)
        values.append(part)
    calendar_names = []
    if config.calendar:
        if stamps is None:
            raise UserInputError(f"{description}: --calendar needs a time column")
        calendar_names = calendar_columns(step)
        values = [np.concatenate([v, calendar_features(t, step)], axis=1) for v, t in zip(values, times)]
    values = [_fill(v, targets + names, config.fill, f"{description}{_of(k)}") for v, k in zip(values, series_names)]
    return Series(
        series_names,
        times,
        values,
        targets + names + calendar_names,
        len(targets),
        len(config.future_covariates) + len(calendar_names),
        step,
        description,
    )


def _of(key):
    return f", series {key!r}" if key else ""


def _time_column(columns, given, description):
    if given is not None:
        if given not in columns:
            raise UserInputError(f"{description} has no column {given!r}; its columns: {', '.join(columns)}")
        return given
    for name in columns:
        if name.lower() in TIME_NAMES:
            return name
    first = next(iter(columns))
    try:
        _timestamps(columns[first][:5], description)
        if _numbers(first, columns[first], description) is None:
            return first
    except UserInputError:
        pass
    return None


def _numbers(name, cells, description):
    """The cells as float64 (NaN where missing), or None for a column with
    no number at all. A text cell in a numeric column, or an infinite
    value, is refused."""
    out = np.full(len(cells), np.nan)
    seen = False
    bad = None
    for i, cell in enumerate(cells):
        if cell.lower() in MISSING:
            continue
        try:
            value = float(cell.replace("_", "!"))  # "1_000" is not a number a CSV means
        except ValueError:
            bad = bad if bad is not None else i
            continue
        if not math.isfinite(value):
            raise UserInputError(f"{description}: column {name!r}, data row {i + 1} is {cell!r}; give finite numbers")
        out[i], seen = value, True
    if not seen:
        return None
    if bad is not None:
        raise UserInputError(f"{description}: column {name!r}, data row {bad + 1} holds {cells[bad]!r}, not a number")
    return out


def _timestamps(cells, description):
    """The cells as `datetime`: ISO dates and times, or whole years."""
    out = []
    for i, cell in enumerate(cells):
        text = cell.strip()
        try:
            if text.isdigit() and len(text) == 8:  # YYYYMMDD
                out.append(datetime.datetime(int(text[:4]), int(text[4:6]), int(text[6:])))
            elif text.isdigit() or (text.endswith(".0") and text[:-2].isdigit()):  # a year
                out.append(datetime.datetime(int(float(text)), 1, 1))
            else:
                out.append(datetime.datetime.fromisoformat(text.replace("/", "-")))
        except ValueError:
            raise UserInputError(f"{description}: time cell of data row {i + 1}, {cell!r}, is not a date") from None
    if len({t.tzinfo is None for t in out}) > 1:
        raise UserInputError(f"{description}: some timestamps have a time zone and others not")
    return out


def _regular(values, times, description):
    """Rows sorted by time, with a row of NaN for each missing step:
    `(values, times, step)`. Duplicates and gaps that are not whole steps
    are refused."""
    if times is None:
        return values, None, None
    order = sorted(range(len(times)), key=lambda i: times[i])
    if order != list(range(len(times))):
        warnings.warn(f"{description}: rows were not in time order; sorted them", stacklevel=3)
        values, times = values[order], [times[i] for i in order]
    for a, b in zip(times, times[1:]):
        if a == b:
            raise UserInputError(f"{description}: timestamp {a} appears twice; keep one row per step")
    if len(times) < 2:
        return values, times, None
    step, index = step_index(times, description)
    if index[-1] + 1 == len(times):
        return values, times, step
    filled = np.full((index[-1] + 1, values.shape[1]), np.nan)
    filled[index] = values
    every = [times[0]] + future_times(times[0], step, int(index[-1]))  # one pass, not one per step
    warnings.warn(f"{description}: {len(every) - len(times)} missing step(s) added as missing values", stacklevel=3)
    return filled, every, step


def _fill(values, names, fill, description):
    """Missing values filled by linear interpolation (the ends by the
    nearest value), with a count; refused without `fill`."""
    missing = np.isnan(values)
    if not missing.any():
        return values
    count = int(missing.sum())
    if not fill:
        column = names[int(np.argmax(missing.any(axis=0)))] if missing[:, : len(names)].any() else "a calendar column"
        raise UserInputError(
            f"{description}: {count} missing value(s) (first in column {column!r}); fill them or drop --no-fill"
        )
    values = values.copy()
    rows = np.arange(len(values))
    for j in range(values.shape[1]):
        gap = missing[:, j]
        if gap.all():
            raise UserInputError(f"{description}: column {names[j]!r} has no value at all")
        if gap.any():
            values[gap, j] = np.interp(rows[gap], rows[~gap], values[~gap, j])
    warnings.warn(f"{description}: {count} missing value(s) filled by linear interpolation", stacklevel=3)
    return values


# ----------------------------------------------------------------- splitting
def split_parts(series, config):
    """`(train, validation, test)`: the same series, each with its part:
    ETT's 12/4/4 months of hours, `split_at` timestamps, or the last
    `validation_split` and `test_split` of each series."""
    parts = {"train": [], "validation": [], "test": []}
    for values, times in zip(series.values, series.times):
        length = len(values)
        if config.protocol == "ett":
            month = 30 * 24
            a, b = ETT_MONTHS[0] * month, (ETT_MONTHS[0] + ETT_MONTHS[1]) * month
            end = min(length, sum(ETT_MONTHS) * month)
        elif config.split_at:
            if times is None:
                raise UserInputError("--split-at needs a time column")
            t1, t2 = (_timestamps([t.strip()], "--split-at")[0] for t in config.split_at.split(",") if t.strip())
            if t2 <= t1:
                raise UserInputError(f"--split-at: {t2} is not after {t1}")
            a, b, end = sum(t < t1 for t in times), sum(t < t2 for t in times), length
        else:
            b = length - int(round(length * config.test_split))
            a = b - int(round(length * config.validation_split))
            end = length
        parts["train"].append((0, a))
        parts["validation"].append((a, b))
        parts["test"].append((b, end))
    return tuple(series.with_parts(parts[name], name) for name in ("train", "validation", "test"))


def check_windows(part, config, name):
    """Refuse a part without a window: the series is shorter than the
    lookback plus the horizon."""
    if part.window_count(config.lookback, config.horizon) == 0:
        shortest = min(b - a for a, b in part.parts) if part.parts else 0
        raise UserInputError(
            f"{part.description}: no {name} window: the {name} part has {shortest} rows and a window needs "
            f"lookback + horizon = {config.lookback} + {config.horizon} (the lookback may reach into the part "
            "before); lower --lookback or --horizon, or give a longer series"
        )
